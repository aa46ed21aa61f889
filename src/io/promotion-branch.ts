/**
 * The git side of `promote --branch`: a temporary worktree at the base commit where the promotion
 * is written and committed, so the user's checkout (its branch, index and files) is never touched;
 * the branch moved to the new commit only when it changes something; the push, with
 * --force-with-lease only over a commit tfsync made itself.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TfsyncError } from '../errors.js';
import { isPromotionCommit } from '../sync/promotion-request.js';
import { git, gitText } from './git.js';

type Env = Record<string, string | undefined>;

/** The top folder of the git repository `cwd` is in. */
export async function gitRoot(cwd: string, env: Env): Promise<string> {
  const root = await git(['rev-parse', '--show-toplevel'], { cwd, env, allow: [128] });
  if (root.code !== 0) throw new TfsyncError(`${cwd} is not in a git repository: --branch, --push and --pr need one`, { code: 'not-a-git-repository' });
  return realpath(root.stdout.trim());
}

/** The commit `ref` names, or an error saying it names none. */
export async function resolveCommit(root: string, ref: string, env: Env): Promise<string> {
  const result = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, env, allow: [1, 128] });
  if (result.code !== 0) throw new TfsyncError(`--base ${ref}: no such commit in this repository`, { code: 'usage' });
  return result.stdout.trim();
}

/** Runs `work` in a detached worktree of `commit`, removed afterwards whatever happens. */
export async function inWorktree<T>(root: string, commit: string, env: Env, work: (dir: string, scratch: string) => Promise<T>): Promise<T> {
  const scratch = await realpath(await mkdtemp(join(tmpdir(), 'tfsync-branch-')));
  const dir = join(scratch, 'worktree');
  try {
    await git(['worktree', 'add', '--quiet', '--detach', dir, commit], { cwd: root, env });
    return await work(dir, scratch);
  } finally {
    await git(['worktree', 'remove', '--force', dir], { cwd: root, env, allow: [128] });
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Which of `paths` (relative to the root) have changes in the user's tree, staged or not, or are untracked. */
export async function dirtyPaths(root: string, paths: readonly string[], env: Env): Promise<string[]> {
  if (paths.length === 0) return [];
  const status = await git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', ...paths], { cwd: root, env });
  return status.stdout
    .split('\0')
    .filter((entry) => entry.length > 3)
    .map((entry) => entry.slice(3));
}

/** Commits exactly `paths` in the worktree; returns the new commit. */
export async function commitPaths(dir: string, scratch: string, paths: readonly string[], message: string, env: Env): Promise<string> {
  const file = join(scratch, 'message.txt');
  await writeFile(file, message);
  await git(['add', '--', ...paths], { cwd: dir, env });
  await git(['commit', '--quiet', '--file', file, '--', ...paths], { cwd: dir, env });
  return gitText(['rev-parse', 'HEAD'], { cwd: dir, env });
}

export type BranchUpdate = { kind: 'created' | 'reset'; commit: string } | { kind: 'unchanged'; commit: string };

/**
 * Points branch `name` at `commit`, unless it already holds the same files (then it is left as it
 * is: no new commit). A branch whose tip tfsync did not make is refused rather than reset.
 */
export async function updateBranch(root: string, name: string, commit: string, env: Env): Promise<BranchUpdate> {
  const ref = `refs/heads/${name}`;
  const valid = await git(['check-ref-format', ref], { cwd: root, env, allow: [1] });
  if (valid.code !== 0) throw new TfsyncError(`--branch ${name}: not a valid git branch name`, { code: 'usage' });
  const existing = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, env, allow: [1] });
  if (existing.code === 0) {
    const tip = existing.stdout.trim();
    if ((await tree(root, tip, env)) === (await tree(root, commit, env))) return { kind: 'unchanged', commit: tip };
    if (!isPromotionCommit(await gitText(['log', '-1', '--format=%B', tip], { cwd: root, env }))) {
      throw new TfsyncError(`branch ${name} has commits tfsync did not make; it is left as it is`, { code: 'branch-conflict',
        hint: `name another branch with --branch NAME, or delete this one (git branch -D ${name})`,
      });
    }
  }
  await git(['branch', '--force', name, commit], { cwd: root, env });
  return { kind: existing.code === 0 ? 'reset' : 'created', commit };
}

export type PushResult = 'pushed' | 'replaced' | 'up to date';

/**
 * Pushes the branch. Over an earlier tfsync commit that the new one does not descend from, with
 * --force-with-lease on the commit just seen, so that a commit pushed meanwhile is never lost; over
 * anyone else's commit, not at all.
 */
export async function pushBranch(root: string, remote: string, name: string, commit: string, env: Env): Promise<PushResult> {
  const ref = `refs/heads/${name}`;
  const listed = await gitText(['ls-remote', remote, ref], { cwd: root, env });
  const remoteTip = listed.split('\t')[0] || undefined;
  if (remoteTip === commit) return 'up to date';
  if (!remoteTip) {
    await git(['push', '--quiet', remote, `${commit}:${ref}`], { cwd: root, env });
    return 'pushed';
  }
  await git(['fetch', '--quiet', remote, ref], { cwd: root, env });
  const ancestor = await git(['merge-base', '--is-ancestor', remoteTip, commit], { cwd: root, env, allow: [1] });
  if (ancestor.code === 0) {
    await git(['push', '--quiet', remote, `${commit}:${ref}`], { cwd: root, env });
    return 'pushed';
  }
  if (!isPromotionCommit(await gitText(['log', '-1', '--format=%B', remoteTip], { cwd: root, env }))) {
    throw new TfsyncError(`${remote}'s ${name} has commits tfsync did not make; not pushed`, { code: 'branch-conflict', hint: 'name another branch with --branch NAME' });
  }
  await git(['push', '--quiet', `--force-with-lease=${ref}:${remoteTip}`, remote, `${commit}:${ref}`], { cwd: root, env });
  return 'replaced';
}

/**
 * The URL of a remote as configured, for telling the GitHub repository: before `insteadOf`
 * rewrites, which change how git reaches it, not which repository it is.
 */
export async function remoteUrl(root: string, remote: string, env: Env): Promise<string | undefined> {
  const result = await git(['config', '--get', `remote.${remote}.url`], { cwd: root, env, allow: [1] });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

/** The branch checked out in the user's tree, if any (undefined for a detached HEAD). */
export async function currentBranch(root: string, env: Env): Promise<string | undefined> {
  const result = await git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root, env, allow: [1, 128] });
  return result.code === 0 ? result.stdout.trim() : undefined;
}

function tree(root: string, commit: string, env: Env): Promise<string> {
  return gitText(['rev-parse', `${commit}^{tree}`], { cwd: root, env });
}
