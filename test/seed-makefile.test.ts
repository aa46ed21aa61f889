/**
 * The seed's grep/sed Makefile, run for real on the shipped demo. The first test proves the
 * extraction runs; the others pin down bugs the design lists ("What the seed Makefile gets wrong"),
 * which is why tfsync exists. Skipped when the seed document (outside the repository) is absent,
 * or when make, bash or GNU sed are missing.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '@cdktn/hcl2json';
import { afterEach, describe, expect, it } from 'vitest';
import { extractSeedMakefile, REPO_ROOT, SEED_PATH } from './helpers/seed-makefile.js';
import { firstReason, seedAbsent, titled } from './helpers/shared-material.js';
import { commandWorks } from './helpers/tools.js';

const seedMakefile = extractSeedMakefile(SEED_PATH);

// The recipes use `echo -e` (bash) and `sed -i` without a suffix (GNU sed; BSD sed reads the
// script as the suffix).
const cannotRun = firstReason(
  seedAbsent,
  !existsSync('/bin/bash') && 'skipped: /bin/bash is absent',
  !commandWorks('make', ['--version']) && 'skipped: make is not installed',
);
const runnable = seedMakefile !== undefined && cannotRun === undefined;
const gnuSed = commandWorks('sed', ['--version']);
const noGnuSed = gnuSed ? undefined : 'skipped: GNU sed is not installed';

const dirs: string[] = [];

/** A copy of the demo environments with the seed Makefile beside them, as `Makefile`. */
function workspace(extraMakefileLines = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'tfsync-seed-'));
  cpSync(join(REPO_ROOT, 'environments'), join(dir, 'environments'), { recursive: true });
  writeFileSync(join(dir, 'Makefile'), seedMakefile + extraMakefileLines);
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the seed Makefile; variables go as separate argv entries, never through a shell string. */
function make(dir: string, target: string, vars: Record<string, string>): string {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  // A parent `make test SYNC_TARGET=...` would otherwise leak its variables in through MAKEFLAGS.
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[name];
  const args = ['--no-print-directory', '-f', join(dir, 'Makefile'), target];
  for (const [name, value] of Object.entries(vars)) args.push(`${name}=${value}`);
  const out = execFileSync('make', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.replace(/\x1b\[[0-9;]*m/g, '');
}

function read(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8');
}

/** The official parser's verdict: the values, or the error message. */
async function oracle(name: string, text: string): Promise<{ values?: Record<string, unknown>; error?: string }> {
  try {
    return { values: (await parse(name, text)) as Record<string, unknown> };
  } catch (e) {
    return { error: String((e as Error).message ?? e) };
  }
}

describe('extractSeedMakefile', () => {
  it('returns undefined when the seed is absent', () => {
    expect(extractSeedMakefile(join(tmpdir(), 'no-such-dir', 'seed.txt'))).toBeUndefined();
  });

  it.skipIf(seedMakefile === undefined)(titled('extracts all eight sync targets with tab-indented recipes', seedAbsent), () => {
    const targets = [...seedMakefile!.matchAll(/^([a-z-]+):/gm)].map((m) => m[1]);
    expect(targets).toEqual([
      'sync-features-from',
      'sync-features-to',
      'sync-diff',
      'sync-promote',
      'sync-backport',
      'sync-images',
      'sync-dask',
      'sync-timeouts',
    ]);
    expect(seedMakefile).toMatch(/^\t@for var in \$\(SYNCABLE_VARS\); do/m);
  });
});

describe.skipIf(!runnable)(titled('the seed Makefile (extracted from the seed document)', cannotRun), () => {
  it('runs: sync-diff englacial prod prints its sections', () => {
    const dir = workspace();
    const out = make(dir, 'sync-diff', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' });
    expect(out).toContain('Comparing englacial → prod');
    expect(out).toContain('=== SYNCABLE FEATURES ===');
    expect(out).toContain('=== ENVIRONMENT-SPECIFIC (not synced) ===');
    // A drift it does see: the image tag (trailing comment and all, as it compares whole lines).
    expect(out).toMatch(/singleuser_image_tag\n {2}englacial: "2025\.01\.24" # new icepyx.*\n {2}prod: "2025\.01\.10"\n/);
    expect(out).toContain('domain_name: "hub.englacial.org" → "hub.production.example.com"');
  });

  it('reads a value out of a /* */ block comment', async () => {
    const dir = workspace();
    const englacial = await oracle('terraform.tfvars', read(dir, 'environments/englacial/terraform.tfvars'));
    expect(englacial.values?.['dask_cluster_max_cores']).toBe(200);

    const out = make(dir, 'sync-diff', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' });
    // `grep "^dask_cluster_max_cores " | head -1` finds the commented-out trial value first.
    expect(out).toMatch(/dask_cluster_max_cores\n {2}englacial: 400\n {2}prod: 40\n/);
  });

  it('compares only the first line of a multi-line value, so it misses list differences', async () => {
    const dir = workspace();
    const values = async (env: string) =>
      (await oracle('terraform.tfvars', read(dir, `environments/${env}/terraform.tfvars`))).values!;
    // The official parser sees two different lists...
    expect((await values('englacial'))['dask_node_instance_types']).not.toEqual(
      (await values('prod'))['dask_node_instance_types'],
    );
    // ...the Makefile compares "[" with "[" and reports nothing.
    const out = make(dir, 'sync-diff', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' });
    expect(out).toContain('dask_node_max_size: 100 → 50');
    expect(out).not.toContain('dask_node_instance_types');
  });

  it.skipIf(!gnuSed)(
    titled('sync-features-from + sync-features-to copy only the first line of a multi-line list: the files no longer parse', noGnuSed),
    async () => {
      // The team adds its list variable to SYNCABLE_VARS, as the seed tells it to.
      const dir = workspace('\nSYNCABLE_VARS += dask_worker_extra_pip_packages\n');
      const shared = 'environments/shared-features.tfvars';
      const prod = 'environments/prod/terraform.tfvars';
      const dev = 'environments/dev/terraform.tfvars';
      for (const file of [shared, prod, dev]) expect((await oracle(file, read(dir, file))).error).toBeUndefined();

      make(dir, 'sync-features-from', { SYNC_SOURCE: 'englacial' });
      const sharedText = read(dir, shared);
      // The shared file is rewritten wholesale: its banners and comments are gone...
      expect(sharedText).not.toContain('# Container Image Configuration');
      expect(sharedText).not.toContain('# Note: github_org_whitelist is environment-specific');
      // ...the list is cut after its first line...
      expect(sharedText.trimEnd().split('\n').at(-1)).toBe('dask_worker_extra_pip_packages = [');
      // ...and the value picked from the block comment came along.
      expect(sharedText).toContain('dask_cluster_max_cores = 400\n');
      expect((await oracle(shared, sharedText)).error).toMatch(/Missing expression/);

      // prod sets the list on one line: sed replaces it with the orphaned opening bracket.
      make(dir, 'sync-features-to', { SYNC_TARGET: 'prod' });
      const prodText = read(dir, prod);
      expect(prodText).toMatch(/^dask_worker_extra_pip_packages = \[$/m);
      expect(prodText).not.toContain('"xarray-datatree"');
      expect((await oracle(prod, prodText)).error).toBeDefined();
      expect(read(dir, `${prod}.bak`)).toBe(readFileSync(join(REPO_ROOT, prod), 'utf8'));

      // dev lacks the list: the orphaned first line is appended at the end of the file.
      make(dir, 'sync-features-to', { SYNC_TARGET: 'dev' });
      const devText = read(dir, dev);
      expect(devText.endsWith('\ndask_worker_extra_pip_packages = [\n')).toBe(true);
      expect((await oracle(dev, devText)).error).toMatch(/Missing expression/);
    },
  );
});
