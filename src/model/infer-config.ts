/**
 * `tfsync init` without the shell: which layout a repository uses, where its declarations and
 * shared file are, and which variables are syncable, from what the environments show (or from an
 * old Makefile's lists). Every decision carries a one-line reason, because a guess the user cannot
 * check is worse than no guess: they read the reasons and edit tfsync.json where one is wrong.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { parseVariables } from '../hcl/variables.js';
import { sameValue } from '../sync/value-equality.js';
import { environmentNameFromPath, validateEnvironmentName } from './environments.js';
import { ENV_SPECIFIC_LIST, SYNCABLE_LIST, type MakefileLists } from './makefile-vars.js';
import { environmentSpecificByNature, looksSecret, nameWords, syncableByNature } from './name-nature.js';
import { compare, type Repository } from './repository.js';
import { listNames } from './suggest.js';

/** The layouts init recognises, in order of preference when two find as many environments. */
export const LAYOUTS: readonly string[] = [
  'environments/*/terraform.tfvars',
  'envs/*/terraform.tfvars',
  'env/*/terraform.tfvars',
  'environments/*.tfvars',
  'envs/*.tfvars',
  'env/*.tfvars',
  'tfvars/*.tfvars',
  'vars/*.tfvars',
];

const DEFAULT_SHARED = 'environments/shared-features.tfvars';
const FOLDERS = [...new Set(LAYOUTS.map(folderOf))];

/** Every glob whose matches init needs (relative to the repository, `/`-separated): one search. */
export const SEARCH_PATTERNS: readonly string[] = [...LAYOUTS, ...FOLDERS.map((f) => `${f}/shared*.tfvars`), ...FOLDERS.map((f) => `${f}/*.tf`), '*.tf'];

export interface Layout {
  /** The environments glob for tfsync.json. */
  environments: string;
  found: Array<{ name: string; path: string }>;
  shared: { path: string; exists: boolean };
  /** How many environments each layout finds, for the report. */
  counts: Array<{ glob: string; count: number }>;
}

function folderOf(glob: string): string {
  return glob.slice(0, glob.indexOf('/'));
}

/**
 * The layout that finds the most environments among `paths` (every file the shell found for
 * SEARCH_PATTERNS), with its shared file. Refuses when no layout finds any, saying where it looked.
 */
export function chooseLayout(paths: readonly string[]): Layout {
  const all = new Set(paths);
  let best: Layout | undefined;
  const counts: Layout['counts'] = [];
  for (const glob of LAYOUTS) {
    const shared = sharedFor(folderOf(glob), all);
    // The shared file is never an environment, even where the glob matches it (`envs/*.tfvars`).
    const found = paths
      .filter((path) => path !== shared.path)
      .map((path) => ({ name: environmentNameFromPath(glob, path), path }))
      .filter((e): e is { name: string; path: string } => e.name !== undefined && validateEnvironmentName(e.name) === undefined)
      .sort((a, b) => compare(a.name, b.name));
    counts.push({ glob, count: found.length });
    if (found.length > (best?.found.length ?? 0)) best = { environments: glob, found, shared, counts: [] };
  }
  if (!best) {
    throw new TfsyncError('no environments found: no tfvars file matches a layout tfsync knows', { code: 'no-environments',
      hint: `looked for ${LAYOUTS.join(', ')}; for another layout, write tfsync.json by hand ("environments" is a glob with one "*")`,
    });
  }
  return { ...best, counts };
}

/** The design's default, else a `shared*.tfvars` beside the environments, else where one would go. */
function sharedFor(folder: string, paths: ReadonlySet<string>): Layout['shared'] {
  if (paths.has(DEFAULT_SHARED)) return { path: DEFAULT_SHARED, exists: true };
  const beside = [...paths].filter((p) => p.startsWith(`${folder}/shared`) && !p.slice(folder.length + 1).includes('/') && p.endsWith('.tfvars')).sort(compare);
  if (beside.length > 0) return { path: beside[0]!, exists: true };
  return { path: `${folder}/shared-features.tfvars`, exists: false };
}

export interface SourceText {
  /** Relative to the repository, `/`-separated. */
  path: string;
  text: string;
}

export interface VariablesChoice {
  /** The value of "variables" in tfsync.json: the module's one .tf file, or a glob of all of them. */
  variables: string;
  /** Every .tf file of the module, read for declarations: what "variables" matches. */
  files: SourceText[];
  /** The files among them with variable blocks. */
  declaring: string[];
  reason: string;
}

