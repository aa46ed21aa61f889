/**
 * `promote --branch/--push/--pr` (and `check --report pr`): the promotion committed on a branch of
 * its own, pushed, and proposed as a GitHub pull request, each step idempotent.
 *
 * The user's checkout is never touched: the promotion is written in a temporary `git worktree` of
 * the base commit (HEAD, or --base), committed there, and the branch pointed at that commit; the
 * checked-out branch, the index and every file stay as they were. Since the branch is made from
 * commits, uncommitted edits to the files the promotion writes would silently be left out, so they
 * are refused instead, by name.
 */
import { realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import { setActionOutputs } from '../io/action-output.js';
import { gitText } from '../io/git.js';
import { gitHubFromEnv, type GitHubClient } from '../io/github.js';
import { commitPaths, currentBranch, dirtyPaths, gitRoot, inWorktree, pushBranch, remoteUrl, resolveCommit, updateBranch } from '../io/promotion-branch.js';
import type { Plan } from '../sync/plan.js';
import {
  changedNames,
  commitMessage,
  commitSubject,
  decideUpdate,
  defaultBranch,
  planHash,
  promotionId,
  pullRequestBody,
  type PromotionRef,
} from '../sync/promotion-request.js';
import type { Marker } from '../sync/report-marker.js';
import { createColors } from './colors.js';
import { EXIT_OK, type CliContext } from './command.js';
import { code } from './render/diff-markdown.js';
import { renderPlanMarkdown } from './render/plan-markdown.js';
import { renderPlanText } from './render/plan-text.js';

export interface BranchOptions {
  branch: string;
  /** What the commit trailer and the pull request's marker name. */
  id: string;
  base?: string;
  /** Where to push; undefined: not pushed. */
  remote?: string;
  pr: boolean;
  labels: string[];
  draft: boolean;
}

/** What the promotion did in the worktree: its plans, and the absolute paths it wrote. */
export interface Applied {
  plans: Plan[];
  written: string[];
}

interface BranchArgs {
  branch?: string;
  base?: string;
  push?: string;
  pr?: boolean;
  label?: string[];
  draft?: boolean;
}

/** `--branch` alone means the default name, `--push` alone `origin`; `--pr` implies both. */
export function branchOptions(ref: PromotionRef, args: BranchArgs): BranchOptions {
  const remote = args.push ? args.push : args.push === '' || args.pr ? 'origin' : undefined;
  return {
    branch: args.branch || defaultBranch(ref),
    id: promotionId(ref),
    base: args.base || undefined,
    remote,
    pr: args.pr === true,
    labels: args.label ?? [],
    draft: args.draft === true,
  };
}

export async function promoteOnBranch(ref: PromotionRef, options: BranchOptions, ctx: CliContext, apply: (cwd: string, env: Record<string, string | undefined>) => Promise<Applied>): Promise<number> {
  const { env } = ctx;
  const say = (line: string) => ctx.output.stderr(`${line}\n`);
  const root = await gitRoot(ctx.cwd, env);
  const here = relative(root, await realpath(ctx.cwd));
  const base = await resolveCommit(root, options.base ?? 'HEAD', env);
  // Before anything is committed or pushed: a missing token or repository stops the run here.
  const client = options.pr ? await gitHubFromEnv(env, () => remoteUrl(root, options.remote ?? 'origin', env)) : undefined;

  // The `Last synced` stamp from the base commit's date (unless SOURCE_DATE_EPOCH says otherwise),
  // so that the same promotion of the same base tomorrow is the same commit, not a new one.
  const stamp = env.SOURCE_DATE_EPOCH ?? (await gitText(['log', '-1', '--format=%ct', base], { cwd: root, env }));
  const made = await inWorktree(root, base, env, async (dir, scratch) => {
    const applied = await apply(join(dir, here), { ...env, SOURCE_DATE_EPOCH: stamp });
    const paths = applied.written.map((path) => relative(dir, path).split(sep).join('/'));
    if (paths.length === 0) return undefined;
    const dirty = await dirtyPaths(root, paths, env);
    if (dirty.length > 0) {
      throw new TfsyncError(`uncommitted changes to ${dirty.join(', ')}: the branch is made from commits, so they would be left out`, { code: 'uncommitted-changes',
        hint: 'commit or stash them, then run the promotion again',
      });
    }
    const subject = commitSubject(ref, changedNames(applied.plans));
    const marker: Marker = { id: options.id, hash: planHash(applied.plans) };
    const plain = createColors(false);
    const planText = applied.plans.map((plan) => renderPlanText(plan, { colors: plain, showSensitive: false, verbose: false, command: ref.command })).join('\n');
    const commit = await commitPaths(dir, scratch, paths, commitMessage(subject, planText, marker), env);
    return { commit, subject, marker, plans: applied.plans };
  });
  if (!made) {
    say(`${ref.command}: nothing to change; no branch, no commit`);
    await setActionOutputs(env, { changed: false });
    return EXIT_OK;
  }

  const update = await updateBranch(root, options.branch, made.commit, env);
  const short = update.commit.slice(0, 12);
  if (update.kind === 'unchanged') say(`branch ${options.branch} already holds this promotion (${short}); no new commit`);
  else say(`${update.kind === 'created' ? 'created' : 'reset'} branch ${options.branch} at ${short}: ${made.subject}`);
  if (options.remote) {
    const pushed = await pushBranch(root, options.remote, options.branch, update.commit, env);
    say(pushed === 'up to date' ? `${options.remote}/${options.branch} is up to date` : `${pushed} ${options.branch} to ${options.remote}${pushed === 'replaced' ? ' (--force-with-lease over the earlier tfsync commit)' : ''}`);
  }
  if (client) {
    const intro = `Promotes the syncable values of ${code(ref.source)} to ${code(ref.target)}, as \`tfsync ${ref.command}\` planned them. Sensitive values are masked.`;
    const body = pullRequestBody(intro, made.plans.map(renderPlanMarkdown).join('\n'), made.marker);
    await proposePull(client, { title: made.subject, body, marker: made.marker }, options, root, ctx, say);
  }
  await setActionOutputs(env, { changed: update.kind !== 'unchanged' });
  return EXIT_OK;
}

/** Opens the branch's pull request, or updates the open one; writes nothing when it already says it all. */
async function proposePull(
  client: GitHubClient,
  desired: { title: string; body: string; marker: Marker },
  options: BranchOptions,
  root: string,
  ctx: CliContext,
  say: (line: string) => void,
): Promise<void> {
  const existing = await client.findOpenPull(options.branch);
  const decision = decideUpdate(existing, desired, options.labels);
  if (decision.kind === 'none') return say(`pull request #${decision.number} is up to date: ${existing!.htmlUrl}`);
  if (decision.kind === 'update') {
    if (Object.keys(decision.patch).length > 0) await client.updatePull(decision.number, decision.patch);
    if (decision.addLabels.length > 0) await client.addLabels(decision.number, decision.addLabels);
    return say(`updated pull request #${decision.number}: ${existing!.htmlUrl}`);
  }
  const base = baseBranch(options) ?? (await currentBranch(root, ctx.env)) ?? (await client.defaultBranch());
  const pull = await client.createPull({ title: desired.title, head: options.branch, base, body: desired.body, draft: options.draft });
  if (options.labels.length > 0) await client.addLabels(pull.number, options.labels);
  say(`opened pull request #${pull.number}: ${pull.htmlUrl}`);
}

/** The branch --base names, as the pull request's base: `origin/main`, `refs/heads/main` → `main`. */
function baseBranch(options: BranchOptions): string | undefined {
  if (!options.base || /^[0-9a-f]{7,40}$/.test(options.base) || options.base === 'HEAD') return undefined;
  return options.base.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\/[^/]+\//, '').replace(new RegExp(`^${options.remote ?? 'origin'}/`), '');
}
