/**
 * The pure model of a repository: the declarations, the shared layer and every environment's layer,
 * parsed, with each variable classified. The shell (src/io/load-repository.ts) reads the files;
 * everything here takes their texts, so commands and tests can build a repository from strings.
 */
import { TfsyncError, syntaxError } from '../errors.js';
import { isJsonVariablesFile, parseTfvars, type TfvarsDocument } from '../hcl/tfvars.js';
import { parseVariables, type VariableDeclaration } from '../hcl/variables.js';
import type { KeyPath } from '../hcl/key-path.js';
import { parsePlaceDocument } from '../hcl/object-place.js';
import { classify, syncsAnyPart, type Classification } from './classify.js';
import type { Config } from './config.js';
import { SHARED, resolveEnvironment } from './environments.js';
import { matchesAny } from './patterns.js';
import { secretsOfText, secretsOfVariables } from './secrets.js';

/** A file as the model needs it: where it is, how users see its path, and its text. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** The path as users see it (relative to the working directory). */
  file: string;
  text: string;
}

export interface RepositoryInput {
  config: Config;
  /** Every variables (.tf) file; none when the config's `variables` matches nothing. */
  variables: SourceFile[];
  /** The shared file; `text` undefined when it does not exist yet. */
  shared: Omit<SourceFile, 'text'> & { text?: string };
  environments: Array<SourceFile & { name: string }>;
}

/** One layer of values: an environment's file or the shared file. */
export interface Layer {
  /** The environment's name, or `@shared`. */
  name: string;
  path: string;
  file: string;
  /** False only for a shared file not created yet (its document is then empty). */
  exists: boolean;
  doc: TfvarsDocument;
  /**
   * General form: every value source of this environment, lowest precedence first (the `-var-file`
   * order); `doc` is then the most specific one's. Absent for the classic form.
   */
  sources?: LayerSource[];
  /** General form with `stacks`: the stack this environment belongs to. */
  stack?: string;
}

/** One file an environment reads its values from (general form). */
export interface LayerSource {
  /** The layer's name in tfsync.json. */
  layer: string;
  /** Read by every environment (the layer has no `{env}`). */
  shared: boolean;
  /** The classic shared file: only syncable variables count from it. */
  syncableOnly: boolean;
  path: string;
  file: string;
  exists: boolean;
  /** There but not readable as text (git-crypt): its variables are set but unknown. */
  unreadable: boolean;
  /** Empty when the file is absent or unreadable. */
  doc: TfvarsDocument;
}

export type DeclaredVariable = VariableDeclaration & { file: string };

/** Something worth telling the user that does not stop a command (validate reports them all). */
export interface RepositoryProblem {
  code: 'duplicate-declaration' | 'undeclared' | 'shared-not-syncable' | 'conflict';
  severity: 'error' | 'warning';
  message: string;
  variable: string;
  file?: string;
  line?: number;
}

export interface Repository {
  config: Config;
  declarations: Map<string, DeclaredVariable>;
  shared: Layer;
  /** Every environment, in name order. */
  environments: Map<string, Layer>;
  /** Every declared or set name. */
  classification: Map<string, Classification>;
  problems: RepositoryProblem[];
  /** General form: the layers every environment reads (`@NAME`), by name. */
  sharedLayers?: Map<string, Layer>;
  /** General form with `stacks`: the stack this repository models. */
  stack?: string;
}

/** An environment's file as the model needs it: the file and the environment's name. */
export type EnvironmentSource = SourceFile & { name: string };

/** Parses and classifies everything; throws the first file's syntax errors. */
export function buildRepository(input: RepositoryInput): Repository {
  const repo = buildBase(input);
  for (const env of [...input.environments].sort((a, b) => compare(a.name, b.name))) repo.environments.set(env.name, parseEnvironment(repo, env));
  // parseEnvironment adds names as it meets them; the map is in name order, and reports follow it.
  repo.classification = new Map([...repo.classification].sort(([a], [b]) => compare(a, b)));
  // concat, not push(...): spreading a million problems as arguments overflows the stack.
  repo.problems = repo.problems.concat(layerProblems([repo.shared, ...repo.environments.values()], repo.shared, repo.declarations, repo.classification));
  return repo;
}

