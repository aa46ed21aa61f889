/**
 * Which variables are sensitive, for the commands that do not load a whole repository: `restore`
 * (which must work when files no longer parse) and `get` / `set` (which take any tfvars file).
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import { parseVariables } from '../hcl/variables.js';
import { loadConfig, type Config } from '../model/config.js';
import { findConfig } from './find-config.js';
import { matchesAny } from '../model/patterns.js';
import { nodeFileSystem, type FileSystem } from './file-system.js';
import { readTextFile } from './read-text.js';

export type Sensitivity = (name: string) => boolean;

/** Nothing is known to be sensitive. */
export const NOTHING_SENSITIVE: Sensitivity = () => false;

/**
 * The config's `sensitive` patterns and the variables its variables files declare `sensitive =
 * true`, read leniently: a file with errors still declares what it can, and one that cannot be
 * read declares nothing.
 */
export async function sensitivityOf(config: Config, fs: FileSystem = nodeFileSystem): Promise<Sensitivity> {
  return (await governingOf(config, fs)).isSensitive;
}

/** What a tfsync.json says about the tfvars files it governs: which names are secret, which are declared. */
export interface Governing {
  isSensitive: Sensitivity;
  /** Every name its variables files declare. */
  declared: ReadonlySet<string>;
  /** Where the declarations are read from (the config's `variables`, as written). */
  variablesFiles: string;
}

async function governingOf(config: Config, fs: FileSystem): Promise<Governing> {
  const declared = new Set<string>();
  const sensitive = new Set<string>();
  // tinyglobby only for a pattern: loading it costs every command's start-up a few milliseconds.
  const files = /[*?[\]{}]/.test(config.variables)
    ? await (await import('tinyglobby')).glob(relative(config.root, config.variables).split(sep).join('/'), { cwd: config.root, absolute: true, onlyFiles: true })
    : [config.variables];
  for (const path of files) {
    const text = await readTextFile(resolve(path), fs).then((f) => f.text).catch(() => undefined);
    if (text === undefined) continue;
    for (const decl of parseVariables(text).variables) {
      declared.add(decl.name);
      if (decl.sensitive) sensitive.add(decl.name);
    }
  }
  const variablesFiles = relative(config.root, config.variables).split(sep).join('/');
  return { isSensitive: (name) => sensitive.has(name) || matchesAny(config.sensitive, name), declared, variablesFiles };
}

/**
 * What is sensitive in a tfvars file that `get` or `set` was given: by the config named with
 * `--config`, else by the nearest tfsync.json in the file's folder or a parent (the one that
 * governs it). Without one, nothing is known to be sensitive. A config that is there but cannot
 * be loaded is an error: guessing would print values it declares secret.
 */
export async function sensitivityForFile(
  path: string,
  options: { cwd: string; config?: string; fs?: FileSystem },
): Promise<Sensitivity> {
  return (await governingForFile(path, options))?.isSensitive ?? NOTHING_SENSITIVE;
}

/** The tfsync.json governing a tfvars file, as sensitivityForFile finds it; undefined when there is none. */
export async function governingForFile(
  path: string,
  { cwd, config, fs = nodeFileSystem }: { cwd: string; config?: string; fs?: FileSystem },
): Promise<Governing | undefined> {
  const configPath = config !== undefined ? resolve(cwd, config) : findConfig(dirname(path));
  if (configPath === undefined) return undefined;
  try {
    const { text } = await readTextFile(configPath, fs);
    return await governingOf(loadConfig(configPath, text), fs);
  } catch (err) {
    if (!(err instanceof TfsyncError)) throw err;
    throw new TfsyncError(err.message, {
      ...err.options,
      hint: `${err.hint ? `${err.hint}; ` : ''}tfsync reads ${configPath} for which values of ${path} are sensitive: fix it, or pass --show-sensitive to print every value regardless`,
    });
  }
}
