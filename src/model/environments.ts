import { relative, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import type { Config } from './config.js';
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

export function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

