/**
 * The shell around buildRepository: find tfsync.json, find the environments a command needs, read
 * their files (in parallel), and hand the texts to the pure model. `check` goes through every
 * environment one at a time instead (openRepository), so that memory does not grow with their number.
 */
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import { parseVariables } from '../hcl/variables.js';
import { isGeneralForm, loadConfig, type Config } from '../model/config.js';
import { discoverEnvironments, findEnvironment } from './discover-environments.js';
import { findConfig } from './find-config.js';
import { listNames } from '../model/suggest.js';
import { directLayout, discoverLayers, readStack, readStackSources, type StackLayout } from './discover-layers.js';
import type { TfvarsDocument } from '../hcl/tfvars.js';
import type { LayerSourceInput } from '../model/layered-repository.js';
import {
  SHARED,
  resolveEnvironment,
  type DiscoveryWarning,
  type Environment,
} from '../model/environments.js';
import { isInside } from '../model/path-inside.js';
import { matchesAny } from '../model/patterns.js';
import { buildBase, buildRepository, compare, type EnvironmentSource, type Repository, type SourceFile } from '../model/repository.js';
import { withSecretsOfText } from '../model/secrets.js';
import type { ValidationInput } from '../sync/validate-sources.js';
import { errorCode, fsErrorReason, nodeFileSystem, type FileSystem } from './file-system.js';
import { readTextFile } from './read-text.js';

export interface LoadOptions {
  /** The working directory: where the search for tfsync.json starts, and what paths are shown relative to. */
  cwd: string;
  /** `--config`: the tfsync.json to use, relative to cwd. */
  config?: string;
  /**
   * Environment names the command was given (`@shared` for the shared layer): checked before any
   * tfvars file is read, and then the only environments read. Every environment when absent or empty.
   */
  environments?: readonly string[];
  /** `--stack`: only these stacks (general form with `stacks`). Every stack when absent or empty. */
  stacks?: readonly string[];
  fs?: FileSystem;
}

export interface LoadedConfig {
  config: Config;
  environments: Environment[];
  /** For stderr: environments skipped, files missing. */
  warnings: string[];
  /** The files the environments glob matched that are not environments, and why. */
  skipped: DiscoveryWarning[];
}

export interface LoadedRepository {
  repo: Repository;
  warnings: string[];
}

/** Finds and reads tfsync.json and discovers the environments, reading no tfvars file. */
export async function loadConfigAndEnvironments(options: LoadOptions): Promise<LoadedConfig> {
  const fs = options.fs ?? nodeFileSystem;
  return discover(await loadConfigFile(options, fs), fs);
}

/** Finds, reads and checks tfsync.json, and nothing else. */
export async function loadConfigOnly(options: LoadOptions): Promise<Config> {
  return loadConfigFile(options, options.fs ?? nodeFileSystem);
}

/** Finds, reads and checks tfsync.json. */
async function loadConfigFile(options: LoadOptions, fs: FileSystem): Promise<Config> {
  const path = options.config !== undefined ? resolve(options.cwd, options.config) : findConfig(options.cwd);
  if (path === undefined) {
    throw new TfsyncError(`no tfsync.json found in ${options.cwd} or any parent`, { code: 'config-not-found', hint: 'run `tfsync init` to create one' });
  }
  const { text } = await readTextFile(path, fs);
  return loadConfig(path, text);
}

async function discover(config: Config, fs: FileSystem): Promise<LoadedConfig> {
  const skipped: DiscoveryWarning[] = [];
  const environments = await discoverEnvironments(config, skipped, fs);
  return { config, environments, warnings: skipped.map((w) => w.message), skipped };
}

/**
 * The environment a command was given, by name. One that discovery skipped (a link out of the
 * repository, say) is an error that says why, rather than "unknown environment".
 */
