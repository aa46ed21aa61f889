/**
 * The shell around buildRepository: find tfsync.json, discover the environments, read every file
 * (in parallel), and hand the texts to the pure model.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { TfsyncError } from '../errors.js';
import { findConfig, loadConfig, type Config } from '../model/config.js';
import { discoverEnvironments, resolveEnvironment, type DiscoveryWarning, type Environment } from '../model/environments.js';
import { buildRepository, type Repository, type SourceFile } from '../model/repository.js';
import type { ValidationInput } from '../sync/validate-sources.js';
import { errorCode, nodeFileSystem, type FileSystem } from './file-system.js';
import { readTextFile } from './read-text.js';

export interface LoadOptions {
  /** The working directory: where the search for tfsync.json starts, and what paths are shown relative to. */
  cwd: string;
  /** `--config`: the tfsync.json to use, relative to cwd. */
  config?: string;
  /** Environment names the command was given: checked before any tfvars file is read. */
  environments?: readonly string[];
  fs?: FileSystem;
}

export interface LoadedConfig {
  config: Config;
  environments: Environment[];
  /** For stderr: environments skipped, files missing. */
  warnings: string[];
}

export interface LoadedRepository {
  repo: Repository;
  warnings: string[];
}

/** Finds and reads tfsync.json and discovers the environments, reading no tfvars file. */
export async function loadConfigAndEnvironments(options: LoadOptions): Promise<LoadedConfig> {
  const fs = options.fs ?? nodeFileSystem;
  const path = options.config !== undefined ? resolve(options.cwd, options.config) : findConfig(options.cwd);
  if (path === undefined) {
    throw new TfsyncError(`no tfsync.json found in ${options.cwd} or any parent`, { hint: 'run `tfsync init` to create one' });
  }
  const { text } = await readTextFile(path, fs);
  const config = loadConfig(path, text);
  const skipped: DiscoveryWarning[] = [];
  const environments = await discoverEnvironments(config, skipped);
  return { config, environments, warnings: skipped.map((w) => w.message) };
}

/** Everything a read-only command needs: config, declarations, the shared layer, every environment. */
export async function loadRepository(options: LoadOptions): Promise<LoadedRepository> {
  const fs = options.fs ?? nodeFileSystem;
  const { config, environments, warnings } = await loadConfigAndEnvironments(options);
  // A typo in a name is the likelier mistake, and its "did you mean" more useful than a syntax error elsewhere.
  for (const name of options.environments ?? []) resolveEnvironment(config, environments, name);
  const show = (path: string) => displayPath(options.cwd, path);
  const read = async (path: string): Promise<SourceFile> => ({ path, file: show(path), text: (await readTextFile(path, fs)).text });

  const [variables, sharedText, envFiles] = await Promise.all([
    variablesFiles(config, fs).then((paths) => Promise.all(paths.map(read))),
    fileExists(config.shared, fs).then((found) => (found ? readTextFile(config.shared, fs).then((f) => f.text) : undefined)),
    Promise.all(environments.map(async (env) => ({ name: env.name, ...(await read(env.file)) }))),
  ]);
  if (variables.length === 0) {
    warnings.push(`no variables file matches ${show(config.variables)}: no declarations or defaults are known`);
  }
  const shared = { path: config.shared, file: show(config.shared), ...(sharedText === undefined ? {} : { text: sharedText }) };
  return { repo: buildRepository({ config, variables, shared, environments: envFiles }), warnings };
}

/** The .tf files `variables` names: one file, or the matches of a glob, sorted. */
async function variablesFiles(config: Config, fs: FileSystem): Promise<string[]> {
  if (!/[*?[\]{}]/.test(config.variables)) return (await fileExists(config.variables, fs)) ? [config.variables] : [];
  const pattern = relative(config.root, config.variables).split(sep).join('/');
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
    throw new TfsyncError(`no tfsync.json found in ${options.cwd} or any parent`, { hint: 'run `tfsync init` to create one' });
  }
  const configSource = { path: configPath, file: show(configPath), text: (await readTextFile(configPath, fs)).text };
  let config: Config;
  try {
    config = loadConfig(configPath, configSource.text);
  } catch (err) {
    if (err instanceof TfsyncError) return { config: configSource, configError: err, skipped: [] };
    throw err;
  }
  const skipped: DiscoveryWarning[] = [];
  const environments = await discoverEnvironments(config, skipped);
  const read = async (path: string): Promise<SourceFile> => ({ path, file: show(path), text: (await readTextFile(path, fs)).text });
  const [variables, sharedText, envFiles] = await Promise.all([
    variablesFiles(config, fs).then((paths) => Promise.all(paths.map(read))),
    fileExists(config.shared, fs).then((found) => (found ? readTextFile(config.shared, fs).then((f) => f.text) : undefined)),
    Promise.all(environments.map(async (env) => ({ name: env.name, ...(await read(env.file)) }))),
  ]);
  const shared = { path: config.shared, file: show(config.shared), ...(sharedText === undefined ? {} : { text: sharedText }) };
  return {
    config: configSource,
    repository: { config, variables, shared, environments: envFiles },
    skipped: skipped.map((w) => ({ file: show(w.file), message: w.message })),
  };
}
