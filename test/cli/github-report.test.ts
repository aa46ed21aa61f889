/**
 * `promote --pr` and `check --report issue|pr` against a loopback server that answers like the
 * GitHub REST API and records every request: the exact requests, no write on an unchanged re-run,
 * updates rather than duplicates, the API's errors as one-line messages, and no token or secret in
 * any output or request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROD, TEST } from '../helpers/promote-fixture.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { GitRepo } from '../helpers/git-repo.js';

const TOKEN = 'ghp_TESTTOKEN0123456789abcdefABCDEF';
const SECRETS = ['tok-test-SECRET-5e6f7a', 'tok-prod-SECRET-1a2b3c', 'test-db-password-8c1f', 'prod-db-password-3d9a'];
const BRANCH = 'tfsync/promote-test-to-prod';
const PULLS = `/repos/acme/infra/pulls?state=open&head=acme%3Atfsync%2Fpromote-test-to-prod&per_page=100`;

let github: FakeGitHub;
let repo: GitRepo;
beforeEach(async () => {
  github = await new FakeGitHub('acme', 'infra', TOKEN).start();
  repo = await GitRepo.of('basic');
});
afterEach(async () => {
  await github.stop();
  await repo.remove();
});

const env = (extra: Record<string, string> = {}) => ({ GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra', ...extra });

/** Nothing secret anywhere: output, request bodies, headers other than Authorization. */
function expectNothingLeaked(...texts: string[]) {
  const sent = JSON.stringify(github.requests.map((r) => ({ ...r, authorization: undefined })));
  for (const text of [...texts, sent]) {
    expect(text).not.toContain(TOKEN);
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

describe('promote --pr', () => {
  it('pushes the branch and opens one pull request with the plan table, marker and labels', async () => {
    const { code, out, err } = await repo.run(['promote', 'test', 'prod', '--pr', '--label', 'tfsync', '--label', 'prod', '--draft'], env());
    expect(err).not.toMatch(/^tfsync:/m);
    expect(code).toBe(0);
    expect(github.lines()).toEqual([`GET ${PULLS}`, 'POST /repos/acme/infra/pulls', 'POST /repos/acme/infra/issues/1/labels']);
    expect(github.requests.every((r) => r.authorization === `Bearer ${TOKEN}` && r.apiVersion === '2022-11-28')).toBe(true);
    const created = github.requests[1]!.body as { title: string; head: string; base: string; body: string; draft: boolean };
    expect(created.title).toBe('tfsync: promote test → prod (image_tag, workers, zones and 7 more)');
    expect(created.title).toBe(repo.git('log', '-1', '--format=%s', BRANCH));
    expect(created).toMatchObject({ head: BRANCH, base: 'main', draft: true });
    expect(created.body).toContain('| Variable | Change | Before | After |');
    expect(created.body).toContain('| `workers` | update | `4` | `8` |');
    expect(created.body).toContain('| `api_token` | update | `(sensitive)` | `(sensitive)` |');
    expect(created.body).toMatch(/<!-- tfsync:report id="promote test → prod" hash="[0-9a-f]{16}" -->/);
    expect(github.requests[2]!.body).toEqual({ labels: ['tfsync', 'prod'] });
    expect(err).toContain('opened pull request #1: https://github.example/acme/infra/pull/1');
    expect(repo.git('ls-remote', 'origin', `refs/heads/${BRANCH}`)).toContain(BRANCH);
    expectNothingLeaked(out, err);
  });

  it('re-run with the same plan: no request that writes', async () => {
    await repo.run(['promote', 'test', 'prod', '--pr', '--label', 'tfsync'], env());
    const before = github.requests.length;
    const { code, err } = await repo.run(['promote', 'test', 'prod', '--pr', '--label', 'tfsync'], env());
    expect(code).toBe(0);
    expect(github.lines().slice(before)).toEqual([`GET ${PULLS}`]);
    expect(err).toContain('pull request #1 is up to date');
    expect(github.items).toHaveLength(1);
  });

  it('a changed promotion updates the open pull request in place (title and body), never a second one', async () => {
    await repo.run(['promote', 'test', 'prod', '--pr'], env());
    await repo.write(TEST, (await repo.read(TEST)).replace('workers    = 8', 'workers    = 12'));
    await repo.commitAll('test: twelve workers');
    const before = github.requests.length;
    const { code, err } = await repo.run(['promote', 'test', 'prod', '--pr', '--label', 'late'], env());
    expect(err).not.toMatch(/^tfsync:/m);
    expect(code).toBe(0);
    expect(github.lines().slice(before)).toEqual([`GET ${PULLS}`, 'PATCH /repos/acme/infra/pulls/1', 'POST /repos/acme/infra/issues/1/labels']);
    const patch = github.requests[before + 1]!.body as { title?: string; body: string };
    expect(patch.title).toBeUndefined(); // same subject: the names did not change
    expect(patch.body).toContain('| `workers` | update | `4` | `12` |');
    expect(github.items).toHaveLength(1);
    expect(err).toContain('updated pull request #1');
  });

  it('takes the repository from the remote URL when GITHUB_REPOSITORY is unset', async () => {
    // origin names GitHub; an insteadOf rewrite sends git to the bare repository (nothing leaves the machine).
    repo.git('remote', 'set-url', 'origin', 'git@github.com:acme/infra.git');
    repo.git('config', `url.${repo.remote}.insteadOf`, 'git@github.com:acme/infra.git');
    const { code, err } = await repo.run(['promote', 'test', 'prod', '--pr'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(err).not.toMatch(/^tfsync:/m);
    expect(code).toBe(0);
    expect(github.lines()[0]).toBe(`GET ${PULLS}`);
    expect(repo.git('--git-dir', repo.remote, 'rev-parse', BRANCH)).toBe(repo.git('rev-parse', BRANCH));
  });

  it('says so when the remote URL names no repository', async () => {
    const { code, err } = await repo.run(['promote', 'test', 'prod', '--pr'], { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    expect(code).toBe(1);
    expect(err).toContain(`cannot tell the GitHub repository from the remote URL ${repo.remote}`);
    expect(github.requests).toHaveLength(0);
    // Stopped before the commit and the push.
    expect(repo.git('branch', '--list', BRANCH)).toBe('');
  });

  it('GH_TOKEN works too; no token at all is a clear error before any request', async () => {
    const none = await repo.run(['promote', 'test', 'prod', '--pr'], { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra' });
    expect(none.code).toBe(1);
    expect(none.err).toContain('no GitHub token: set GITHUB_TOKEN or GH_TOKEN');
    expect(repo.git('ls-remote', 'origin', `refs/heads/${BRANCH}`)).toBe('');
    const gh = await repo.run(['promote', 'test', 'prod', '--pr'], { GH_TOKEN: TOKEN, GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'acme/infra' });
    expect(gh.code).toBe(0);
  });

  it.each([
    [{ status: 401, body: { message: 'Bad credentials' } }, /^tfsync: GitHub API: GET \/repos\/acme\/infra\/pulls: 401 Bad credentials \(the token is missing, expired or revoked: check GITHUB_TOKEN or GH_TOKEN\)$/m],
    [
      { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1767225600' }, body: { message: 'API rate limit exceeded for installation ID 1.' } },
      /GitHub API: GET \/repos\/acme\/infra\/pulls: 403 API rate limit exceeded for installation ID 1\. \(rate limit exceeded; it resets at 2026-01-01T00:00:00\.000Z\)$/m,
    ],
    [{ status: 403, body: { message: 'Resource not accessible by integration' } }, /403 Resource not accessible by integration \(the token lacks a permission/],
    [{ status: 404, body: { message: 'Not Found' } }, /404 Not Found \(no such repository, or the token cannot see it/],
    [{ status: 429, headers: { 'retry-after': '60' }, body: { message: 'You have exceeded a secondary rate limit' } }, /429 You have exceeded a secondary rate limit \(rate limited; retry after 60 seconds\)/],
  ])('API error %# is one clear line without the token', async (failure, message) => {
    github.failNext(failure);
    const { code, out, err } = await repo.run(['promote', 'test', 'prod', '--pr'], env());
    expect(code).toBe(1);
    expect(err).toMatch(message);
    expectNothingLeaked(out, err);
  });

  it('a 422 says what GitHub refused', async () => {
    github.addIssue({ title: 'by hand', head: BRANCH, state: 'closed' });
    github.failNext({ status: 422, body: { message: 'Validation Failed', errors: [{ resource: 'PullRequest', code: 'custom', message: 'No commits between main and tfsync/promote-test-to-prod' }] } });
    const { code, err } = await repo.run(['promote', 'test', 'prod', '--pr'], env());
    expect(code).toBe(1);
    expect(err).toContain('GitHub API: GET /repos/acme/infra/pulls: 422 Validation Failed; No commits between main and tfsync/promote-test-to-prod (GitHub refused the request as sent)');
  });
});

describe('check --report issue', () => {
  const ISSUES = '/repos/acme/infra/issues?state=open&per_page=100';

  it('opens one issue, finds it again through the pages, updates it when the drift changes, closes it when in step', async () => {
    // Others' issues and a pull request first, so that tfsync's is on a later page.
    github.addIssue({ title: 'unrelated', body: 'hello' });
    github.addIssue({ title: 'a pull request', body: '<!-- tfsync:report id="drift" hash="0" -->' }, true);
    github.addIssue({ title: 'another', body: null });

    const first = await repo.run(['check', '--report', 'issue', '--label', 'drift'], env());
    expect(first.code).toBe(2);
    expect(github.lines()).toEqual([`GET ${ISSUES}`, `GET ${ISSUES}&page=2`, 'POST /repos/acme/infra/issues']);
    const created = github.requests[2]!.body as { title: string; body: string; labels: string[] };
    expect(created.title).toBe('tfsync: 2 environments drift from @shared');
    expect(created.labels).toEqual(['drift']);
    expect(created.body).toContain('#### `prod`');
    expect(created.body).toMatch(/<!-- tfsync:report id="drift" hash="[0-9a-f]{16}" -->/);
    expect(first.err).toContain('opened drift issue #4');
    expectNothingLeaked(first.out, first.err);

    let mark = github.requests.length;
    const again = await repo.run(['check', '--report', 'issue', '--label', 'drift'], env());
    expect(again.code).toBe(2);
    expect(github.writes().length).toBe(1);
    expect(github.lines().slice(mark)).toEqual([`GET ${ISSUES}`, `GET ${ISSUES}&page=2`]);
    expect(again.err).toContain('drift issue #4 is up to date');

    // test comes back in step; prod still drifts: the same issue is rewritten.
    await repo.run(['promote', '@shared', 'test', '--yes', '--prune'], env());
    mark = github.requests.length;
    const changed = await repo.run(['check', '--report', 'issue'], env());
    expect(github.lines().slice(mark)).toEqual([`GET ${ISSUES}`, `GET ${ISSUES}&page=2`, 'PATCH /repos/acme/infra/issues/4']);
    const patch = github.requests.at(-1)!.body as { title: string; body: string };
    expect(patch.title).toBe('tfsync: prod drifts from @shared');
    expect(patch.body).not.toContain('#### `test`');
    expect(changed.err).toContain('updated drift issue #4');

    // Everything in step: one comment, then closed.
    await repo.run(['promote', '@shared', 'prod', '--yes', '--prune'], env());
    mark = github.requests.length;
    const inStep = await repo.run(['check', '--report', 'issue'], env());
    expect(inStep.code).toBe(0);
    expect(github.lines().slice(mark)).toEqual([`GET ${ISSUES}`, `GET ${ISSUES}&page=2`, 'POST /repos/acme/infra/issues/4/comments', 'PATCH /repos/acme/infra/issues/4']);
    expect(github.requests.at(-1)!.body).toEqual({ state: 'closed', state_reason: 'completed' });
    expect(inStep.err).toContain('in step; closed drift issue #4');

    // And once closed, in step: nothing to find, nothing written.
    mark = github.requests.length;
    await repo.run(['check', '--report', 'issue'], env());
    expect(github.requests.slice(mark).every((r) => r.method === 'GET')).toBe(true);
  });
});

describe('the client', () => {
  it('refuses to follow a Link off the API origin, so that the token never leaves it', async () => {
    github.failNext({ status: 200, headers: { link: '<http://203.0.113.9/repos/acme/infra/issues?page=2>; rel="next"' }, body: [] });
    const { code, err } = await repo.run(['check', '--report', 'issue'], env());
    expect(code).toBe(1);
    expect(err).toContain(`GitHub API: refusing to follow a link off ${github.url}`);
    expect(github.requests).toHaveLength(1);
  });

  it('--report pr when in step opens nothing', async () => {
    await repo.run(['promote', '@shared', 'test', '--yes', '--prune'], env());
    await repo.run(['promote', '@shared', 'prod', '--yes', '--prune'], env());
    const { code, err } = await repo.run(['check', '--report', 'pr'], env());
    expect(code).toBe(0);
    expect(err).toContain('in step; no pull request to open');
    expect(github.requests).toHaveLength(0);
  });
});

describe('check --report pr', () => {
  it('opens one pull request promoting @shared into every drifting environment, and leaves it when re-run', async () => {
    const { code, err } = await repo.run(['check', '--report', 'pr'], env());
    // The fixture's secrets sit in tracked files: warnings about them, and nothing else.
    expect(err).not.toMatch(/^tfsync:(?! warning: environments\/\w+\/terraform\.tfvars:\d+: \w+ is sensitive and its value is written in plain text)/m);
    expect(code).toBe(2);
    const pulls = '/repos/acme/infra/pulls?state=open&head=acme%3Atfsync%2Fsync-from-shared&per_page=100';
    expect(github.lines()).toEqual([`GET ${pulls}`, 'POST /repos/acme/infra/pulls']);
    const created = github.requests[1]!.body as { title: string; head: string; body: string };
    expect(created.head).toBe('tfsync/sync-from-shared');
    expect(created.title).toMatch(/^tfsync: promote @shared → prod, test \(/);
    // After the branch, both environments are in step with @shared.
    repo.git('checkout', '--quiet', 'tfsync/sync-from-shared');
    expect((await repo.run(['check'], {})).code).toBe(0);
    repo.git('checkout', '--quiet', 'main');
    const mark = github.requests.length;
    await repo.run(['check', '--report', 'pr'], env());
    expect(github.lines().slice(mark)).toEqual([`GET ${pulls}`]);
    expectNothingLeaked(err);
    void PROD;
  });
});