export function resolveNamedEnvironment({ config, environments, skipped }: LoadedConfig, name: string): Environment {
  const skip = skipped.find((w) => w.name === name);
  if (skip && !environments.some((e) => e.name === name)) {
    throw new TfsyncError(skip.message, { code: 'unknown-environment', hint: `tfsync reads and writes only files inside ${config.root}, the folder of ${config.path}` });
  }
  return resolveEnvironment(config, environments, name);
}

/**
 * Refuses, before anything is written, a file whose real path is outside the repository (the
 * folder of tfsync.json): a symbolic link, the shared file's say, must not lead a promotion or a
 * restore to edit a file somewhere else. Files that do not exist yet are judged by their folder.
 */
export async function assertInsideRepository(config: Pick<Config, 'root'>, paths: readonly string[], cwd: string, fs: FileSystem = nodeFileSystem): Promise<void> {
  const root = await fs.realpath(config.root).catch(() => config.root);
  for (const path of paths) {
    const real = await realPathOf(path, fs);
    if (!isInside(root, real)) {
      throw new TfsyncError(`refusing to write ${displayPath(cwd, path)}: it leads to ${real}, outside the repository ${root}; nothing was written`, {
        code: 'outside-repository',
        hint: 'tfsync edits only files inside the folder of tfsync.json; replace the symbolic link with the file itself',
      });
    }
  }
}

/** The real path of a file, or of its nearest existing folder joined with the rest. */
async function realPathOf(path: string, fs: FileSystem): Promise<string> {
  try {
    return await fs.realpath(path);
  } catch (err) {
    if (errorCode(err) !== 'ENOENT') throw new TfsyncError(`cannot resolve ${path}: ${fsErrorReason(err)}; nothing was written`, { code: 'write-failed' });
  }
  const stats = await fs.lstat(path).catch(() => undefined);
  // A dangling link: where it would lead is not known; writeFileAtomic refuses it.
  if (stats?.isSymbolicLink()) return path;
  const parent = dirname(path);
  return parent === path ? path : join(await realPathOf(parent, fs), basename(path));
}

/** The environments a command works on, and what finding them had to say. */
interface Selection {
  config: Config;
  /** In name order, each once. */
  environments: Environment[];
  warnings: string[];
}

/**
 * The environments named in `options` (every one when none is named). Named ones are looked up
 * directly, without listing the others; only a name that lookup cannot confirm (a typo, a link
 * out of the repository) sends everything through discovery, whose error lists the known names.
 */
async function selectEnvironments(options: LoadOptions, fs: FileSystem, given?: Config): Promise<Selection> {
  const names = [...new Set(options.environments ?? [])];
  if (names.length > 0) {
    const config = given ?? (await loadConfigFile(options, fs));
    const wanted = names.filter((name) => name !== SHARED);
    const found = await Promise.all(wanted.map((name) => findEnvironment(config, name, fs)));
    if (found.every((env) => env !== undefined)) return { config, environments: found.sort(byName), warnings: [] };
    const loaded = await discover(config, fs);
    // A typo in a name is the likelier mistake, and its "did you mean" more useful than a syntax error elsewhere.
    const environments = names.map((name) => resolveNamedEnvironment(loaded, name)).filter((env) => env.name !== SHARED);
    return { config, environments: environments.sort(byName), warnings: loaded.warnings };
  }
  const { config, environments, warnings } = given ? await discover(given, fs) : await loadConfigAndEnvironments(options);
  return { config, environments, warnings };
}

/**
 * Everything a read-only command needs: config, declarations, the shared layer, and the
 * environments named in `options` (every one when none is named). An environment not named is not
 * read, so a syntax error or a conflict in it does not stop a `diff` of two others.
 */
export async function loadRepository(options: LoadOptions): Promise<LoadedRepository> {
  return loadRepositoryWith(options, await loadConfigFile(options, options.fs ?? nodeFileSystem));
}

