/**
 * `tfsync check --report issue`, as data: the one issue that lists the drift, and what to do with
 * it on each scheduled run (open it, rewrite it when the drift changed, close it with a comment
 * when every environment is back in step, or leave it alone).
 */
import { maskValue } from './mask.js';
import { outOfStep, type CheckResult } from './check.js';
import { decideUpdate, type Decision, type Existing, type PullRequestText } from './promotion-request.js';
import { contentHash, renderMarker } from './report-marker.js';

/** The marker's name: one drift issue per repository. */
export const DRIFT_ID = 'drift';

export const IN_STEP_COMMENT = 'Every environment is back in step with `@shared`: closing. `tfsync check --report issue` reopens a new issue if they drift again.';

/** The issue's title and body; `tables` is `check --format markdown`'s text. */
export function driftIssue(result: CheckResult, tables: string): PullRequestText {
  const drifting = outOfStep(result);
  const marker = { id: DRIFT_ID, hash: driftHash(result) };
  const names = drifting.map((env) => env.environment);
  const title = `tfsync: ${names.length === 1 ? `${names[0]!} drifts` : `${names.length} environments drift`} from @shared`;
  const body = [
    tables.trimEnd(),
    '',
    '_Reported by `tfsync check --report issue`: this issue is updated while the drift changes and closed when every environment is in step._',
    '',
    renderMarker(marker),
    '',
  ].join('\n');
  return { title, body, marker };
}

export type DriftDecision = Decision | { kind: 'close'; number: number; comment: string };

export function decideDriftIssue(existing: Existing | undefined, result: CheckResult, desired: PullRequestText | undefined, labels: readonly string[]): DriftDecision {
  if (result.inStep || !desired) return existing ? { kind: 'close', number: existing.number, comment: IN_STEP_COMMENT } : { kind: 'none', number: 0 };
  return decideUpdate(existing, desired, labels);
}

/** What the issue shows, masked, so that the same drift gives the same hash. */
function driftHash(result: CheckResult): string {
  return contentHash(
    outOfStep(result).map((env) => ({
      environment: env.environment,
      drift: env.drift.map((d) => [d.name, maskValue(d.shared.value, d.sensitive, false) ?? null, maskValue(d.value.value, d.sensitive, false) ?? null]),
      missing: env.missing.map((m) => m.name),
    })),
  );
}
