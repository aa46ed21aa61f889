/**
 * Two writers at once, and files that change between planning and writing. Two promotions into
 * the same environment (two processes) never interleave: the final files are one of the outcomes
 * of running them one after the other, and a run that loses the race fails clearly, writing
 * nothing. A file changed on disk after the plan was made is detected and nothing is written.
 */
import { realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { commitFiles, type FileChange } from '../../src/io/transaction.js';
import { recordingFs } from './fault-fs.js';
import { BUILT, expectCleanError, PROD, Repo, SHARED, TEST } from './helpers.js';

const repos: Repo[] = [];
async function repo(): Promise<Repo> {
  const r = await Repo.create();
  // A third environment with other values to promote, so that the two promotions differ.
  const test = await r.read(TEST);
  await r.write('environments/other/terraform.tfvars', test.replace('"2025.02.01"', '"2030.01.01"').replace('workers    = 8', 'workers    = 16'));
  repos.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(repos.splice(0).map((r) => r.dispose()));
});

const A = ['promote', 'test', 'prod', '--yes'];
const B = ['promote', 'other', 'prod', '--yes'];

/** The prod and shared files after running the promotions in order, each in a fresh repository. */
async function outcome(...runs: string[][]): Promise<string> {
  const r = await repo();
  for (const argv of runs) expect((await r.run(argv)).code).toBe(0);
  return `${await r.read(PROD)}\0${await r.read(SHARED)}`;
}

describe('two promotions into one environment at once', () => {
  it.skipIf(!BUILT)('never interleave: the result is one of the serial outcomes, and a loser says why and writes nothing', async () => {
    const serial = {
      a: await outcome(A),
      b: await outcome(B),
      ab: await outcome(A, B),
      ba: await outcome(B, A),
    };
    // (Each promotion sets every synced value, so the last one decides: ab is b, ba is a.)
    expect(serial.a).not.toBe(serial.b);
    for (let round = 0; round < 3; round++) {
      const r = await repo();
      const [ra, rb] = await Promise.all([r.spawn(A), r.spawn(B)]);
      const final = `${await r.read(PROD)}\0${await r.read(SHARED)}`;
      const codes = `${ra.code}${rb.code}`;
      expect(['00', '01', '10'], `${ra.err}\n${rb.err}`).toContain(codes);
      for (const loser of [ra, rb].filter((x) => x.code !== 0)) {
        expectCleanError(loser, { pattern: /(changed on disk (since it was read|while the plan was made)|another tfsync is writing .*); nothing was written/ });
      }
      if (codes === '00') expect([serial.ab, serial.ba]).toContain(final);
      if (codes === '01') expect(final).toBe(serial.a);
      if (codes === '10') expect(final).toBe(serial.b);
      // The file that ends up there parses and reads as a whole promotion.
      const get = await r.run(['get', PROD, 'image_tag', '--json']);
      expect(get.code).toBe(0);
      expect(['2025.02.01', '2030.01.01']).toContain(JSON.parse(get.out).image_tag);
      expect(Object.keys(await r.snapshot()).filter((f) => /tfsync\.lock$|tfsync-tmp-/.test(f))).toEqual([]);
    }
  });

  it('in one process: two commits of the same file, one wins, the other fails clearly', async () => {
    const r = await repo();
    const path = r.path(PROD);
    const before = await r.bytes(PROD);
    const change = (text: string): FileChange => ({ path, before, after: Buffer.from(`${before}${text}`), mode: 0o644 });
    const results = await Promise.allSettled([commitFiles([change('one = 1\n')]), commitFiles([change('two = 2\n')])]);
    const won = results.filter((x) => x.status === 'fulfilled');
    const lost = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(TfsyncError);
    expect(String(lost[0]!.reason.message)).toMatch(/(changed on disk since it was read|another tfsync is writing .*); nothing was written/);
    expect([`${before}one = 1\n`, `${before}two = 2\n`]).toContain(await r.read(PROD));
  });
});

