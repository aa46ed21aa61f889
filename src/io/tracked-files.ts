/**
 * Which files git tracks, for `check`'s plain-text secrets: a value in a file git ignores (a local
 * `secrets.auto.tfvars`) is where it should be, one in a tracked file is in every clone.
 */
import { resolve } from 'node:path';
import { TfsyncError } from '../errors.js';
import { git } from './git.js';

/**
 * The absolute paths git tracks under `root`, or undefined when `root` is not in a git work tree
 * (or git is not installed): then every file counts as tracked, since nothing says it is not.
 */
export async function trackedFiles(root: string, env: Record<string, string | undefined>): Promise<Set<string> | undefined> {
  try {
    const { stdout } = await git(['ls-files', '-z', '--cached'], { cwd: root, env });
    return new Set(stdout.split('\0').filter(Boolean).map((file) => resolve(root, file)));
  } catch (err) {
    if (err instanceof TfsyncError) return undefined;
    throw err;
  }
}
