/**
 * A promotion as git and GitHub see it, as data: the branch it goes on, its commit message, the
 * pull request's title and body, and whether an existing pull request must be written to. Pure:
 * the shell (src/io/git.ts, src/io/github.ts, src/cli/promote-branch.ts) carries it out.
 */
import { SHARED } from '../model/environments.js';
import { maskValue } from './mask.js';
import { changeLabel, type Plan } from './plan.js';
import { contentHash, readMarker, renderMarker, type Marker } from './report-marker.js';

/** Names in a subject line before the rest are counted (`a, b, c and 4 more`). */
const SUBJECT_NAMES = 3;

export interface PromotionRef {
  command: string;
  source: string;
  target: string;
  /** `--only` groups, which make a promotion of their own (its own branch and pull request). */
  only?: readonly string[];
}

/** `tfsync/promote-test-to-prod`, plus `-images-network` for `--only images --only network`. */
export function defaultBranch({ command, source, target, only = [] }: PromotionRef): string {
  const parts = [command, slug(source), 'to', slug(target), ...only.map(slug)];
  return `tfsync/${parts.join('-')}`;
}

/** What the marker names: one pull request per promotion. */
export function promotionId({ command, source, target, only = [] }: PromotionRef): string {
  return `${command} ${source} → ${target}${only.length > 0 ? ` only ${only.join(',')}` : ''}`;
}

/** The variables a plan (or several, for `check --report pr`) changes in some file, in plan order. */
export function changedNames(plans: readonly Plan[]): string[] {
  const names = new Set<string>();
  for (const plan of plans) for (const file of plan.files) for (const c of file.changes) if (c.op !== 'noop') names.add(changeLabel(c));
  return [...names];
}

/** `tfsync: promote test → prod (image_tag, workers, zones and 2 more)`. */
export function commitSubject(ref: PromotionRef, names: readonly string[]): string {
  const shown = names.length > SUBJECT_NAMES + 1 ? [...names.slice(0, SUBJECT_NAMES), `${names.length - SUBJECT_NAMES} more`] : [...names];
  const list = shown.length <= 1 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]!}`;
  return `tfsync: ${ref.command} ${ref.source} → ${ref.target}${list ? ` (${list})` : ''}`;
}

/** Trailers that mark a commit as tfsync's: a branch whose tip has them may be replaced. */
export const PROMOTION_TRAILER = 'Tfsync-Promotion';

/** The commit message: the subject, the plan as text (values already masked), the trailers. */
export function commitMessage(subject: string, planText: string, marker: Marker): string {
  return `${subject}\n\n${planText.trimEnd()}\n\n${PROMOTION_TRAILER}: ${marker.id}\nTfsync-Plan: ${marker.hash}\n`;
}

/** Whether a commit message is one tfsync wrote. */
export function isPromotionCommit(message: string): boolean {
  return new RegExp(`^${PROMOTION_TRAILER}: `, 'm').test(message);
}

/**
 * The hash of what the plans change, with sensitive values masked (the hash is published in the
 * pull request): a change to a secret alone changes the commit, not the pull request's text.
 */
export function planHash(plans: readonly Plan[]): string {
  return contentHash(
    plans.map((plan) => ({
      source: plan.source,
      target: plan.target,
      files: plan.files.map((f) => ({
        file: f.layer.file,
        changes: f.changes.filter((c) => c.op !== 'noop').map((c) => [changeLabel(c), c.op, maskValue(c.to, c.sensitive, false) ?? null]),
      })),
    })),
  );
}

export interface PullRequestText {
  title: string;
  body: string;
  marker: Marker;
}

/** The pull request's body: what it does, the plan as markdown tables, the marker. */
export function pullRequestBody(intro: string, tables: string, marker: Marker): string {
  return [
    intro,
    '',
    tables.trimEnd(),
    '',
    '_Opened by `tfsync`; re-running the same promotion updates this pull request rather than opening another._',
    '',
    renderMarker(marker),
    '',
  ].join('\n');
}

/** An open pull request or issue as tfsync reads it from GitHub. */
export interface Existing {
  number: number;
  title: string;
  body: string | null;
  labels: readonly string[];
}

export type Decision =
  | { kind: 'create' }
  | { kind: 'update'; number: number; patch: { title?: string; body?: string }; addLabels: string[] }
  | { kind: 'none'; number: number };

/**
 * What to do about the pull request (or issue) `desired` describes, given the open one found for
 * it: open one; rewrite what differs (the title, or the body when its hash moved) and add missing
 * labels; or nothing at all. Labels people added are never removed.
 */
export function decideUpdate(existing: Existing | undefined, desired: PullRequestText, labels: readonly string[]): Decision {
  if (!existing) return { kind: 'create' };
  const patch: { title?: string; body?: string } = {};
  if (existing.title !== desired.title) patch.title = desired.title;
  const marker = readMarker(existing.body);
  if (!marker || marker.hash !== desired.marker.hash) patch.body = desired.body;
  const addLabels = labels.filter((label) => !existing.labels.includes(label));
  if (Object.keys(patch).length === 0 && addLabels.length === 0) return { kind: 'none', number: existing.number };
  return { kind: 'update', number: existing.number, patch, addLabels };
}

/** A name as a branch-name part: `@shared` → `shared`, anything outside [A-Za-z0-9._-] → `-`. */
function slug(name: string): string {
  const plain = name === SHARED ? 'shared' : name;
  return plain.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'x';
}