async function loadRepositoryWith(options: LoadOptions, general: Config): Promise<LoadedRepository> {
  const fs = options.fs ?? nodeFileSystem;
  if (isGeneralForm(general)) {
    const { repos, warnings } = await loadStacks(options, general);
    return { repo: oneStack(general, repos, options.environments ?? []), warnings };
  }
  const { config, environments, warnings } = await selectEnvironments(options, fs, general);
  const sources = readSources(config, options.cwd, fs);
  const [base, envFiles] = await Promise.all([sources.base, Promise.all(environments.map(sources.environment))]);
  if (base.variables.length === 0) warnings.push(noVariablesWarning(config, options.cwd));
  return { repo: buildRepository({ ...base, environments: envFiles }), warnings };
}

export interface LoadedStacks {
  config: Config;
  /** One repository per stack (one in all without `stacks`), in stack order. */
  repos: Repository[];
  warnings: string[];
}

/**
 * The general form: every stack (or those `options.stacks` names) with the environments in
 * `options.environments` (every one when none is named); a stack without any of the named
 * environments is left out, and a name no stack has is an error that lists the known ones.
 */
export async function loadStacks(options: LoadOptions, loaded?: Config): Promise<LoadedStacks> {
  const opened = await openStacks(options, loaded);
  const repos = await Promise.all(opened.stacks.map((s) => opened.read(s)));
  return { config: opened.config, repos, warnings: opened.warnings };
}

export interface OpenedStacks {
  config: Config;
  /** The stacks to read (those with a named environment, when some are named), in stack order. */
  stacks: StackLayout[];
  /** Discovery's warnings, and each read's as it happens. */
  warnings: string[];
  /** Reads one stack's files (only the named environments'); check reads one stack at a time. */
  read(stack: StackLayout): Promise<Repository>;
}

/** loadStacks without the reading: the layouts found, and how to read each. */
export async function openStacks(options: LoadOptions, loaded?: Config): Promise<OpenedStacks> {
  const fs = options.fs ?? nodeFileSystem;
  const config = loaded ?? (await loadConfigFile(options, fs));
  const named = [...new Set(options.environments ?? [])].filter((n) => !n.startsWith('@'));
  // Named stacks and environments are found without listing a folder (diff A B --stack S).
  const layout = (await directLayout(config, options.stacks ?? [], named, fs)) ?? (await discoverLayers(config, options.stacks ?? []));
  const warnings = [...layout.warnings];
  const known = [...new Set(layout.stacks.flatMap((s) => s.environments.map((e) => e.name)))].sort(compare);
  for (const name of named) {
    if (!known.includes(name)) {
      resolveEnvironment(config, known.map((n) => ({ name: n, file: '' })), name);
    }
  }
  const stacks = named.length === 0 ? layout.stacks : layout.stacks.filter((s) => named.some((n) => s.environments.some((e) => e.name === n)));
  const show = (path: string) => displayPath(options.cwd, path);
  // A file several stacks read (a common layer) is read and parsed once.
  const parsed = new Map<string, TfvarsDocument>();
  const texts = new Map<string, Promise<LayerSourceInput>>();
  return { config, stacks, warnings, read: (s) => readStack(config, s, { environments: named, show, fs, warnings, texts }, parsed) };
}

/**
 * For commands that cover every stack: one repository per stack in the general form (those with
 * the named environments), the one repository in the classic form.
 */
export async function loadRepositories(options: LoadOptions): Promise<{ repos: Repository[]; warnings: string[] }> {
  const fs = options.fs ?? nodeFileSystem;
  const config = await loadConfigFile(options, fs);
  if (isGeneralForm(config)) return loadStacks(options, config);
  if ((options.stacks ?? []).length > 0) throw new TfsyncError(`--stack needs "stacks" in ${config.path}: this repository is one stack`, { code: 'usage' });
  const { repo, warnings } = await loadRepositoryWith(options, config);
  return { repos: [repo], warnings };
}

