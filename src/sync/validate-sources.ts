/**
 * The part of `validate` that starts from texts rather than a repository: every syntax error of
 * every file (where other commands stop at the first file), then the repository built from the
 * files that parse, then validate.ts's rules on it.
 */
import type { TfsyncError } from '../errors.js';
import type { Diagnostic } from '../hcl/diagnostics.js';
import { LineCounter } from '../hcl/line-counter.js';
import { isJsonVariablesFile, parseTfvars } from '../hcl/tfvars.js';
import { parseVariables } from '../hcl/variables.js';
import { matchesAny } from '../model/patterns.js';
import { buildRepository, type Repository, type RepositoryInput, type SourceFile } from '../model/repository.js';
import { scrub, secretsOfText, secretsOfVariables } from '../model/secrets.js';
import { configLocator, sortFindings, unmatchedPathFindings, type Finding } from './findings.js';
import { validateRepository, type ValidateOptions } from './validate.js';
import { validateLayeredSources, type LayeredValidationInput } from './validate-layers.js';

/** What validate reads, as the shell hands it over. */
export interface ValidationInput {
  /** tfsync.json as read. */
  config: SourceFile;
  /** Undefined when tfsync.json is invalid; `configError` says why. */
  repository?: RepositoryInput;
  configError?: TfsyncError;
  /** Files the environments glob matched that cannot be environments (bad names, links outside). */
  skipped: Array<{ file: string; message: string }>;
  /** The general form (layers): every stack's files, instead of `repository`. */
  layered?: LayeredValidationInput;
}

export interface ValidationReport {
  /** Sorted by file, line and column. */
  findings: Finding[];
  /** Every file read, as users see them: tfsync.json, variables, shared, environments. */
  files: string[];
  /** Values whose type was not checked: expressions tfsync does not evaluate. */
  notChecked: number;
  /** The repository built from the files that parse; undefined when tfsync.json is invalid. */
  repo?: Repository;
}

export function validateSources(input: ValidationInput, options: Pick<ValidateOptions, 'typeCheck'> = {}): ValidationReport {
  if (input.layered) return validateLayeredSources(input.layered, options);
  const files = [input.config.file];
  if (!input.repository) {
    return { findings: input.configError ? configFindings(input.config, input.configError) : [], files, notChecked: 0 };
  }
  const source = input.repository;
  const sharedFile = source.shared.text === undefined ? [] : [source.shared.file];
  files.push(...source.variables.map((v) => v.file), ...sharedFile, ...source.environments.map((e) => e.file));

  // Parse everything once up front to find the files with syntax errors; they are left out of the
  // repository (which would otherwise throw), and the rules are told what that leaves unknown.
  const variables = source.variables.map((file) => ({ file, parsed: parseVariables(file.text) }));
  const declaredSensitive = new Set(variables.flatMap(({ parsed }) => parsed.variables.filter((d) => d.sensitive).map((d) => d.name)));
  const isSensitive = (name: string) => declaredSensitive.has(name) || matchesAny(source.config.sensitive, name);
  const findings: Finding[] = [];
  const check = (file: SourceFile, diagnostics: Diagnostic[], secrets: string[]) => {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) return true;
    const lines = new LineCounter(file.text);
    for (const d of errors) {
      const { line, col } = lines.position(d.range.start);
      findings.push({ severity: 'error', code: 'syntax', message: scrub(d.message, secrets), file: file.file, line, column: col });
    }
    return false;
  };
  const readable = variables.filter(({ file, parsed }) => check(file, parsed.diagnostics, secretsOfVariables(file.text, isSensitive)));
  const tfvars = (file: SourceFile) => {
    const doc = parseTfvars(file.text, { json: isJsonVariablesFile(file.path) });
    return check(file, doc.diagnostics, secretsOfText(file.text, isSensitive));
  };
  const sharedReadable = source.shared.text === undefined || tfvars({ ...source.shared, text: source.shared.text });
  const environments = source.environments.filter(tfvars);

  const at = configLocator(source, input.config);
  findings.push(...unmatchedPathFindings(source.config, { variables: source.variables.length, environments: source.environments.length }, at, 'classic'));
  for (const s of input.skipped) findings.push({ severity: 'warning', code: 'skipped-environment', message: s.message, file: s.file, line: 1 });

  const repo = buildRepository({
    config: source.config,
    variables: readable.map(({ file }) => file),
    shared: sharedReadable ? source.shared : { path: source.shared.path, file: source.shared.file },
    environments,
  });
  const rules = validateRepository(repo, {
    ...options,
    config: input.config,
    incomplete: { declarations: readable.length < variables.length, shared: !sharedReadable },
  });
  // concat, not push(...): spreading a million findings as arguments overflows the stack.
  return { findings: sortFindings(findings.concat(rules.findings), files), files, notChecked: rules.notChecked, repo };
}

/** A tfsync.json that does not load: its error and the ones listed with it, each where it is. */
function configFindings(config: SourceFile, error: TfsyncError): Finding[] {
  return [error, ...(error.options.more ?? [])].map((e) => {
    const location = e.location;
    const position = location ? new LineCounter(location.text).position(location.range.start) : { line: 1, col: undefined };
    return {
      severity: 'error',
      code: 'config',
      message: e.message,
      file: config.file,
      line: position.line,
      ...(position.col === undefined ? {} : { column: position.col }),
      ...(e.hint ? { hint: e.hint } : {}),
    };
  });
}

// Moved to the model, where every command's error excerpts use them too; kept here for importers.
export { scrub, secretsOfText } from '../model/secrets.js';