describe('a file changed on disk between planning and writing', () => {
  /** A FileSystem that runs `edit` once, just before the first call that matches. */
  function editAt(match: (op: string, path: string) => boolean, edit: () => Promise<void>) {
    let done = false;
    return recordingFs(undefined, async (call) => {
      if (done || !match(call.op, call.path)) return;
      done = true;
      await edit();
    });
  }

  it('promote: an edit while the first lock is taken is detected, and nothing is written', async () => {
    const r = await repo();
    const edited = `${await r.read(PROD)}# edited by hand meanwhile\n`;
    const fs = editAt((op, path) => op === 'writeFile' && path.endsWith('.tfsync.lock'), () => writeFile(r.path(PROD), edited));
    const before = await r.snapshot();
    const result = await r.run(A, { fs });
    expectCleanError(result, { pattern: /environments\/prod\/terraform\.tfvars changed on disk since it was read; nothing was written/ });
    expect(result.err).toContain('hint: run the command again to plan against the current contents');
    expect(await r.read(PROD)).toBe(edited);
    const after = await r.snapshot();
    delete before[PROD];
    delete after[PROD];
    expect(after).toEqual(before);
  });

  it('promote: an edit while the new texts are verified (after reading, before writing) is detected', async () => {
    const r = await repo();
    let reads = 0;
    // The second read of the shared file is prepareWrites re-reading it for the bytes to keep.
    const fs = editAt(
      (op, path) => op === 'readFile' && path.endsWith(SHARED) && ++reads === 2,
      () => writeFile(r.path(SHARED), 'workers = 99\n'),
    );
    const result = await r.run(A, { fs });
    expectCleanError(result, { pattern: /environments\/shared-features\.tfvars changed on disk while the plan was made; nothing was written/ });
    expect(await r.read(SHARED)).toBe('workers = 99\n');
    expect(Object.keys(await r.snapshot()).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('promote: a shared file created meanwhile (it did not exist when planned) is not overwritten', async () => {
    const r = await repo();
    await rm(r.path(SHARED));
    const fs = editAt((op, path) => op === 'writeFile' && path.endsWith('.tfsync.lock'), () => writeFile(r.path(SHARED), 'mine = 1\n'));
    const result = await r.run(A, { fs });
    expectCleanError(result, { pattern: /environments\/shared-features\.tfvars was created since it was read; nothing was written/ });
    expect(await r.read(SHARED)).toBe('mine = 1\n');
  });

  it('set and restore: an edit at the lock is detected too', async () => {
    const r = await repo();
    const fs = editAt((op, path) => op === 'writeFile' && path.endsWith('.tfsync.lock'), () => writeFile(r.path(PROD), 'workers = 1\n'));
    expectCleanError(await r.run(['set', PROD, 'workers=5'], { fs }), { pattern: /changed on disk since it was read; nothing was written/ });
    expect(await r.read(PROD)).toBe('workers = 1\n');

    await r.write(`${PROD}.bak`, 'workers = 2\n');
    const fs2 = editAt((op, path) => op === 'writeFile' && path.endsWith('.tfsync.lock'), () => writeFile(r.path(PROD), 'workers = 3\n'));
    expectCleanError(await r.run(['restore', 'prod', '--yes'], { fs: fs2 }), { pattern: /changed on disk since it was read; nothing was written/ });
    expect(await r.read(PROD)).toBe('workers = 3\n');
    expect(await r.read(`${PROD}.bak`)).toBe('workers = 2\n');
  });
});

describe('paths', () => {
  it('the lock sits next to the real file, so two links to one file cannot be written at once', async () => {
    const r = await repo();
    await symlink(join('..', 'prod', 'terraform.tfvars'), r.path('environments/other/alias.tfvars'));
    const fs = recordingFs();
    expect((await r.run(['set', 'environments/other/alias.tfvars', 'workers=3'], { fs })).code).toBe(0);
    const locks = fs.calls.filter((c) => c.op === 'writeFile' && c.path.endsWith('.tfsync.lock')).map((c) => c.path);
    expect(locks).toEqual([`${await realpath(r.path(PROD))}.tfsync.lock`]);
  });
});
