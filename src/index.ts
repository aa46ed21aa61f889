/**
 * tfsync as a library: the pure core (HCL, the layer model, diff/plan/check/validate) and the one
 * loader that reads a repository from disk. Re-exports only.
 */

// Lossless HCL: parsing, values as the official parser gives them, edits as data.
export { parse, parseExpression, type ParseOptions } from './hcl/parser.js';
export { evaluate, type JsonValue } from './hcl/evaluate.js';
export { parseTfvars, type TfvarsAttribute, type TfvarsDocument } from './hcl/tfvars.js';
export { parseVariables, type VariableDeclaration, type VariablesFile } from './hcl/variables.js';
export { applyEdits, type Edit } from './hcl/edits.js';
export { insertAttribute, removeAttribute, updateValue } from './hcl/value-edits.js';
export { formatValue } from './hcl/format-value.js';
export type { Diagnostic, Range } from './hcl/diagnostics.js';
export type * from './hcl/syntax.js';

// The model: configuration, classification, layers.
export { loadConfig, type Config } from './model/config.js';
export { findConfig } from './io/find-config.js';
export { classify, type Classification, type VariableClass } from './model/classify.js';
export { buildRepository, type Repository, type Layer } from './model/repository.js';
export { effectiveValues, type EffectiveValue, type Origin } from './model/layers.js';
export { SHARED } from './model/environments.js';

// What tfsync computes from a repository.
export { diffEnvironments, type EnvironmentDiff } from './sync/diff.js';
export { planPromotion, type Plan, type PromoteOptions } from './sync/plan.js';
export { rewritePlan, type FileRewrite } from './sync/rewrite.js';
export { checkEnvironments, type CheckResult } from './sync/check.js';
export { validateRepository, type Finding } from './sync/validate.js';

// Reading a repository from disk, and the CLI as a function.
export { loadRepository, type LoadOptions, type LoadedRepository } from './io/load-repository.js';
export { runCli } from './cli/run.js';
export { TfsyncError } from './errors.js';
