/**
 * Symbolic links as targets. A link inside the repository is followed: the real file is edited
 * and the link stays a link (promote, set, restore), with the `.bak` next to the link. A link that
 * leads out of the repository is never written through; a dangling one is never replaced.
 */
import { lstat, mkdir, readlink, rename, symlink } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { expectCleanError, PROD, Repo, SHARED } from './helpers.js';

const repos: Repo[] = [];
async function repo(): Promise<Repo> {
  const r = await Repo.create();
  repos.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

const isLink = async (path: string) => (await lstat(path)).isSymbolicLink();

/** Moves `file` to `to` and leaves a relative link in its place. */
async function linkOut(r: Repo, file: string, to: string, target: string): Promise<void> {
  await mkdir(r.path(to.slice(0, to.lastIndexOf('/'))), { recursive: true });
  await rename(r.path(file), r.path(to));
  await symlink(target, r.path(file));
}

describe('a symbolic link inside the repository', () => {
  it('promote edits the real files and keeps the links, the .bak beside each link', async () => {
    const plain = await repo();
    expect((await plain.run(['promote', 'test', 'prod', '--yes'])).code).toBe(0);

    const r = await repo();
    const oldProd = await r.read(PROD);
    const oldShared = await r.read(SHARED);
    await linkOut(r, PROD, 'real/prod.tfvars', '../../real/prod.tfvars');
    await linkOut(r, SHARED, 'real/shared.tfvars', '../real/shared.tfvars');
    const result = await r.run(['promote', 'test', 'prod', '--yes']);
    expect(result.code, result.err).toBe(0);
    expect(await isLink(r.path(PROD))).toBe(true);
    expect(await isLink(r.path(SHARED))).toBe(true);
    expect(await readlink(r.path(PROD))).toBe('../../real/prod.tfvars');
    // The same bytes as promoting into plain files.
    expect(await r.read('real/prod.tfvars')).toBe(await plain.read(PROD));
    expect(await r.read('real/shared.tfvars')).toBe(await plain.read(SHARED));
    expect(await r.read(`${PROD}.bak`)).toBe(oldProd);
    expect(await r.read(`${SHARED}.bak`)).toBe(oldShared);
    expect(await isLink(r.path(`${PROD}.bak`))).toBe(false);
    expect(Object.keys(await r.snapshot()).filter((f) => f.startsWith('real/'))).toEqual(['real/prod.tfvars', 'real/shared.tfvars']);
  });

  it('set and restore edit the real file and keep the link', async () => {
    const r = await repo();
    const original = await r.read(PROD);
    await linkOut(r, PROD, 'real/prod.tfvars', '../../real/prod.tfvars');
    const set = await r.run(['set', PROD, 'workers=42']);
    expect(set.code, set.err).toBe(0);
    expect(await isLink(r.path(PROD))).toBe(true);
    expect(await r.read('real/prod.tfvars')).toBe(original.replace('workers    = 4 #', 'workers    = 42 #'));
    expect(await r.read(`${PROD}.bak`)).toBe(original);

    const restore = await r.run(['restore', 'prod', '--yes']);
    expect(restore.code, restore.err).toBe(0);
    expect(await isLink(r.path(PROD))).toBe(true);
    expect(await r.read('real/prod.tfvars')).toBe(original);
  });

  it('two names for one file in one commit are refused (no file gets two contents)', async () => {
    const r = await repo();
    // The shared file is a link to prod's file: a promotion would have to write it twice.
    await rename(r.path(SHARED), r.path('environments/old-shared.tfvars'));
    await symlink('prod/terraform.tfvars', r.path(SHARED));
    const before = await r.snapshot();
    expectCleanError(await r.run(['promote', 'test', 'prod', '--yes']), { pattern: /are the same file; nothing was written/ });
    expect(await r.snapshot()).toEqual(before);
  });
});

describe('a symbolic link out of the repository', () => {
  it('a shared file linked outside is never written through (promote, restore)', async () => {
    const outside = await repo();
    const r = await repo();
    await rename(r.path(SHARED), outside.path('shared.tfvars'));
    await symlink(outside.path('shared.tfvars'), r.path(SHARED));
    const outsideBefore = await outside.snapshot();
    const before = await r.snapshot();
    for (const argv of [
      ['promote', 'test', 'prod', '--yes'],
      ['promote', 'test', '@shared', '--dry-run'],
    ]) {
      const result = await r.run(argv);
      expectCleanError(result, { pattern: /refusing to write environments\/shared-features\.tfvars: it leads to .*, outside the repository .*; nothing was written/ });
    }
    await r.write(`${SHARED}.bak`, 'workers = 1\n');
    expectCleanError(await r.run(['restore', '@shared', '--yes']), { pattern: /refusing to write environments\/shared-features\.tfvars/ });
    expect(await outside.snapshot()).toEqual(outsideBefore);
    const after = await r.snapshot();
    delete after[`${SHARED}.bak`];
    expect(after).toEqual(before);
  });

  it('an environment folder linked outside is not an environment, and the error says why', async () => {
    const outside = await repo();
    const r = await repo();
    await rename(r.path('environments/prod'), outside.path('prod'));
    await symlink(outside.path('prod'), r.path('environments/prod'));
    const outsideBefore = await outside.snapshot();
    for (const argv of [['promote', 'test', 'prod', '--yes'], ['show', 'prod'], ['restore', 'prod', '--yes']]) {
      const result = await r.run(argv);
      expectCleanError(result, { pattern: /environments\/prod\/terraform\.tfvars is a link to a file outside .*; environment "prod" is skipped/ });
      expect(result.err).toMatch(/hint: tfsync reads and writes only files inside/);
    }
    expect(await outside.snapshot()).toEqual(outsideBefore);
  });

  it('a dangling link is not replaced by a regular file', async () => {
    const r = await repo();
    await rename(r.path(SHARED), r.path('environments/moved.tfvars'));
    await symlink('gone/shared.tfvars', r.path(SHARED));
    const result = await r.run(['promote', 'test', 'prod', '--yes']);
    expectCleanError(result, { pattern: /it is a symbolic link to a missing file/ });
    expect(await isLink(r.path(SHARED))).toBe(true);
    expect((await r.read(PROD)).includes('2024.12.01')).toBe(true);
  });
});
