/**
 * `validate` in the general form (layers, stacks): every file of every stack once for syntax, then
 * each stack's repository built from the files that parse, and validate.ts's rules on it. A
 * finding says which stacks it concerns; one several stacks report the same (a common layer file
 * read by every stack) is listed once, and a tfsync.json pattern is unused only when it matches no
 * variable in any stack.
 */
import { LineCounter } from '../hcl/line-counter.js';
import { parseVariables } from '../hcl/variables.js';
import { buildLayeredRepository, parseLayerText, type LayeredInput, type LayerSourceInput } from '../model/layered-repository.js';
import { matchesAny } from '../model/patterns.js';
import { scrub, secretsOfText, secretsOfVariables } from '../model/secrets.js';
import type { RepositoryInput, SourceFile } from '../model/repository.js';
import { configLocator, sortFindings, unmatchedPathFindings, type Finding } from './findings.js';
import { validateRepository, type ValidateOptions } from './validate.js';
import type { ValidationReport } from './validate-sources.js';

export interface LayeredValidationInput {
  config: SourceFile;
  /** Every stack's files as read (one stack without `stacks`). */
  stacks: LayeredInput[];
  /** What discovery and reading said (encrypted files, skipped names). */
  warnings: string[];
}

export function validateLayeredSources(input: LayeredValidationInput, options: Pick<ValidateOptions, 'typeCheck'> = {}): ValidationReport {
  const files = [input.config.file];
  const seen = new Set<string>();
  const failed = new Set<string>();
  const findings: Finding[] = [];
  const syntax = (file: SourceFile, diagnostics: Array<{ severity: string; message: string; range: { start: number } }>, secrets: string[]) => {
    if (seen.has(file.path)) return !failed.has(file.path);
    seen.add(file.path);
    files.push(file.file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length === 0) return true;
    failed.add(file.path);
    const lines = new LineCounter(file.text);
    for (const d of errors) {
      const { line, col } = lines.position(d.range.start);
      findings.push({ severity: 'error', code: 'syntax', message: scrub(d.message, secrets), file: file.file, line, column: col });
    }
    return false;
  };
  const perStack: Finding[][] = [];
  let notChecked = 0;
  for (const stack of input.stacks) {
    const variables = stack.variables.map((file) => ({ file, parsed: parseVariables(file.text) }));
    const declaredSensitive = new Set(variables.flatMap(({ parsed }) => parsed.variables.filter((d) => d.sensitive).map((d) => d.name)));
    const isSensitive = (name: string) => declaredSensitive.has(name) || matchesAny(stack.config.sensitive, name);
    const readable = variables.filter(({ file, parsed }) => syntax(file, parsed.diagnostics, secretsOfVariables(file.text, isSensitive))).map(({ file }) => file);
    let incompleteLayers = false;
    // A file with syntax errors counts as absent: the rules then judge the rest.
    const checked = (s: LayerSourceInput, env?: string): LayerSourceInput => {
      if (s.text === undefined) return s;
      const doc = parseLayerText({ ...s, text: s.text }, env);
      if (syntax({ path: s.path, file: s.file, text: s.text }, doc.diagnostics, secretsOfText(s.text, isSensitive))) return s;
      incompleteLayers = true;
      return { layer: s.layer, path: s.path, file: s.file };
    };
    const repo = buildLayeredRepository({
      ...stack,
      variables: readable,
      shared: stack.shared.map((s) => checked(s)),
      environments: stack.environments.map((e) => ({ name: e.name, sources: e.sources.map((s) => checked(s, e.name)) })),
    });
    const at = configLocator(repo, input.config);
    const own: Finding[] = unmatchedPathFindings(repo.config, { variables: stack.variables.length, environments: stack.environments.length }, at, 'layers');
    const rules = validateRepository(repo, {
      ...options,
      config: input.config,
      incomplete: { declarations: readable.length < variables.length, shared: incompleteLayers },
    });
    // Per stack: a common file's values are checked against each stack's declarations.
    notChecked += rules.notChecked;
    const tag = stack.stack === undefined ? {} : { stacks: [stack.stack] };
    perStack.push(own.concat(rules.findings).map((f) => ({ ...f, ...tag })));
  }
  return { findings: sortFindings(findings.concat(mergeStacks(perStack)), files), files, notChecked };
}

/** Every file of every stack once, as the official parser's cross-check (cross-check.ts) takes them. */
export function crossCheckInput(input: LayeredValidationInput): RepositoryInput {
  const variables = new Map<string, SourceFile>();
  const values = new Map<string, SourceFile & { name: string }>();
  for (const stack of input.stacks) {
    for (const v of stack.variables) variables.set(v.path, v);
    for (const s of [...stack.shared, ...stack.environments.flatMap((e) => e.sources)]) {
      if (s.text !== undefined) values.set(s.path, { name: s.layer.name, path: s.path, file: s.file, text: s.text });
    }
  }
  const config = input.stacks[0]?.config;
  return { config: config!, variables: [...variables.values()], shared: { path: input.config.path, file: input.config.file }, environments: [...values.values()] };
}

/** One finding per place and message, naming every stack that reported it; unused patterns only when unused everywhere. */
function mergeStacks(perStack: Finding[][]): Finding[] {
  const merged = new Map<string, Finding>();
  const counts = new Map<string, number>();
  for (const findings of perStack) {
    for (const f of findings) {
      const key = JSON.stringify([f.severity, f.code, f.file, f.line, f.column, f.message]);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const earlier = merged.get(key);
      if (!earlier) merged.set(key, f);
      else if (f.stacks) earlier.stacks = [...new Set([...(earlier.stacks ?? []), ...f.stacks])];
    }
  }
  const out: Finding[] = [];
  for (const [key, f] of merged) {
    // tfsync.json's entries are for every stack: a name or environment is unknown only when no stack has it.
    if (f.code === 'unused-pattern' || f.code === 'secret-unknown-variable' || f.code === 'secret-unknown-environment') {
      if (counts.get(key)! < perStack.length) continue;
      // Every stack says it: it is about tfsync.json, not about one stack.
      delete f.stacks;
    }
    out.push(f);
  }
  return out;
}