/**
 * Where the declarations are: the module is the root when its .tf files declare variables, else
 * the folder of the environments when its .tf files do. Terraform reads every .tf file of a
 * module, and a `variable` may sit in any of them (a `sensitive = true` one in secrets.tf must not
 * be missed), so "variables" names all of them: the one file, or `*.tf` in that folder, which is
 * exactly what tfsync then reads. Undefined when no .tf file declares anything.
 */
export function chooseVariables(tfFiles: readonly SourceText[], folder: string): VariablesChoice | undefined {
  const places = [
    { prefix: '', where: 'in the root module' },
    { prefix: `${folder}/`, where: 'beside the environments' },
  ];
  for (const { prefix, where } of places) {
    const files = tfFiles.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/'));
    const declaring = files.filter((f) => parseVariables(f.text).variables.length > 0).map((f) => f.path);
    if (declaring.length === 0) continue;
    const variables = files.length === 1 ? files[0]!.path : `${prefix}*.tf`;
    const reason = files.length === 1 ? `the only .tf file ${where}` : `all ${files.length} .tf files ${where}; variable blocks in ${listNames(declaring, 10)}`;
    return { variables, files, declaring, reason };
  }
  return undefined;
}

export type InferredClass = 'syncable' | 'environment-specific' | 'unclassified';

export interface Decision {
  name: string;
  class: InferredClass;
  reason: string;
}

export interface Classification {
  decisions: Decision[];
  /** Names that look secret but are not declared sensitive: tfsync.json lists them so they are masked. */
  sensitive: string[];
}

/**
 * Classifies every variable the repository declares or sets. With `makefile`, its lists decide and
 * the rest stays unclassified, as the Makefile never synced them (the reason says what the values
 * suggest). Without, in this order: a name no declaration has (when there are declarations) is
 * unclassified; environment-specific by nature (name); syncable when the shared file sets it (that
 * file exists to hold features); syncable by nature (images, application versions, timeouts,
 * feature flags, worker resources), whatever the values, since drift is what promotion fixes;
 * then by the values the environments' own files set: equal in every one that sets it (two or
 * more) is syncable, different is environment-specific. Set in one environment or none, there is
 * nothing to compare: unclassified, which tfsync reports and never syncs, until the user lists it.
 */
export function inferClassification(repo: Repository, makefile?: MakefileLists): Classification {
  const names = new Set<string>(repo.declarations.keys());
  for (const layer of [repo.shared, ...repo.environments.values()]) for (const a of layer.doc.attributes) names.add(a.name);
  if (makefile) for (const name of [...makefile.syncable, ...makefile.environmentSpecific]) names.add(name);
  const decisions = [...names].sort(compare).map((name) => (makefile ? fromMakefile(repo, makefile, name) : infer(repo, name)));
  const sensitive = [...names].filter((name) => looksSecret(name) && !repo.declarations.get(name)?.sensitive).sort(compare);
  return { decisions, sensitive };
}

function fromMakefile(repo: Repository, makefile: MakefileLists, name: string): Decision {
  const unseen = repo.declarations.has(name) || setAnywhere(repo, name) ? '' : '; nothing declares or sets it here';
  if (makefile.syncable.includes(name)) return { name, class: 'syncable', reason: `listed in ${SYNCABLE_LIST}${unseen}` };
  if (makefile.environmentSpecific.includes(name)) return { name, class: 'environment-specific', reason: `listed in ${ENV_SPECIFIC_LIST}${unseen}` };
  const guess = infer(repo, name);
  const hint = guess.class === 'unclassified' ? '' : ` (init alone would say ${guess.class}: ${guess.reason})`;
  return { name, class: 'unclassified', reason: `in neither list of the Makefile, which never synced it${hint}` };
}

function setAnywhere(repo: Repository, name: string): boolean {
  if (repo.shared.doc.byName.has(name)) return true;
  for (const layer of repo.environments.values()) if (layer.doc.byName.has(name)) return true;
  return false;
}