/** The one stack a single-repository command works on, or an error that asks for `--stack`. */
function oneStack(config: Config, repos: Repository[], names: readonly string[]): Repository {
  const named = names.filter((n) => !n.startsWith('@'));
  const fits = repos.filter((r) => named.every((n) => r.environments.has(n)));
  if (fits.length === 1) return fits[0]!;
  if (fits.length === 0 && repos.length === 1) return repos[0]!;
  if (fits.length === 0) {
    throw new TfsyncError(`no stack has every one of ${named.map((n) => JSON.stringify(n)).join(', ')}`, { code: 'unknown-stack', hint: 'name environments of one stack' });
  }
  throw new TfsyncError(`${fits.length} stacks have ${named.length === 0 ? 'environments' : 'these environments'} (${listNames(fits.map((r) => r.stack ?? ''))}): name one with --stack`, { code: 'ambiguous-stack',
    hint: `e.g. --stack ${fits[0]!.stack}; "stacks" in ${config.path} defines them`,
  });
}

export interface OpenedRepository {
  /** The repository without environments (buildBase): add each with parseEnvironment. */
  repo: Repository;
  /** The environments to go through, in name order. */
  environments: Environment[];
  warnings: string[];
  /** Reads the environments' files in name order, a few ahead of the one being worked on. */
  read(): AsyncGenerator<EnvironmentSource>;
}

/** Files read ahead of the environment being parsed: enough to keep the disk busy, few enough to hold. */
const READ_AHEAD = 4;

/**
 * For commands that go through many environments: loads the config, the variables files and the
 * shared file (throwing their syntax errors), and leaves the environments to be read one at a
 * time, so that the caller can parse each, keep what it found and let the document go.
 */
export async function openRepository(options: LoadOptions, loaded?: Config): Promise<OpenedRepository> {
  const fs = options.fs ?? nodeFileSystem;
  const { config, environments, warnings } = await selectEnvironments(options, fs, loaded);
  const sources = readSources(config, options.cwd, fs);
  const base = await sources.base;
  if (base.variables.length === 0) warnings.push(noVariablesWarning(config, options.cwd));
  return { repo: buildBase(base), environments, warnings, read: () => readAhead(environments, sources.environment, READ_AHEAD) };
}

/**
 * The results of `read` over `items`, in order, with at most `window` reads under way. A read
 * that fails is reported when its turn comes; one the caller never reaches (it stopped at an
 * earlier error) must not become an unhandled rejection.
 */
async function* readAhead<T, R>(items: readonly T[], read: (item: T) => Promise<R>, window: number): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  const start = () => {
    const promise = read(items[next++]!);
    promise.catch(() => undefined);
    pending.push(promise);
  };
  while (next < items.length && pending.length < window) start();
  while (pending.length > 0) {
    const result = await pending.shift()!;
    if (next < items.length) start();
    yield result;
  }
}

/** How a command reads the variables files, the shared file and environments' files. */
function readSources(config: Config, cwd: string, fs: FileSystem) {
  const show = (path: string) => displayPath(cwd, path);
  const variablesRead = variablesFiles(config, fs).then((paths) => Promise.all(paths.map((path) => readSource(path, show, fs))));
  // Keep a failure for whoever awaits `base`; a command that stops earlier must not leave it unhandled.
  variablesRead.catch(() => undefined);
  const read = (path: string) => readSource(path, show, fs).catch(maskSecrets(config, variablesRead));
  const sharedRead = fileExists(config.shared, fs).then((found) => (found ? read(config.shared).then((f) => f.text) : undefined));
  const base = Promise.all([variablesRead, sharedRead]).then(([variables, sharedText]) => ({
    config,
    variables,
    shared: { path: config.shared, file: show(config.shared), ...(sharedText === undefined ? {} : { text: sharedText }) },
  }));
  base.catch(() => undefined);
  return { base, environment: async (env: Environment): Promise<EnvironmentSource> => ({ name: env.name, ...(await read(env.file)) }) };
}

function noVariablesWarning(config: Config, cwd: string): string {
  return `no variables file matches ${displayPath(cwd, config.variables)}: no declarations or defaults are known`;
}

