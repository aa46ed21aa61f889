/**
 * The project Makefile's sync targets, run by make on a copy of the demo, against the built CLI:
 * the proof that `make sync-diff SYNC_SOURCE=englacial SYNC_TARGET=prod` and friends keep working
 * for teams that type them. Skipped without make or without a build (`npm run build`); the
 * targets that write need `promote` and are skipped until it is built.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isBuilt, MAIN } from './helpers/cli.js';
import { REPO_ROOT } from './helpers/seed-makefile.js';
import { commandWorks } from './helpers/tools.js';

const built = (command: string) => isBuilt(`cli/commands/${command}.js`);

const makeAvailable = commandWorks('make', ['--version']) && isBuilt('cli/main.js');
const promoteAvailable = makeAvailable && built('promote');

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The demo as a user's repository: environments, tfsync.json, the schema and the Makefile. */
function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfsync-make-'));
  dirs.push(dir);
  for (const entry of ['environments', 'tfsync.json', 'schemas', 'Makefile']) cpSync(join(REPO_ROOT, entry), join(dir, entry), { recursive: true });
  return dir;
}

/** A clean environment: nothing from a parent make, no colour, not GitHub Actions (check's default format). */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES', 'GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR']) delete env[name];
  return env;
}

/** Runs a target with no terminal on stdin (as in CI); variables go as separate argv entries. */
function make(dir: string, target: string, vars: Record<string, string> = {}) {
  const args = ['--no-print-directory', target, `TFSYNC=node ${MAIN}`, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)];
  const result = spawnSync('make', args, { cwd: dir, env: childEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

function tfsync(dir: string, ...args: string[]) {
  const result = spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, env: childEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status, out: result.stdout, err: result.stderr };
}

const read = (dir: string, file: string) => readFileSync(join(dir, file), 'utf8');

describe.skipIf(!makeAvailable)('the project Makefile on the demo', () => {
  it('sync-diff prints the syncable differences with both values, as the seed target did, and exits 0', () => {
    const dir = workspace();
    const { status, out } = make(dir, 'sync-diff', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' });
    expect(status).toBe(0);
    expect(out).toContain('Comparing englacial → prod');
    // The seed printed `name`, then `  englacial: X` and `  prod: Y`; so does tfsync, right this time.
    expect(out).toMatch(/^ {2}dask_cluster_max_cores\n {4}englacial: 200\n {4}prod: +40$/m);
    expect(out).toMatch(/^ {2}singleuser_image_tag\n {4}englacial: "2025\.01\.24"\n {4}prod: +"2025\.01\.10"$/m);
    expect(out).toMatch(/^ {2}kernel_cull_timeout\n {4}englacial: 1800\n {4}prod: +1200$/m);
  });

  it('help lists every sync target', () => {
    const { status, out } = make(workspace(), 'help');
    expect(status).toBe(0);
    const targets = [...read(REPO_ROOT, 'Makefile').matchAll(/^(sync-[a-z-]+):/gm)].map((m) => m[1]!);
    expect(targets).toHaveLength(10);
    for (const target of targets) expect(out).toMatch(new RegExp(`^ {2}${target} +\\S`, 'm'));
  });

  it.skipIf(!built('check'))('sync-check fails on the demo drift and prints it', () => {
    const { status, out, err } = make(workspace(), 'sync-check');
    expect(status).not.toBe(0);
    expect(err).toMatch(/sync-check\] Error 2/);
    expect(out).toContain('  dask_cluster_max_cores          shared: 40 → englacial: 200  (environments/englacial/terraform.tfvars:81)');
    expect(out).toContain('2 of 3 environments drift: 8 variables.');
  });
});

describe.skipIf(!promoteAvailable)('the Makefile targets that write (need promote)', () => {
  it('sync-features-to applies the shared features to SYNC_TARGET without asking, keeping a .bak', () => {
    const dir = workspace();
    const before = read(dir, 'environments/dev/terraform.tfvars');
    const { status, err } = make(dir, 'sync-features-to', { SYNC_TARGET: 'dev' });
    expect(err).not.toMatch(/Error \d/);
    expect(status).toBe(0);
    expect(read(dir, 'environments/dev/terraform.tfvars.bak')).toBe(before);
    // promote @shared dev: dev's syncable values are now the shared ones.
    expect(tfsync(dir, 'diff', '@shared', 'dev', '--detailed-exitcode').status).toBe(0);
    expect(tfsync(dir, 'check', 'dev').status).toBe(0);
  });

  it('sync-promote refuses to write without a terminal unless TFSYNC_FLAGS=--yes', () => {
    const dir = workspace();
    const files = ['environments/prod/terraform.tfvars', 'environments/shared-features.tfvars'];
    const before = files.map((f) => read(dir, f));
    const refused = make(dir, 'sync-promote', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' });
    expect(refused.status).not.toBe(0);
    expect(refused.err).toContain('--yes');
    expect(files.map((f) => read(dir, f))).toEqual(before);
    for (const f of files) expect(existsSync(join(dir, `${f}.bak`))).toBe(false);
  });

  it('sync-promote with TFSYNC_FLAGS=--yes promotes: no syncable difference is left', () => {
    const dir = workspace();
    expect(tfsync(dir, 'diff', 'englacial', 'prod', '--detailed-exitcode').status).toBe(2);
    const { status, err } = make(dir, 'sync-promote', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod', TFSYNC_FLAGS: '--yes' });
    expect(err).not.toMatch(/Error \d/);
    expect(status).toBe(0);
    const after = tfsync(dir, 'diff', 'englacial', 'prod', '--detailed-exitcode');
    expect(after.status).toBe(0);
    expect(after.out).toContain('englacial and prod are in step: no syncable variable differs.');
    // The shared file took englacial's values too, so both are in step with it.
    expect(tfsync(dir, 'check', 'englacial', 'prod').status).toBe(0);
  });
});
