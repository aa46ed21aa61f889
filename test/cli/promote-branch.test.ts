/**
 * `promote --branch` and `--push` against real git: a repository with a bare remote. The branch's
 * name, the commit's files, message and author, the checkout left alone, idempotent re-runs, the
 * --force-with-lease replacement, and the refusals (a dirty file, a branch someone else made).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expected, PROD, SHARED, TEST } from '../helpers/promote-fixture.js';
import { BASE_DATE, GitRepo } from '../helpers/git-repo.js';

const BRANCH = 'tfsync/promote-test-to-prod';
const SECRETS = ['tok-test-SECRET-5e6f7a', 'tok-prod-SECRET-1a2b3c', 'test-db-password-8c1f', 'prod-db-password-3d9a'];

const repos: GitRepo[] = [];
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.remove()));
});

async function repo(): Promise<GitRepo> {
  const r = await GitRepo.of('basic');
  repos.push(r);
  return r;
}

/** The promotion's expected files, with the stamp of the fixture's commit date (2025-01-27). */
const promoted = async (name: string) => expected(name);

describe('promote --branch', () => {
  it('commits exactly the promoted files on tfsync/promote-SRC-to-DST and leaves the checkout alone', async () => {
    const r = await repo();
    const head = r.git('rev-parse', 'HEAD');
    const before = { prod: await r.read(PROD), shared: await r.read(SHARED) };
    const { code, out, err } = await r.run(['promote', 'test', 'prod', '--branch']);
    expect(err).not.toMatch(/^tfsync:/m);
    expect(code).toBe(0);
    expect(err).toContain(`created branch ${BRANCH} at `);

    // The files: as a plain promote writes them, the stamp from the base commit's date.
    expect(BASE_DATE).toBe('1737979200');
    expect(r.show(BRANCH, PROD)).toBe((await promoted('test-to-prod.prod.tfvars')).trimEnd());
    expect(r.show(BRANCH, SHARED)).toBe((await promoted('test-to-prod.shared.tfvars')).trimEnd());
    expect(r.git('diff', '--name-only', 'main', BRANCH).split('\n').sort()).toEqual([SHARED, PROD].sort());
    expect(r.git('rev-parse', `${BRANCH}^`)).toBe(head);

    // Author and committer from GIT_AUTHOR_* / GIT_COMMITTER_*; subject shortened past three names.
    expect(r.git('log', '-1', '--format=%an <%ae>|%cn <%ce>', BRANCH)).toBe('Promo Bot <promo-bot@example.com>|Promo Bot <promo-bot@example.com>');
    const message = r.git('log', '-1', '--format=%B', BRANCH);
    expect(message.split('\n')[0]).toBe('tfsync: promote test → prod (image_tag, workers, zones and 7 more)');
    expect(message).toContain('~ update workers: 4 → 8');
    expect(message).toContain('~ update api_token: (sensitive) → (sensitive)');
    expect(message).toMatch(/\nTfsync-Promotion: promote test → prod\nTfsync-Plan: [0-9a-f]{16}$/);
    for (const secret of SECRETS) expect(message + out + err).not.toContain(secret);

    // The user's checkout: same branch, same commit, same files, no backups, no worktree left over.
    expect(r.git('symbolic-ref', '--short', 'HEAD')).toBe('main');
    expect(r.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.git('status', '--porcelain')).toBe('');
    expect(await r.read(PROD)).toBe(before.prod);
    expect(await r.read(SHARED)).toBe(before.shared);
    expect(existsSync(join(r.dir, `${PROD}.bak`))).toBe(false);
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    expect(r.git('ls-tree', '-r', '--name-only', BRANCH)).not.toMatch(/\.bak$/m);
  });

  it('re-run: no new commit, and the push finds the remote up to date', async () => {
    const r = await repo();
    expect((await r.run(['promote', 'test', 'prod', '--branch', '--push'])).code).toBe(0);
    const first = r.git('rev-parse', BRANCH);
    expect(r.git('ls-remote', 'origin', `refs/heads/${BRANCH}`)).toBe(`${first}\trefs/heads/${BRANCH}`);
    const again = await r.run(['promote', 'test', 'prod', '--branch', '--push']);
    expect(again.code).toBe(0);
    expect(again.err).toContain(`branch ${BRANCH} already holds this promotion`);
    expect(again.err).toContain(`origin/${BRANCH} is up to date`);
    expect(r.git('rev-parse', BRANCH)).toBe(first);
  });

  it('nothing to change: no branch, no commit, exit 0, and it says so', async () => {
    const r = await repo();
    const { code, err } = await r.run(['promote', 'test', 'prod', '--var', 'image_name', '--branch']);
    expect(code).toBe(0);
    expect(err).toContain('promote: nothing to change; no branch, no commit');
    expect(r.git('branch', '--list', 'tfsync/*')).toBe('');
  });

  it('--dry-run prints the plan and makes no branch; --json prints the plan document; backport names its branch after itself', async () => {
    const r = await repo();
    const dry = await r.run(['promote', 'test', 'prod', '--branch', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('~ update workers: 4 → 8');
    expect(dry.err).toContain('promote: --dry-run: no branch, no commit, no push');
    expect(r.git('branch', '--list', 'tfsync/*')).toBe('');
    const json = await r.run(['promote', 'test', 'prod', '--branch', '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.out)).toMatchObject({ written: true });
    expect((await r.run(['backport', 'prod', 'test', '--branch'])).code).toBe(0);
    expect(r.git('log', '-1', '--format=%s', 'tfsync/backport-prod-to-test')).toMatch(/^tfsync: backport prod → test \(/);
  });

  it('names the branch after the --only groups, and starts it from --base', async () => {
    const r = await repo();
    const base = r.git('rev-parse', 'HEAD');
    await r.write(TEST, (await r.read(TEST)).replace('workers    = 8', 'workers    = 9'));
    await r.commitAll('test: nine workers');
    const { code, err } = await r.run(['promote', 'test', 'prod', '--only', 'images', '--branch', '--base', base]);
    expect(err).not.toMatch(/^tfsync:/m);
    expect(code).toBe(0);
    expect(r.git('rev-parse', 'tfsync/promote-test-to-prod-images^')).toBe(base);
    expect(r.git('log', '-1', '--format=%s', 'tfsync/promote-test-to-prod-images')).toBe('tfsync: promote test → prod (image_tag)');
    const custom = await r.run(['promote', 'test', 'prod', '--branch', 'release/sync-prod']);
    expect(custom.code).toBe(0);
    expect(r.git('rev-parse', 'release/sync-prod^')).toBe(r.git('rev-parse', 'main'));
  });

  it('refuses uncommitted changes to the files it would write, naming them, and makes no branch', async () => {
    const r = await repo();
    await r.write(PROD, `${await r.read(PROD)}\n# a local edit\n`);
    const { code, err } = await r.run(['promote', 'test', 'prod', '--branch']);
    expect(code).toBe(1);
    expect(err).toContain(`uncommitted changes to ${PROD}: the branch is made from commits`);
    expect(r.git('branch', '--list', BRANCH)).toBe('');
    expect(r.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
    // A dirty file the promotion does not write is no obstacle.
    await r.git('checkout', '--', PROD);
    await r.write('notes.txt', 'scratch\n');
    expect((await r.run(['promote', 'test', 'prod', '--branch'])).code).toBe(0);
  });

  it('replaces its own earlier commit with --force-with-lease when the base moved', async () => {
    const r = await repo();
    expect((await r.run(['promote', 'test', 'prod', '--push'])).code).toBe(0);
    const first = r.git('rev-parse', BRANCH);
    await r.write(TEST, (await r.read(TEST)).replace('workers    = 8', 'workers    = 12'));
    const moved = await r.commitAll('test: twelve workers');
    const second = await r.run(['promote', 'test', 'prod', '--push']);
    expect(second.err).not.toMatch(/^tfsync:/m);
    expect(second.err).toContain(`reset branch ${BRANCH}`);
    expect(second.err).toContain(`replaced ${BRANCH} to origin (--force-with-lease over the earlier tfsync commit)`);
    const tip = r.git('ls-remote', 'origin', `refs/heads/${BRANCH}`).split('\t')[0];
    expect(tip).not.toBe(first);
    expect(r.git('rev-parse', `${tip}^`)).toBe(moved);
    expect(r.show(tip!, PROD)).toContain('workers    = 12');
  });

  it('never resets or overwrites a branch that holds someone else’s commit', async () => {
    const r = await repo();
    expect((await r.run(['promote', 'test', 'prod', '--push'])).code).toBe(0);
    // Someone adds a commit of their own to the pushed branch.
    r.git('checkout', '--quiet', BRANCH);
    await r.write('README.md', 'a review fix\n');
    await r.commitAll('review fix');
    const theirs = r.git('rev-parse', 'HEAD');
    r.git('push', '--quiet', 'origin', BRANCH);
    r.git('checkout', '--quiet', 'main');
    await r.write(TEST, (await r.read(TEST)).replace('workers    = 8', 'workers    = 12'));
    await r.commitAll('test: twelve workers');
    const { code, err } = await r.run(['promote', 'test', 'prod', '--push']);
    expect(code).toBe(1);
    expect(err).toContain(`branch ${BRANCH} has commits tfsync did not make; it is left as it is`);
    expect(r.git('rev-parse', BRANCH)).toBe(theirs);
    expect(r.git('ls-remote', 'origin', `refs/heads/${BRANCH}`).split('\t')[0]).toBe(theirs);
  });

  it('runs from a subfolder with --config, finding the same files in the worktree', async () => {
    const r = await repo();
    const { run } = await import('../helpers/cli.js');
    const result = await run(['promote', 'test', 'prod', '--branch', '--config', '../tfsync.json'], { cwd: join(r.dir, 'environments'), env: r.env });
    expect(result.err).not.toMatch(/^tfsync:/m);
    expect(result.code).toBe(0);
    expect(r.git('diff', '--name-only', 'main', BRANCH).split('\n').sort()).toEqual([SHARED, PROD].sort());
  });

  it('shows the failing git command when git refuses', async () => {
    const r = await repo();
    const { code, err } = await r.run(['promote', 'test', 'prod', '--push', 'nowhere']);
    expect(code).toBe(1);
    expect(err).toMatch(/git ls-remote nowhere refs\/heads\/tfsync\/promote-test-to-prod failed: fatal: /);
  });
});