function byName(a: Environment, b: Environment): number {
  return compare(a.name, b.name);
}

async function readSource(path: string, show: (path: string) => string, fs: FileSystem): Promise<SourceFile> {
  return { path, file: show(path), text: (await readTextFile(path, fs)).text };
}

/**
 * For a tfvars file that cannot be decoded (invalid UTF-8, a NUL byte): its error quotes a line,
 * which must not show a sensitive value. Sensitive by the config's patterns, or declared so in the
 * variables files (when they could be read).
 */
function maskSecrets(config: Config, variables: Promise<SourceFile[]>): (err: unknown) => Promise<never> {
  return async (err) => {
    const files = await variables.catch((): SourceFile[] => []);
    const declared = new Set(files.flatMap((f) => parseVariables(f.text).variables.filter((d) => d.sensitive).map((d) => d.name)));
    throw withSecretsOfText(err, (name) => declared.has(name) || matchesAny(config.sensitive, name));
  };
}

/** The .tf files `variables` names: one file, or the matches of a glob, sorted. */
async function variablesFiles(config: Config, fs: FileSystem): Promise<string[]> {
  if (!/[*?[\]{}]/.test(config.variables)) return (await fileExists(config.variables, fs)) ? [config.variables] : [];
  const pattern = relative(config.root, config.variables).split(sep).join('/');
  // Loaded only for a glob: a single variables.tf (the usual case) does without it.
  const { glob } = await import('tinyglobby');
  const files = await glob(pattern, { cwd: config.root, absolute: true, onlyFiles: true, expandDirectories: false });
  return files.map((f) => resolve(f)).sort();
}

/** Whether a file is there to read; a problem other than its absence is left for the read to report. */
export async function fileExists(path: string, fs: FileSystem = nodeFileSystem): Promise<boolean> {
  try {
    return (await fs.stat(path)).isFile();
  } catch (err) {
    if (errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR') return false;
    return true;
  }
}

/** A path as users should see it: relative to the working directory (with `..` where needed). */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel === '' || isAbsolute(rel) ? path : rel;
}

/**
 * What `validate` needs: every file's text, read without parsing, so that it can report every
 * syntax error of every file and go on with the rest. An invalid tfsync.json is returned as
 * `configError` rather than thrown; a missing or unreadable one is still an error.
 */
export async function loadRepositoryForValidation(options: Omit<LoadOptions, 'environments'>): Promise<ValidationInput> {
  const fs = options.fs ?? nodeFileSystem;
  const show = (path: string) => displayPath(options.cwd, path);
  const configPath = options.config !== undefined ? resolve(options.cwd, options.config) : findConfig(options.cwd);
  if (configPath === undefined) {
    throw new TfsyncError(`no tfsync.json found in ${options.cwd} or any parent`, { code: 'config-not-found', hint: 'run `tfsync init` to create one' });
  }
  const configSource = { path: configPath, file: show(configPath), text: (await readTextFile(configPath, fs)).text };
  let config: Config;
  try {
    config = loadConfig(configPath, configSource.text);
  } catch (err) {
    if (err instanceof TfsyncError) return { config: configSource, configError: err, skipped: [] };
    throw err;
  }
  if (isGeneralForm(config)) {
    const layout = await discoverLayers(config, options.stacks ?? []);
    const warnings = [...layout.warnings];
    const stacks = await Promise.all(layout.stacks.map((s) => readStackSources(config, s, { show, fs, warnings })));
    return { config: configSource, skipped: [], layered: { config: configSource, stacks, warnings } };
  }
  const skipped: DiscoveryWarning[] = [];
  const environments = await discoverEnvironments(config, skipped, fs);
  const sources = readSources(config, options.cwd, fs);
  const [base, envFiles] = await Promise.all([sources.base, Promise.all(environments.map(sources.environment))]);
  return {
    config: configSource,
    repository: { ...base, environments: envFiles },
    skipped: skipped.map((w) => ({ file: show(w.file), message: w.message })),
  };
}
