/**
 * Finding the classic form's environments on disk: the files its glob matches, held to the rules
 * that keep tfsync inside the repository (a valid name, a real path inside the folder of
 * tfsync.json). The model (src/model/environments.ts) names and resolves environments; this file
 * alone asks the file system, through the FileSystem interface so that fault injection reaches it.
 */
import { relative, resolve } from 'node:path';
import type { Config } from '../model/config.js';
import { environmentNameFromPath, toPosix, validateEnvironmentName, type DiscoveryWarning, type Environment } from '../model/environments.js';
import { isInside } from '../model/path-inside.js';
import { compare } from '../model/repository.js';
import { nodeFileSystem } from './file-system.js';

/**
 * The environments the config's glob finds, sorted by name. Matches that cannot be environments
 * (bad names, links that lead out of the config folder) are left out and described in `warnings`
 * when given, so that one stray folder does not stop every command. The shared file is never an
 * environment, even when the glob matches it (`envs/*.tfvars` next to `envs/shared.tfvars`).
 */
export async function discoverEnvironments(config: Config, warnings?: DiscoveryWarning[], fs: PathProbe = nodeFileSystem): Promise<Environment[]> {
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
  const realRoot = candidates.length > 0 ? await fs.realpath(config.root) : config.root;
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
      const real = await fs.realpath(file).catch(() => undefined);
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
export async function findEnvironment(config: Config, name: string, probe: PathProbe = nodeFileSystem): Promise<Environment | undefined> {
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
