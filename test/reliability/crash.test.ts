/**
 * A promotion killed with SIGKILL at each step of its commit (drivers/kill-at-step.mjs runs the
 * built CLI through a FileSystem that kills the process at the Nth call, or mid-write). Afterwards
 * every file holds its old bytes or its new bytes, never a mix; an earlier backup is never lost;
 * and the next run is not blocked by the dead run's lock: it says what happened and finishes the
 * promotion.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT, DRIVERS, PROD, Repo, SHARED, spawnNode } from './helpers.js';

const DRIVER = join(DRIVERS, 'kill-at-step.mjs');
const ARGV = ['promote', 'test', 'prod', '--yes'];
const FILES = [PROD, SHARED];
const EARLIER = '# an earlier backup\n';
const KILLED = 128 + 9;

interface Step {
  op: string;
  path: string;
}

/** Runs `items` through `work`, `limit` at a time (two child processes per core of a CI runner). */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

const exists = (path: string) => readFile(path).then((b) => b, () => null);

describe.skipIf(!BUILT)('a promotion killed at each step of its commit', () => {
  const repos: Repo[] = [];
  const fresh = async () => {
    const repo = await Repo.create();
    repos.push(repo);
    return repo;
  };
  afterAll(async () => {
    await Promise.all(repos.map((r) => r.dispose()));
  });

  let steps: Step[];
  const OLD: Record<string, Buffer> = {};
  const NEW: Record<string, Buffer> = {};
  beforeAll(async () => {
    const repo = await fresh();
    for (const f of FILES) OLD[f] = await repo.bytes(f);
    const stepsFile = repo.path('steps.txt');
    const run = await spawnNode([DRIVER, ...ARGV], { cwd: repo.dir, env: { TFSYNC_STEPS_FILE: stepsFile } });
    expect(run.code, run.err).toBe(0);
    for (const f of FILES) NEW[f] = await repo.bytes(f);
    steps = (await readFile(stepsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => ({ op: line.slice(0, line.indexOf(' ')), path: line.slice(line.indexOf(' ') + 1) }));
  });

  // A sweep starts two CLI processes per kill point (40 and more): the default 30 s hang guard
  // counts them all, and a loaded CI machine took longer. Still a hang guard, not a speed test.
  const SWEEP_TIMEOUT_MS = 300_000;

  /** Kill points: before each call that changes the disk, and mid-way through each write and lock. */
  function killPoints(filter: (step: Step) => boolean = () => true): Array<{ at: number; torn: boolean; label: string }> {
    const mutating = new Set(['writeFile', 'open', 'write', 'sync', 'close', 'rename', 'chmod', 'unlink', 'mkdir']);
    return steps.flatMap((step, i) => {
      if (!mutating.has(step.op) || !filter(step)) return [];
      const label = `${step.op} ${step.path.slice(step.path.indexOf('environments'))}`;
      const points = [{ at: i + 1, torn: false, label }];
      if (step.op === 'write' || step.op === 'writeFile') points.push({ at: i + 1, torn: true, label: `${label} (torn)` });
      return points;
    });
  }

  async function kill(repo: Repo, point: { at: number; torn: boolean }): Promise<void> {
    const env: Record<string, string> = { TFSYNC_KILL_AT: String(point.at) };
    if (point.torn) env.TFSYNC_KILL_TORN = '1';
    const run = await spawnNode([DRIVER, ...ARGV], { cwd: repo.dir, env });
    expect(run.code, run.err).toBe(KILLED);
  }

  const litter = async (repo: Repo) =>
    (await readdir(repo.path('environments'), { recursive: true })).filter((f) => /tfsync-tmp-|tfsync\.lock$|tfsync-prev-/.test(f));

  it('leaves every file old or new, never a mix; the next run removes the lock, says so, and finishes', async () => {
    const points = killPoints();
    expect(points.length).toBeGreaterThanOrEqual(30);
    const outcomes = new Set<string>();
    await pool(points, 2, async (point) => {
      const repo = await fresh();
      await kill(repo, point);
      const state = [];
      for (const f of FILES) {
        const bytes = await repo.bytes(f);
        const which = bytes.equals(OLD[f]!) ? 'old' : bytes.equals(NEW[f]!) ? 'new' : 'MIXED';
        expect(which, `${f} after a kill at ${point.label}`).not.toBe('MIXED');
        state.push(which);
        // A backup is whole: absent, or the previous bytes.
        const bak = await exists(repo.path(`${f}.bak`));
        if (bak !== null) expect(bak.equals(OLD[f]!), `${f}.bak after a kill at ${point.label}`).toBe(true);
      }
      outcomes.add(state.join('+'));
      const locked = (await litter(repo)).some((f) => f.endsWith('.tfsync.lock'));

      const next = await repo.run(ARGV);
      expect(next.code, `${point.label}\n${next.err}`).toBe(0);
      if (locked && next.err.includes('wrote')) expect(next.err).toMatch(/warning: removed the lock an interrupted tfsync (\(pid \d+\) )?left on environments\//);
      for (const f of FILES) expect((await repo.bytes(f)).equals(NEW[f]!), `${f} after the next run (${point.label})`).toBe(true);
      // What the next run wrote, it wrote cleanly: no lock or temporary file of either run is left there.
      const written = FILES.filter((f) => next.err.includes(`wrote ${f}`));
      const left = await litter(repo);
      for (const f of written) expect(left.filter((l) => l.includes(f.split('/').pop()!)), point.label).toEqual([]);
    });
    // The sweep saw the commit before, between and after its two file writes.
    expect([...outcomes].sort()).toEqual(['new+new', 'old+new', 'old+old']);
  }, SWEEP_TIMEOUT_MS);

  it('never loses an earlier backup: it is the .bak, or set aside and put back by the next run', async () => {
    // Only the steps that replace the backups, where an earlier one is at risk.
    const points = killPoints((step) => step.path.includes('.bak'));
    expect(points.length).toBeGreaterThanOrEqual(10);
    await pool(points, 2, async (point) => {
      const repo = await fresh();
      for (const f of FILES) await repo.write(`${f}.bak`, EARLIER);
      await kill(repo, point);
      for (const f of FILES) {
        const bak = await exists(repo.path(`${f}.bak`));
        const dir = repo.path(f.slice(0, f.lastIndexOf('/')));
        const asides = (await readdir(dir)).filter((n) => n.startsWith(`.${f.split('/').pop()}.bak.tfsync-prev-`));
        const aside = asides.length > 0 ? await readFile(join(dir, asides[0]!), 'utf8') : undefined;
        // The .bak is whole, and the earlier one is either it or kept aside (until a commit succeeds).
        expect(bak === null || bak.toString() === EARLIER || bak.equals(OLD[f]!), point.label).toBe(true);
        expect(bak?.toString() === EARLIER || aside === EARLIER, `${f}: the earlier backup after a kill at ${point.label}`).toBe(true);
      }
      // The next run puts a backup set aside back when its place is free, or names where it is.
      const next = await repo.run(ARGV);
      expect(next.code, next.err).toBe(0);
      for (const f of FILES) expect((await repo.bytes(f)).equals(NEW[f]!)).toBe(true);
    });
  }, SWEEP_TIMEOUT_MS);

  it('a lock torn by a kill (created, no PID in it yet) stops the next run for about a second, not forever', async () => {
    const repo = await fresh();
    await kill(repo, { at: 1, torn: true });
    expect((await repo.read(`${SHARED}.tfsync.lock`)).length).toBe(0);
    const next = await repo.run(ARGV);
    expect(next.code, next.err).toBe(0);
    expect(next.err).toContain('warning: removed the lock an interrupted tfsync left on environments/shared-features.tfvars');
    expect(next.ms).toBeLessThan(5_000);
  });
});
