/** The promotion as git and GitHub see it, as data: names, subjects, markers, and the open/update/close decisions. */
import { describe, expect, it } from 'vitest';
import { decideDriftIssue, driftIssue, IN_STEP_COMMENT } from '../../src/sync/drift-report.js';
import { checkEnvironments } from '../../src/sync/check.js';
import { commitSubject, decideUpdate, defaultBranch, isPromotionCommit, commitMessage, promotionId } from '../../src/sync/promotion-request.js';
import { contentHash, hasMarkerFor, readMarker, renderMarker } from '../../src/sync/report-marker.js';
import { repoOf as repository } from '../helpers/repository.js';

const ref = { command: 'promote', source: 'englacial', target: 'prod' };

describe('branch names and subjects', () => {
  it('names the branch after the promotion and its --only groups', () => {
    expect(defaultBranch(ref)).toBe('tfsync/promote-englacial-to-prod');
    expect(defaultBranch({ ...ref, only: ['images', 'network'] })).toBe('tfsync/promote-englacial-to-prod-images-network');
    expect(defaultBranch({ command: 'backport', source: '@shared', target: 'us east/1' })).toBe('tfsync/backport-shared-to-us-east-1');
    expect(promotionId({ ...ref, only: ['images'] })).toBe('promote englacial → prod only images');
  });

  it('names the variables in the subject, shortened past three', () => {
    expect(commitSubject(ref, ['singleuser_image_tag', 'dask_worker_cores_max'])).toBe('tfsync: promote englacial → prod (singleuser_image_tag and dask_worker_cores_max)');
    expect(commitSubject(ref, ['a', 'b', 'c', 'd'])).toBe('tfsync: promote englacial → prod (a, b, c and d)');
    expect(commitSubject(ref, ['a', 'b', 'c', 'd', 'e'])).toBe('tfsync: promote englacial → prod (a, b, c and 2 more)');
    expect(commitSubject(ref, ['a'])).toBe('tfsync: promote englacial → prod (a)');
  });

  it('tells its own commits by their trailer', () => {
    const message = commitMessage('tfsync: promote a → b (x)', 'Plan...\n', { id: 'promote a → b', hash: 'abc' });
    expect(isPromotionCommit(message)).toBe(true);
    expect(isPromotionCommit('fix: Tfsync-Promotion: in a sentence')).toBe(false);
  });
});

describe('markers', () => {
  it('round-trips and is found by id', () => {
    const marker = { id: 'promote "a" → b', hash: contentHash({ x: 1 }) };
    const body = `text\n${renderMarker(marker)}\n`;
    expect(readMarker(body)).toEqual({ id: "promote 'a' → b", hash: marker.hash });
    expect(hasMarkerFor(body, 'promote "a" → b')).toBe(true);
    expect(hasMarkerFor(body, 'drift')).toBe(false);
    expect(readMarker(null)).toBeUndefined();
    expect(contentHash({ x: 1 })).not.toBe(contentHash({ x: 2 }));
  });
});

describe('decideUpdate', () => {
  const desired = { title: 'T', body: `B\n${renderMarker({ id: 'p', hash: 'a1' })}`, marker: { id: 'p', hash: 'a1' } };
  it('creates, updates what differs, or does nothing', () => {
    expect(decideUpdate(undefined, desired, [])).toEqual({ kind: 'create' });
    const same = { number: 7, title: 'T', body: `edited by hand\n${renderMarker({ id: 'p', hash: 'a1' })}`, labels: ['x'] };
    expect(decideUpdate(same, desired, ['x'])).toEqual({ kind: 'none', number: 7 });
    expect(decideUpdate(same, desired, ['x', 'y'])).toEqual({ kind: 'update', number: 7, patch: {}, addLabels: ['y'] });
    expect(decideUpdate({ ...same, title: 'old' }, desired, [])).toEqual({ kind: 'update', number: 7, patch: { title: 'T' }, addLabels: [] });
    const moved = { ...same, body: renderMarker({ id: 'p', hash: 'a0' }) };
    expect(decideUpdate(moved, desired, [])).toEqual({ kind: 'update', number: 7, patch: { body: desired.body }, addLabels: [] });
  });
});

describe('the drift issue', () => {
  const drifting = repository({ variables: 'variable "tag" {}\nvariable "token" {}', shared: 'tag = "1"\ntoken = "s-shared"\n', envs: { a: 'tag = "2"\ntoken = "s-a"\n', b: 'tag = "1"\ntoken = "s-shared"\n' }, config: { syncable: ['tag', 'token'], sensitive: ['token'] } });
  const result = checkEnvironments(drifting);

  it('hashes what it shows, never a secret: another secret value, the same hash', () => {
    const other = repository({ variables: 'variable "tag" {}\nvariable "token" {}', shared: 'tag = "1"\ntoken = "s-shared"\n', envs: { a: 'tag = "2"\ntoken = "s-OTHER"\n', b: 'tag = "1"\ntoken = "s-shared"\n' }, config: { syncable: ['tag', 'token'], sensitive: ['token'] } });
    const issue = driftIssue(result, 'tables');
    expect(issue.title).toBe('tfsync: a drifts from @shared');
    expect(issue.marker.hash).toBe(driftIssue(checkEnvironments(other), 'tables').marker.hash);
    expect(issue.body).not.toContain('s-a');
  });

  it('closes the open issue with a comment when in step, and does nothing when none is open', () => {
    const inStep = { ...result, inStep: true, environments: [] };
    const open = { number: 3, title: 't', body: null, labels: [] };
    expect(decideDriftIssue(open, inStep, undefined, [])).toEqual({ kind: 'close', number: 3, comment: IN_STEP_COMMENT });
    expect(decideDriftIssue(undefined, inStep, undefined, [])).toEqual({ kind: 'none', number: 0 });
    expect(decideDriftIssue(undefined, result, driftIssue(result, 'x'), [])).toEqual({ kind: 'create' });
  });
});
