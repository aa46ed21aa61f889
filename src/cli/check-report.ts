/**
 * `tfsync check --report issue|pr`, for a scheduled workflow. `issue`: one issue (found again by
 * its marker) lists the drift; it is rewritten when the drift changes and closed with a comment
 * when every environment is back in step. `pr`: the promotion from `@shared` into every drifting
 * environment (with --prune, so that an override of a shared default goes too) on one branch and
 * one pull request, updated in place while the drift lasts.
 */
import { gitHubFromEnv } from '../io/github.js';
import { gitRoot, remoteUrl } from '../io/promotion-branch.js';
import { SHARED } from '../model/environments.js';
import { outOfStep, type CheckResult } from '../sync/check.js';
import { decideDriftIssue, driftIssue, DRIFT_ID } from '../sync/drift-report.js';
import { hasMarkerFor } from '../sync/report-marker.js';
import type { CliContext } from './command.js';
import type { PromoteArgs } from './commands/promote.js';
import { branchOptions, promoteOnBranch, type Applied } from './promote-branch.js';
import { renderCheckMarkdown } from './render/check-markdown.js';

/** GitHub refuses an issue body over 65,536 characters; the rows past this are counted instead. */
const ISSUE_ROWS = 300;

/** The branch of `--report pr`: one, whichever environments drift, so that one pull request is updated. */
export const REPORT_BRANCH = 'tfsync/sync-from-shared';

export interface ReportOptions {
  report: 'issue' | 'pr';
  labels: string[];
  config?: string;
}

export async function reportDrift(result: CheckResult, options: ReportOptions, ctx: CliContext): Promise<void> {
  if (options.report === 'pr') return proposeSync(result, options, ctx);
  const say = (line: string) => ctx.output.stderr(`${line}\n`);
  const client = await gitHubFromEnv(ctx.env, async () => remoteUrl(await gitRoot(ctx.cwd, ctx.env), 'origin', ctx.env));
  const existing = await client.findOpenIssue((body) => hasMarkerFor(body, DRIFT_ID));
  const desired = result.inStep ? undefined : driftIssue(result, renderCheckMarkdown(result, { showSensitive: false, maxRows: ISSUE_ROWS }));
  const decision = decideDriftIssue(existing, result, desired, options.labels);
  switch (decision.kind) {
    case 'none':
      return say(existing ? `drift issue #${decision.number} is up to date: ${existing.htmlUrl}` : 'in step; no drift issue to open or close');
    case 'close':
      await client.comment(decision.number, decision.comment);
      await client.updateIssue(decision.number, { state: 'closed', state_reason: 'completed' });
      return say(`in step; closed drift issue #${decision.number}`);
    case 'update':
      if (Object.keys(decision.patch).length > 0) await client.updateIssue(decision.number, decision.patch);
      if (decision.addLabels.length > 0) await client.addLabels(decision.number, decision.addLabels);
      return say(`updated drift issue #${decision.number}: ${existing!.htmlUrl}`);
    case 'create': {
      const issue = await client.createIssue({ title: desired!.title, body: desired!.body, labels: options.labels });
      return say(`opened drift issue #${issue.number}: ${issue.htmlUrl}`);
    }
  }
}

async function proposeSync(result: CheckResult, options: ReportOptions, ctx: CliContext): Promise<void> {
  const drifting = outOfStep(result).map((env) => env.environment);
  if (drifting.length === 0) {
    ctx.output.stderr('in step; no pull request to open\n');
    return;
  }
  const { applyPromotion } = await import('./commands/promote.js');
  const ref = { command: 'promote', source: SHARED, target: drifting.join(', ') };
  const branch = branchOptions(ref, { branch: REPORT_BRANCH, pr: true, label: options.labels });
  await promoteOnBranch(ref, { ...branch, id: 'check --report pr' }, ctx, async (cwd, env) => {
    const applied: Applied = { plans: [], written: [] };
    for (const target of drifting) {
      const args = { source: SHARED, target, shared: true, only: [], var: [], prune: true, config: options.config, json: true } as unknown as PromoteArgs;
      const one = await applyPromotion('promote', args, { ...ctx, cwd, env });
      applied.plans.push(...one.plans);
      applied.written.push(...one.written);
    }
    return applied;
  });
}