/**
 * The repository without its environments: the declarations, the shared layer, and the
 * classification of their names; `environments` is empty and `problems` holds only duplicate
 * declarations. Throws the syntax errors of the variables files, then the shared file's. Commands
 * that go through many environments (check) start here and add them one at a time with
 * parseEnvironment, so that only one parsed environment is in memory at once.
 */
export function buildBase(input: Omit<RepositoryInput, 'environments'>): Repository {
  const { config } = input;
  const variablesFiles = input.variables.map((source) => ({ source, parsed: parseVariables(source.text) }));
  const shared: Layer = layer(SHARED, input.shared);

  const problems: RepositoryProblem[] = [];
  const declarations = new Map<string, DeclaredVariable>();
  for (const { source, parsed } of variablesFiles) {
    for (const decl of parsed.variables) {
      const earlier = declarations.get(decl.name);
      if (earlier) {
        problems.push({
          code: 'duplicate-declaration',
          severity: 'error',
          variable: decl.name,
          message: `variable "${decl.name}" is declared twice (first in ${earlier.file}:${earlier.line})`,
          file: source.file,
          line: decl.line,
        });
        continue;
      }
      declarations.set(decl.name, { ...decl, file: source.file });
    }
  }

  const names = new Set(declarations.keys());
  for (const a of shared.doc.attributes) names.add(a.name);
  const declaredSensitive = new Set([...declarations.values()].filter((d) => d.sensitive).map((d) => d.name));
  const classification = classify([...names].sort(compare), config, declaredSensitive);

  // Syntax errors stop every command, but only now: the error's excerpt must not show a secret,
  // and which values are secret is known only once the declarations are read.
  const isSensitive = (name: string) => declaredSensitive.has(name) || matchesAny(config.sensitive, name);
  for (const { source, parsed } of variablesFiles) {
    if (!hasErrors(parsed.diagnostics)) continue;
    const defaults = parsed.variables.filter((d) => d.sensitive && typeof d.default === 'string').map((d) => d.default as string);
    throw withSecrets(syntaxError(source.file, source.text, parsed.diagnostics), defaults.concat(secretsOfVariables(source.text, isSensitive)));
  }
  if (hasErrors(shared.doc.diagnostics)) throw withSecrets(syntaxError(shared.file, shared.doc.text, shared.doc.diagnostics), secretsOf(shared.doc, isSensitive));
  return { config, declarations, shared, environments: new Map(), classification, problems };
}

/**
 * One environment's layer, parsed against the repository's declarations (which say what its
 * syntax error's excerpt must mask). Throws that error. Names no other file has shown yet are
 * classified and added to `repo.classification` (in the order met), so that a conflict in any
 * environment still stops assertNoConflicts; the layer itself is not kept in `repo`.
 */
export function parseEnvironment(repo: Repository, source: EnvironmentSource, place?: KeyPath, parsed?: TfvarsDocument): Layer {
  const env = parsed ? { name: source.name, path: source.path, file: source.file, exists: true, doc: parsed } : layer(source.name, source, place);
  if (hasErrors(env.doc.diagnostics)) {
    const isSensitive = (name: string) => repo.declarations.get(name)?.sensitive === true || matchesAny(repo.config.sensitive, name);
    throw withSecrets(syntaxError(env.file, env.doc.text, env.doc.diagnostics), secretsOf(env.doc, isSensitive));
  }
  const unseen = env.doc.attributes.filter((a) => !repo.classification.has(a.name)).map((a) => a.name);
  // Every declared name is classified already, so none of these is declared sensitive.
  if (unseen.length > 0) for (const [name, c] of classify(unseen, repo.config)) repo.classification.set(name, c);
  return env;
}

/** `place`: the values are the items of the object there (a Terragrunt `inputs`; object-place.ts). */
function layer(name: string, source: RepositoryInput['shared'], place?: KeyPath): Layer {
  const json = isJsonVariablesFile(source.path);
  // A file not created yet is an empty document of its syntax: "" is no JSON document, and reading
  // it so broke every command while a .tfvars.json shared file did not exist.
  const text = source.text ?? (json ? '{}' : '');
  const doc = place ? parsePlaceDocument(text, place, { json }) : parseTfvars(text, { json });
  return { name, path: source.path, file: source.file, exists: source.text !== undefined, doc };
}

function hasErrors(diagnostics: TfvarsDocument['diagnostics']): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

function withSecrets(error: TfsyncError, secrets: string[]): TfsyncError {
  return secrets.length === 0 ? error : new TfsyncError(error.message, { ...error.options, secrets });
}

