/**
 * `tfsync promote SRC DST` and `tfsync backport SRC DST`: one operation under two names (backport
 * is the prod → test direction). SRC's syncable values go into the shared file and into DST's
 * file; either side may be `@shared`. The plan (src/sync/plan.ts) is made, rewritten into new
 * texts (src/sync/rewrite.ts) and verified before anything is written, then written all-or-nothing.
 */
import { relative, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { lineEnding } from '../../hcl/line-ending.js';
import { assertInsideRepository, loadRepository } from '../../io/load-repository.js';
import { prepareWrites, writePrepared } from '../../io/plan-writes.js';
import type { FileChange } from '../../io/transaction.js';
import { setActionOutputs } from '../../io/action-output.js';
import type { Applied } from '../promote-branch.js';
import { backupPath } from '../../io/write-file.js';
import { SHARED } from '../../model/environments.js';
import { assertNoConflicts, classificationOf, type Repository } from '../../model/repository.js';
import { planLayeredPromotion } from '../../sync/layered-plan.js';
import { planChanges, planPromotion, type Plan } from '../../sync/plan.js';
import { rewritePlan, type FileRewrite } from '../../sync/rewrite.js';
import { syncDate } from '../../sync/sync-date.js';
import { defineCommand, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, type CliContext, type GlobalOptions } from '../command.js';
import { decideWrite } from '../confirm-write.js';
import { renderTextDiffs } from '../render/plan-diff.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanText } from '../render/plan-text.js';
import { renderWarnings, warnOn } from '../render/messages.js';

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
  const planned = await planFor(command, args, ctx);
  await printPlan(command, args, ctx, planned);
  return finishPromote(command, args, ctx, planned);
}

/** Plans, prints and writes a promotion without asking (in a worktree tfsync made: see promote-branch.ts). */
export async function applyPromotion(command: string, args: PromoteArgs, ctx: CliContext): Promise<Applied> {
  const planned = await planFor(command, args, ctx);
  await printPlan(command, args, ctx, planned);
  if (planChanges(planned.plan) && planned.changes.length > 0) await writePrepared(planned.changes, ctx.fs, warnOn(ctx));
  return { plans: [planned.plan], written: planChanges(planned.plan) ? planned.changes.map((c) => c.path) : [] };
}

interface Planned {
  plan: Plan;
  rewrites: FileRewrite[];
  changes: FileChange[];
  repo: Repository;
  showSensitive: boolean;
}

async function printPlan(command: string, args: PromoteArgs, ctx: CliContext, { plan, rewrites, repo, showSensitive }: Planned): Promise<void> {
  if (args.json) return;
  ctx.output.stdout(renderPlanText(plan, { colors: ctx.output.colors, showSensitive, verbose: args.verbose, command }));
  ctx.output.stdout(await diffs(rewrites, repo, ctx, showSensitive));
}

/** The plan, its new texts and the verified changes to write, for the checkout at ctx.cwd. */
async function planFor(command: string, args: PromoteArgs, ctx: CliContext): Promise<Planned> {
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
  const isSensitive = (name: string) => classificationOf(repo, name).sensitive;
  const changes = await prepareWrites(rewrites, { isSensitive, modeFrom: environmentFiles(repo, plan), fs: ctx.fs });
  await assertInsideRepository(repo.config, changes.map((c) => c.path), ctx.cwd, ctx.fs);
  return { plan, rewrites, changes, repo, showSensitive };
}

async function finishPromote(command: string, args: PromoteArgs, ctx: CliContext, planned: Planned): Promise<number> {
  const { plan, rewrites, changes, showSensitive } = planned;
  const printJson = (written: boolean) => {
    if (args.json) ctx.output.stdout(renderPlanJson(plan, { showSensitive, written }));
  };
  if (!planChanges(plan) || changes.length === 0) {
    printJson(false);
    ctx.output.stderr(`${command}: nothing to change; nothing written\n`);
    return EXIT_OK;
  }
  if (args.dryRun) {
    printJson(false);
    ctx.output.stderr(`${command}: dry run; nothing written\n`);
    return args.detailedExitcode ? EXIT_CHANGES : EXIT_OK;
  }
  const files = changes.map((c) => rewrites.find((r) => r.file.layer.path === c.path)!.file.layer.file);
  let decision;
  try {
    decision = await decideWrite(ctx, { yes: args.yes, command, question: `Write ${files.join(' and ')}?` });
  } catch (err) {
    printJson(false);
    throw err;
  }
  if (decision === 'declined') {
    printJson(false);
    ctx.output.stderr(`${command}: cancelled; nothing written\n`);
    return EXIT_ERROR;
  }
  await writePrepared(changes, ctx.fs, warnOn(ctx));
  await setActionOutputs(ctx.env, { changed: true });
  printJson(true);
  for (const rewrite of rewrites.filter((r) => r.changed)) {
    const { file } = rewrite.file.layer;
    ctx.output.stderr(rewrite.created ? `created ${file}\n` : `wrote ${file} (previous contents in ${backupPath(file)})\n`);
  }
  return EXIT_OK;
}

async function diffs(rewrites: FileRewrite[], repo: Repository, ctx: CliContext, showSensitive: boolean): Promise<string> {
  const changed = rewrites.filter((r) => r.changed);
  if (changed.length === 0) return '';
  const text = await renderTextDiffs(
    changed.map((r) => ({
      file: r.file.layer.file,
      before: r.created ? null : r.before,
      after: r.after,
      json: r.file.layer.doc.format === 'json',
      changedSensitive: new Set(r.file.changes.filter((c) => c.sensitive && c.op === 'update').map((c) => c.name)),
    })),
    { colors: ctx.output.colors, isSensitive: (name) => classificationOf(repo, name).sensitive, showSensitive },
  );
  return `\n${text}`;
}

/** The environment files of the promotion, whose mode a created shared file takes. */
function environmentFiles(repo: Repository, plan: Plan): string[] {
  return [plan.target, plan.source].flatMap((name) => {
    const layer = name === SHARED ? undefined : repo.environments.get(name);
    return layer ? [layer.path] : [];
  });
}

