/**
 * `tfsync promote SRC DST` and `tfsync backport SRC DST`: one operation under two names (backport
 * is the prod → test direction). SRC's syncable values go into the shared file and into DST's
 * file; either side may be `@shared`. The plan (src/sync/plan.ts) is made, rewritten into new
 * texts (src/sync/rewrite.ts) and verified before anything is written, then written all-or-nothing.
 * A sensitive variable's secret is copied from SRC's store to DST's (promote-secrets.ts): listed
 * in the plan, confirmed with the files, copied before they are written.
 */
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { lineEnding } from '../../hcl/line-ending.js';
import { applyWrites, type WriteDecision } from '../../io/apply-writes.js';
import { loadRepository } from '../../io/load-repository.js';
import { setActionOutputs } from '../../io/action-output.js';
import type { Applied } from '../promote-branch.js';
import { SHARED } from '../../model/environments.js';
import { assertNoConflicts, classificationOf, type Repository } from '../../model/repository.js';
import { planLayeredPromotion } from '../../sync/layered-plan.js';
import { promotionWrites, type FileWrite } from '../../sync/file-write.js';
import { planPromotion, type Plan } from '../../sync/plan.js';
import { rewritePlan } from '../../sync/rewrite.js';
import { syncDate } from '../../sync/sync-date.js';
import { defineCommand, type CliContext, type GlobalOptions } from '../command.js';
import { writeFiles, type WriteRequest } from '../confirm-write.js';
import { renderWriteDiffs } from '../render/plan-diff.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanText } from '../render/plan-text.js';
import { renderWarnings, warnOn } from '../render/messages.js';
import type { SecretCopy } from '../../sync/secret-plan.js';
import { assessCopies, copiesOf, makeCopies, pendingCopies, renderSecretPlan } from '../promote-secrets.js';

export interface PromoteArgs extends GlobalOptions {
  source: string;
  target: string;
  shared: boolean;
  only: string[];
  var: string[];
  prune: boolean;
  dryRun: boolean;
  detailedExitcode: boolean;
  yes: boolean;
  json: boolean;
  verbose: boolean;
  /** --branch [NAME], --base, --push [REMOTE], --pr, --label, --draft: see promote-branch.ts. */
  branch?: string;
  base?: string;
  push?: string;
  pr: boolean;
  label: string[];
  draft: boolean;
}

const list = (value: unknown): string[] => (value === undefined ? [] : ([] as unknown[]).concat(value).map(String));

