import * as fsp from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import type { Config } from './config.js';
import { isInside } from './path-inside.js';
import { didYouMean, listNames } from './suggest.js';

/** The name under which the shared layer is addressed wherever an environment name is taken. */
export const SHARED = '@shared';

export interface Environment {
  name: string;
  /** Absolute path of the environment's tfvars file (for `@shared`, the shared file, which may not exist yet). */
  file: string;
}

/** A file the environments glob matched but tfsync will not treat as an environment. */
export interface DiscoveryWarning {
  file: string;
  name: string;
  message: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Why `name` cannot be an environment name, or undefined when it can. Names end up in paths,
 * command lines and JSON keys, so only a plain single path segment is allowed: no separators,
 * no `..`, no leading dot (hidden folders), and no leading `@` (reserved for `@shared`).
 */
export function validateEnvironmentName(name: string): string | undefined {
  const quoted = JSON.stringify(name);
  if (name === SHARED) return `${quoted} is reserved for the shared layer`;
  if (name === '') return 'an environment name must not be empty';
  if (name.includes('/') || name.includes('\\')) return `invalid environment name ${quoted}: it must not contain a path separator`;
  if (name.includes('..')) return `invalid environment name ${quoted}: it must not contain ".."`;
  if (!NAME.test(name)) {
    return `invalid environment name ${quoted}: it must start with a letter or digit and contain only letters, digits, ".", "_" and "-"`;
  }
  return undefined;
}

/**
 * The environment name in `relPath` (relative to the config folder, with `/` separators) for the
 * environments glob (likewise relative): the text its single `*` stands for. Undefined when the
 * path does not fit the glob, or the `*` would have to span a folder.
 */
export function environmentNameFromPath(glob: string, relPath: string): string | undefined {
  const star = glob.indexOf('*');
  if (star < 0) return undefined;
  const prefix = glob.slice(0, star);
  const suffix = glob.slice(star + 1);
  if (relPath.length < prefix.length + suffix.length) return undefined;
  if (!relPath.startsWith(prefix) || !relPath.endsWith(suffix)) return undefined;
  const name = relPath.slice(prefix.length, relPath.length - suffix.length);
  return name.includes('/') ? undefined : name;
}

/**
 * The environments the config's glob finds, sorted by name. Matches that cannot be environments
 * (bad names, links that lead out of the config folder) are left out and described in `warnings`
 * when given, so that one stray folder does not stop every command. The shared file is never an
 * environment, even when the glob matches it (`envs/*.tfvars` next to `envs/shared.tfvars`).
 */
export async function discoverEnvironments(config: Config, warnings?: DiscoveryWarning[]): Promise<Environment[]> {
  // Imported here, not at the top: tinyglobby and picomatch (CommonJS) take 10-17 ms to load, and
  // `diff`/`show` with names that findEnvironment finds never need a listing.
  const { escapePath, glob } = await import('tinyglobby');
  const pattern = toPosix(relative(config.root, config.environments));
  const star = pattern.indexOf('*');
  const files = await glob(`${escapePath(pattern.slice(0, star))}*${escapePath(pattern.slice(star + 1))}`, {
    cwd: config.root,
    absolute: true,
    onlyFiles: true,
    // Hidden matches are found so that they can be reported rather than silently ignored.
    dot: true,
    expandDirectories: false,
    // Symlinked environment folders inside the repository are common; the realpath check below
    // refuses the ones that lead outside it, so that tfsync never writes where the user did not look.
    followSymbolicLinks: true,
  });
  const candidates = files.filter((file) => file !== config.shared);
  const realRoot = candidates.length > 0 ? await fsp.realpath(config.root) : config.root;
  const environments: Environment[] = [];
  const skipped: DiscoveryWarning[] = [];
  await Promise.all(
    candidates.map(async (file) => {
      const name = environmentNameFromPath(pattern, toPosix(relative(config.root, file)));
      if (name === undefined) return;
      const invalid = validateEnvironmentName(name);
      if (invalid !== undefined) {
        skipped.push({ file, name, message: `${invalid}; ${file} is skipped` });
        return;
      }
      // The glob leaves out dangling links, but a file can still vanish between the glob and here.
      const real = await fsp.realpath(file).catch(() => undefined);
      if (real === undefined) {
        skipped.push({ file, name, message: `${file} has disappeared; environment "${name}" is skipped` });
        return;
      }
      if (!isInside(realRoot, real)) {
        skipped.push({ file, name, message: `${file} is a link to a file outside ${config.root}; environment "${name}" is skipped` });
        return;
      }
      environments.push({ name, file });
    }),
  );
  warnings?.push(...skipped.sort((a, b) => compare(a.file, b.file)));
  return environments.sort((a, b) => compare(a.name, b.name));
}

/** What findEnvironment asks of the file system; src/io's FileSystem has it, node:fs/promises too. */
export interface PathProbe {
  stat(path: string): Promise<{ isFile(): boolean }>;
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
}

/**
 * The environment called `name`, found without listing the others: the name put in place of the
 * `*` of the environments pattern, and the file there held to every rule discoverEnvironments
 * applies (a valid name, not the shared file, a file, its real path inside the repository).
 * Undefined whenever it cannot say yes: the caller then asks discoverEnvironments, whose answer
 * (or error, with its list of known names) stays the one users see.
 */
export async function findEnvironment(config: Config, name: string, probe: PathProbe = fsp): Promise<Environment | undefined> {
  if (validateEnvironmentName(name) !== undefined) return undefined;
  const pattern = toPosix(relative(config.root, config.environments));
  const star = pattern.indexOf('*');
  if (star < 0 || pattern.includes('*', star + 1)) return undefined;
  const relPath = pattern.slice(0, star) + name + pattern.slice(star + 1);
  const file = resolve(config.root, relPath);
  if (file === config.shared || environmentNameFromPath(pattern, relPath) !== name) return undefined;
  try {
    // The folder listing the `*` segment must hold exactly this entry: on a case-insensitive file
    // system `Prod` would stat fine where the glob lists only `prod`, and an unlistable folder hides
    // its files from the glob too.
    const segmentStart = pattern.lastIndexOf('/', star) + 1;
    const segmentEnd = pattern.indexOf('/', star);
    const entry = relPath.slice(segmentStart, segmentEnd < 0 ? undefined : segmentEnd + name.length - 1);
    const folder = segmentStart === 0 ? config.root : resolve(config.root, relPath.slice(0, segmentStart - 1));
    const [entries, stats, real, realRoot] = await Promise.all([
      probe.readdir(folder),
      probe.stat(file),
      probe.realpath(file),
      probe.realpath(config.root),
    ]);
    if (!entries.includes(entry) || !stats.isFile() || !isInside(realRoot, real)) return undefined;
  } catch {
    return undefined;
  }
  return { name, file };
}

/**
 * The environment called `name`, or the shared layer for `@shared`. An unknown name is an error
 * that lists the known ones and suggests the closest.
 */
export function resolveEnvironment(config: Config, environments: readonly Environment[], name: string): Environment {
  if (name === SHARED) return { name: SHARED, file: config.shared };
  const found = environments.find((e) => e.name === name);
  if (found) return found;
  if (environments.length === 0) {
    throw new TfsyncError(`unknown environment "${name}": no files match ${toPosix(relative(config.root, config.environments))}`, {
      code: 'unknown-environment',
      hint: `check "environments" in ${config.path}`,
    });
  }
  const known = [...environments.map((e) => e.name), SHARED];
  // Someone who types the path of the file (`environments/prod/terraform.tfvars`) means its environment.
  const byPath = name.includes('/') ? environments.find((e) => toPosix(e.file).endsWith(`/${name.replace(/^\.\//, '')}`)) : undefined;
  throw new TfsyncError(`unknown environment "${name}" (known: ${listNames(known)})`, {
    code: 'unknown-environment',
    hint: byPath ? `environments are given by name: did you mean "${byPath.name}"?` : didYouMean(name, known),
  });
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}


// Code-unit order: the same on every machine, unlike localeCompare.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