/**
 * What an excerpt of a file with syntax errors must mask: the values of its sensitive attributes.
 * The parser leaves out an attribute it could not read, and that is the one an excerpt shows, so
 * lines that look like `name = ...` or `"name": ...` for a sensitive name count too, with the
 * lines their value continues on (secrets.ts).
 */
function secretsOf(doc: TfvarsDocument, isSensitive: (name: string) => boolean): string[] {
  const secrets: string[] = [];
  for (const a of doc.attributes) {
    if (!isSensitive(a.name)) continue;
    secrets.push(a.source);
    if (typeof a.value === 'string') secrets.push(a.value);
  }
  return secrets.concat(secretsOfText(doc.text, isSensitive));
}

export function layerProblems(
  layers: Layer[],
  shared: Layer,
  declarations: Map<string, DeclaredVariable>,
  classification: Map<string, Classification>,
): RepositoryProblem[] {
  const problems: RepositoryProblem[] = [];
  // Without any declarations (no variables file yet) every name would be "undeclared": say nothing.
  if (declarations.size > 0) {
    const reported = new Set<string>();
    for (const l of layers) {
      for (const a of l.doc.attributes) {
        if (declarations.has(a.name) || reported.has(a.name)) continue;
        reported.add(a.name);
        problems.push({
          code: 'undeclared',
          severity: 'warning',
          variable: a.name,
          message: `"${a.name}" is set but no variables file declares it (Terraform warns and ignores it)`,
          file: l.file,
          line: a.line,
        });
      }
    }
  }
  for (const a of shared.doc.attributes) {
    const c = classification.get(a.name);
    if (!c || syncsAnyPart(c) || c.class === 'conflict') continue;
    problems.push({
      code: 'shared-not-syncable',
      severity: 'warning',
      variable: a.name,
      message: `"${a.name}" is ${c.class} but set in the shared file; tfsync ignores it there, Terraform does not`,
      file: shared.file,
      line: a.line,
    });
  }
  for (const [name, c] of classification) {
    if (c.class !== 'conflict') continue;
    problems.push({ code: 'conflict', severity: 'error', variable: name, message: conflictMessage(name, c) });
  }
  return problems;
}

function conflictMessage(name: string, c: Classification): string {
  const quote = (patterns: string[] = []) => patterns.map((p) => JSON.stringify(p)).join(', ');
  return `variable "${name}" matches syncable ${quote(c.conflict?.syncable)} and environmentSpecific ${quote(c.conflict?.environmentSpecific)}`;
}

/**
 * Refuses to go on while a variable is claimed by both classes: syncing it or not would be a
 * guess. Every command but `validate` (which reports conflicts) calls this first.
 */
export function assertNoConflicts(repo: Repository): void {
  // Sorted: a repository built one environment at a time has its classification in the order met.
  const conflicts = [...repo.classification].filter(([, c]) => c.class === 'conflict').sort(([a], [b]) => compare(a, b));
  if (conflicts.length === 0) return;
  const hint = 'list the variable by its full name under the class it belongs to (an exact name beats a glob), or narrow a pattern';
  const [first, ...rest] = conflicts.map(([name, c]) => new TfsyncError(`${conflictMessage(name, c)} in ${repo.config.path}`, { code: 'classification-conflict' }));
  throw new TfsyncError(first!.message, { code: 'classification-conflict', hint, more: rest });
}

/** The layer an environment name stands for (`@shared` included), or resolveEnvironment's error. */
export function resolveLayer(repo: Repository, name: string): Layer {
  if (name === SHARED) return repo.shared;
  const named = name.startsWith('@') ? repo.sharedLayers?.get(name.slice(1)) : undefined;
  if (named) return named;
  const found = repo.environments.get(name);
  if (found) return found;
  const known = [...repo.environments.values()].map((l) => ({ name: l.name, file: l.path }));
  resolveEnvironment(repo.config, known, name);
  // resolveEnvironment throws for every name not in `known`.
  throw new Error(`unreachable: environment "${name}" resolved but has no layer`);
}

/** The classification of a name, unclassified when the repository has never seen it. */
export function classificationOf(repo: Repository, name: string): Classification {
  return repo.classification.get(name) ?? { class: 'unclassified', sensitive: matchesAny(repo.config.sensitive, name), groups: [] };
}

// Code-unit order: the same on every machine, unlike localeCompare.
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