function builder(yargs: Argv<GlobalOptions>): Argv<PromoteArgs> {
  return yargs
    .positional('source', { type: 'string', demandOption: true, describe: 'The environment to take values from, or @shared' })
    .positional('target', { type: 'string', demandOption: true, describe: 'The environment to write them to, or @shared' })
    .option('shared', {
      type: 'boolean',
      default: true,
      describe: 'Write the shared file too (--no-shared copies SRC to DST directly and leaves it alone)',
    })
    // Not `array: true`, which would swallow the positionals after it; repeating the option collects.
    .option('only', { type: 'string', coerce: list, describe: 'Only the variables of this group (repeatable)' })
    .option('var', { type: 'string', coerce: list, describe: 'Only this variable (repeatable)' })
    .option('prune', { type: 'boolean', default: false, describe: "Delete from DST's file the overrides SRC has no value for" })
    .option('dry-run', { type: 'boolean', default: false, describe: 'Print the plan and the diff; write nothing' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'With --dry-run: exit 2 when something would change' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Write without asking' })
    .option('json', { type: 'boolean', default: false, describe: 'Write the plan as one JSON document: { files, written }' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'List the unchanged variables too' })
    .option('branch', { type: 'string', describe: 'Commit the promotion on branch NAME (default tfsync/promote-SRC-to-DST), leaving your checkout alone' })
    .option('base', { type: 'string', describe: 'With --branch: start the branch from REF (default HEAD)' })
    .option('push', { type: 'string', describe: 'With --branch: push it to REMOTE (default origin)' })
    .option('pr', { type: 'boolean', default: false, describe: 'Push the branch and open (or update) its GitHub pull request' })
    .option('label', { type: 'string', coerce: list, describe: 'With --pr: a label for the pull request (repeatable)' })
    .option('draft', { type: 'boolean', default: false, describe: 'With --pr: open it as a draft' }) as unknown as Argv<PromoteArgs>;
}

export const promoteCommand = defineCommand<PromoteArgs>({
  command: 'promote <source> <target>',
  describe: "Copy SRC's syncable values into the shared file and into DST (either may be @shared)",
  builder,
  run: (args, ctx) => runPromote('promote', args, ctx),
});

export const backportCommand = defineCommand<PromoteArgs>({
  command: 'backport <source> <target>',
  describe: 'The same as promote, named for the other direction (prod → test)',
  builder,
  run: (args, ctx) => runPromote('backport', args, ctx),
});

async function runPromote(command: string, args: PromoteArgs, ctx: CliContext): Promise<number> {
  const onBranch = args.branch !== undefined || args.push !== undefined || args.pr;
  if (onBranch && args.dryRun) ctx.output.stderr(`${command}: --dry-run: no branch, no commit, no push\n`);
  if (onBranch && !args.dryRun) {
    // On a branch, in a worktree of its own: nothing of the checkout is written, so nothing to confirm.
    const { promoteOnBranch, branchOptions } = await import('../promote-branch.js');
    const ref = { command, source: args.source, target: args.target, only: list(args.only) };
    return promoteOnBranch(ref, branchOptions(ref, args), ctx, async (cwd, env) => {
      // --config as the same path in the worktree, where the promotion runs.
      const config = args.config && resolve(cwd, relative(ctx.cwd, resolve(ctx.cwd, args.config)));
      const applied = await applyPromotion(command, { ...args, config }, { ...ctx, cwd, env });
      // `written`: to the branch's commit (the checkout's files are never written).
      if (args.json) ctx.output.stdout(renderPlanJson(applied.plans[0]!, { showSensitive: args.showSensitive === true, written: applied.written.length > 0 }));
      return applied;
    });
  }
  return finishPromote(command, args, ctx, await planFor(command, args, ctx));
}

/** Plans, prints and writes a promotion without asking (in a worktree tfsync made: see promote-branch.ts). */
export async function applyPromotion(command: string, args: PromoteArgs, ctx: CliContext): Promise<Applied> {
  const planned = await planFor(command, args, ctx, { secrets: false });
  if (planned.copies.length > 0) {
    // A branch is a proposal: copying into DST's store now would apply part of it before review.
    const names = planned.copies.map((c) => c.variable).join(', ');
    ctx.output.stderr(renderWarnings([`secrets are not copied on a branch (${names}): once it is merged, \`tfsync ${command} ${planned.plan.source} ${planned.plan.target}\` copies them`], ctx.output.colors));
    // Nor listed in the branch's plan, which would call them "by hand" for want of asking the stores.
    planned.copies = [];
  }
  const { isSensitive, inside, show } = writeRequest(command, args, ctx, planned);
  // No question, no "wrote" lines: the files are the worktree's, and the caller reports the commit.
  const decide = async (pending: FileWrite[]): Promise<WriteDecision> => {
    await show!(pending);
    return 'write';
  };
  const outcome = await applyWrites(planned.writes, { isSensitive, inside, fs: ctx.fs, report: warnOn(ctx), decide });
  return { plans: [planned.plan], written: outcome.status === 'written' ? outcome.pending.map((w) => w.path) : [] };
}

interface Planned {
  plan: Plan;
  writes: FileWrite[];
  repo: Repository;
  showSensitive: boolean;
  /** The secrets the promotion copies (promote-secrets.ts), with what the stores said. */
  copies: SecretCopy[];
}

/** The request to the one writer: the plan and its diffs are printed once the writes are checked. */
function writeRequest(command: string, args: PromoteArgs, ctx: CliContext, planned: Planned): WriteRequest {
  const { plan, repo, showSensitive } = planned;
  const isSensitive = (name: string) => classificationOf(repo, name).sensitive;
  return {
    command,
    dryRun: args.dryRun,
    detailedExitcode: args.detailedExitcode,
    yes: args.yes,
    isSensitive,
    inside: { root: repo.config.root, cwd: ctx.cwd },
    show: async (pending) => {
      if (args.json) return;
      ctx.output.stdout(renderPlanText(plan, { colors: ctx.output.colors, showSensitive, verbose: args.verbose, command }));
      if (planned.copies.length > 0) ctx.output.stdout(`\n${renderSecretPlan(planned.copies, plan.target, ctx.output.colors)}`);
      if (pending.length > 0) ctx.output.stdout(`\n${await renderWriteDiffs(pending, { colors: ctx.output.colors, isSensitive, showSensitive })}`);
    },
  };
}

/** The plan and the writes it needs, for the checkout at ctx.cwd. */
async function planFor(command: string, args: PromoteArgs, ctx: CliContext, { secrets = true } = {}): Promise<Planned> {
  const date = syncDate(ctx.env);
  const showSensitive = args.showSensitive === true;
  const { repo, warnings } = await loadRepository({ cwd: ctx.cwd, config: args.config, stacks: args.stack, environments: [args.source, args.target], fs: ctx.fs });
  ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
  assertNoConflicts(repo);
  // The general form plans on effective values, writing where the target's value comes from.
  const plan = (repo.sharedLayers ? planLayeredPromotion : planPromotion)(repo, {
    source: args.source,
    target: args.target,
    shared: args.shared,
    only: list(args.only),
    vars: list(args.var),
    prune: args.prune,
  });
  if (plan.skipped) ctx.output.stderr(renderWarnings(plan.skipped.map((s) => `${s.name} is left alone: ${s.reason}`), ctx.output.colors));
  const sourceLayer = plan.source === SHARED ? repo.shared : repo.environments.get(plan.source);
  const rewrites = rewritePlan(plan, {
    date,
    source: plan.source,
    newFileEol: sourceLayer?.exists ? lineEnding(sourceLayer.doc.text) : '\n',
  });
  const planned = copiesOf(repo, plan);
  // --dry-run: existence only; else fingerprints, so that the plan says same or differs.
  const copies = secrets ? await assessCopies(planned, { dryRun: args.dryRun, env: ctx.env, root: repo.config.root }) : planned;
  return { plan, writes: promotionWrites(rewrites, environmentFiles(repo, plan)), repo, showSensitive, copies };
}

async function finishPromote(command: string, args: PromoteArgs, ctx: CliContext, planned: Planned): Promise<number> {
  let copied: SecretCopy[] = [];
  const printJson = (written: boolean) => {
    if (args.json) ctx.output.stdout(renderPlanJson(planned.plan, { showSensitive: planned.showSensitive, written, secrets: planned.copies, copied }));
  };
  const copies = pendingCopies(planned.copies);
  const request = writeRequest(command, args, ctx, planned);
  const { code, outcome } = await writeFiles(ctx, planned.writes, {
    ...request,
    otherChanges: copies.length,
    question: (pending) => {
      const files = pending.length > 0 ? `write ${pending.map((w) => w.file).join(' and ')}` : '';
      const secrets = copies.length > 0 ? `copy ${copies.length === 1 ? 'a secret' : `${copies.length} secrets`} into ${planned.plan.target}'s store` : '';
      const both = [files, secrets].filter(Boolean).join(' and ');
      return `${both[0]!.toUpperCase()}${both.slice(1)}?`;
    },
    // Secrets first: a copy that fails stops the promotion before any file is written.
    beforeWrite: async () => {
      copied = await makeCopies(planned.copies, { env: ctx.env, root: planned.repo.config.root });
      for (const c of copied) ctx.output.stderr(`${command}: copied secret ${c.variable} from ${c.from} to ${c.to}\n`);
    },
  });
  const written = outcome.status === 'written';
  if (written || copied.length > 0) await setActionOutputs(ctx.env, { changed: true });
  printJson(written);
  return code;
}

/** The environment files of the promotion, whose mode a created shared file takes. */
function environmentFiles(repo: Repository, plan: Plan): string[] {
  return [plan.target, plan.source].flatMap((name) => {
    const layer = name === SHARED ? undefined : repo.environments.get(name);
    return layer ? [layer.path] : [];
  });
}