function infer(repo: Repository, name: string): Decision {
  // With declarations known, a name none of them has is a typo or a leftover (Terraform warns
  // "Value for undeclared variable"): never a guess to write into tfsync.json.
  if (repo.declarations.size > 0 && !repo.declarations.has(name)) {
    return { name, class: 'unclassified', reason: 'declared in no .tf file: Terraform ignores it (with a warning), so init does not guess' };
  }
  const nature = environmentSpecificByNature(name);
  if (nature) return { name, class: 'environment-specific', reason: `by nature: ${nature}` };
  const shared = repo.shared.doc.byName.get(name);
  if (shared) return { name, class: 'syncable', reason: `the shared file sets it (${repo.shared.file}:${shared.line})` };
  // Before the values: environments that have drifted differ exactly where promotion is needed.
  const feature = syncableByNature(name);
  if (feature) return { name, class: 'syncable', reason: `by nature: ${feature}${valuesNote(repo, name)}` };
  const setters: Array<{ env: string; value: JsonValue }> = [];
  for (const layer of repo.environments.values()) {
    const own = layer.doc.byName.get(name);
    if (own) setters.push({ env: layer.name, value: own.value });
  }
  const total = repo.environments.size;
  if (setters.length === 0) {
    const declaration = repo.declarations.get(name);
    const what = declaration && !declaration.hasDefault ? 'required, yet no environment sets it' : 'no environment sets it (all use the default)';
    return { name, class: 'unclassified', reason: `${what}: nothing to compare` };
  }
  if (setters.length === 1) {
    return { name, class: 'unclassified', reason: `only ${setters[0]!.env} sets it: nothing to compare it with` };
  }
  const distinct = distinctValues(setters.map((s) => s.value));
  const where = setters.length === total ? `all ${total} environments` : `${setters.length} of ${total} environments (${listNames(setters.map((s) => s.env), 5)})`;
  if (distinct === 1) return { name, class: 'syncable', reason: `the same value in ${where}` };
  return { name, class: 'environment-specific', reason: `${distinct} different values in ${where} (no name rule applies; if they are drift, list it as syncable)` };
}

/** What the values say about a feature classified by its name, for the user to weigh. */
function valuesNote(repo: Repository, name: string): string {
  const values: JsonValue[] = [];
  for (const layer of repo.environments.values()) {
    const own = layer.doc.byName.get(name);
    if (own) values.push(own.value);
  }
  if (values.length < 2) return '';
  const distinct = distinctValues(values);
  return distinct === 1 ? `; the same value in the ${values.length} environments that set it` : `; ${distinct} different values across ${values.length} environments: drift to promote`;
}

function distinctValues(values: JsonValue[]): number {
  const distinct: JsonValue[] = [];
  for (const v of values) if (!distinct.some((d) => sameValue(d, v))) distinct.push(v);
  return distinct.length;
}

/**
 * The groups the Makefile snippet's partial targets use (`sync-images`, `sync-dask`,
 * `sync-timeouts` run `--only images|dask|timeouts`), made of the syncable names that fit, so that
 * the pasted targets work. A group nothing fits is left out.
 */
export function snippetGroups(syncable: readonly string[]): Record<string, string[]> {
  const groups: Record<string, string[]> = {};
  const fits: Record<string, string[]> = { images: ['image', 'images'], dask: ['dask'], timeouts: ['timeout', 'timeouts'] };
  for (const [group, words] of Object.entries(fits)) {
    const members = syncable.filter((name) => nameWords(name).some((w) => words.includes(w)));
    if (members.length > 0) groups[group] = members;
  }
  return groups;
}

export interface ConfigDraft {
  schema: string;
  variables: string;
  shared: string;
  environments: string;
  decisions: readonly Decision[];
  sensitive: readonly string[];
}

/** tfsync.json's text: pretty-printed, keys in the schema's order, exact names sorted. */
export function renderConfig(draft: ConfigDraft): string {
  const of = (c: InferredClass) => draft.decisions.filter((d) => d.class === c).map((d) => d.name);
  const syncable = of('syncable');
  const groups = snippetGroups(syncable);
  const doc: Record<string, unknown> = {
    $schema: draft.schema,
    variables: draft.variables,
    shared: draft.shared,
    environments: draft.environments,
    syncable,
    environmentSpecific: of('environment-specific'),
  };
  if (Object.keys(groups).length > 0) doc['groups'] = groups;
  if (draft.sensitive.length > 0) doc['sensitive'] = [...draft.sensitive];
  return `${JSON.stringify(doc, null, 2)}\n`;
}
