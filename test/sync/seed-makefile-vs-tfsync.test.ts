/**
 * The seed's grep/sed Makefile and tfsync, side by side on the same realistic repository
 * (fixtures/promote/seed-layout: a multi-line list among the syncable variables, a block
 * comment holding an old value, `github_enabled=true` written without spaces). The Makefile's
 * `sync-features-from` + `sync-features-to` leave files the official HCL parser rejects; `tfsync
 * promote` leaves files it reads, with the source's values. Skipped when the seed document (outside
 * the repository), make, bash or GNU sed are missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '@cdktn/hcl2json';
import { describe, expect, it } from 'vitest';
import { extractSeedMakefile } from '../helpers/seed-makefile.js';
import { PROD, SHARED, workspaces, type Workspace } from '../helpers/promote-fixture.js';
import { firstReason, seedAbsent, titled } from '../helpers/shared-material.js';
import { commandWorks } from '../helpers/tools.js';

const seedMakefile = extractSeedMakefile();

const cannotRun = firstReason(
  seedAbsent,
  !existsSync('/bin/bash') && 'skipped: /bin/bash is absent',
  !commandWorks('make', ['--version']) && 'skipped: make is not installed',
  !commandWorks('sed', ['--version']) && 'skipped: GNU sed is not installed',
);
const runnable = seedMakefile !== undefined && cannotRun === undefined;

const ENGLACIAL = 'environments/englacial/terraform.tfvars';
const SYNCABLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/promote/seed-layout/tfsync.json'), 'utf8')).syncable as string[];

const workspace = workspaces('seed-layout');

function make(dir: string, target: string, vars: Record<string, string>): void {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[name];
  const args = ['--no-print-directory', '-f', join(dir, 'Makefile'), target, ...Object.entries(vars).map(([k, v]) => `${k}=${v}`)];
  execFileSync('make', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The official parser's verdict on a file: its values, or its error. */
async function official(ws: Workspace, file: string): Promise<{ values?: Record<string, unknown>; error?: string }> {
  try {
    return { values: (await parse('terraform.tfvars', await ws.read(file))) as Record<string, unknown> };
  } catch (err) {
    return { error: String((err as Error).message ?? err) };
  }
}

describe.skipIf(!runnable)(titled('the seed Makefile against tfsync promote, englacial → prod', cannotRun), () => {
  it('the Makefile leaves files that do not parse; tfsync leaves them parsing, with the source values', async () => {
    // The Makefile, with the team's list variable added to SYNCABLE_VARS as the seed suggests.
    const byMake = await workspace();
    writeFileSync(byMake.path('Makefile'), `${seedMakefile}\nSYNCABLE_VARS += dask_worker_extra_pip_packages\n`);
    for (const file of [PROD, SHARED, ENGLACIAL]) expect((await official(byMake, file)).error).toBeUndefined();
    make(byMake.dir, 'sync-features-from', { SYNC_SOURCE: 'englacial' });
    make(byMake.dir, 'sync-features-to', { SYNC_TARGET: 'prod' });
    const makeShared = await byMake.read(SHARED);
    const makeProd = await byMake.read(PROD);
    // Only the list's first line was copied, the block comment's 400 was taken for the value, and
    // `github_enabled=true` (no spaces) was not seen at all.
    expect(makeShared).toContain('dask_worker_extra_pip_packages = [\n');
    expect(makeShared).toContain('dask_cluster_max_cores = 400\n');
    expect(makeShared).not.toContain('github_enabled');
    expect(makeProd).toMatch(/^dask_worker_extra_pip_packages = \[$/m);
    expect((await official(byMake, SHARED)).error).toMatch(/Missing expression|Unclosed|expected/i);
    expect((await official(byMake, PROD)).error).toBeDefined();

    // tfsync on a fresh copy of the same repository.
    const byTfsync = await workspace();
    const source = (await official(byTfsync, ENGLACIAL)).values!;
    const prodBefore = (await official(byTfsync, PROD)).values!;
    const result = await byTfsync.run(['promote', 'englacial', 'prod', '--yes']);
    expect(result.err).not.toMatch(/^tfsync:/m);
    expect(result.code).toBe(0);
    const prod = await official(byTfsync, PROD);
    const shared = await official(byTfsync, SHARED);
    expect(prod.error).toBeUndefined();
    expect(shared.error).toBeUndefined();
    for (const name of SYNCABLE) {
      expect(prod.values![name], name).toEqual(source[name]);
      expect(shared.values![name], name).toEqual(source[name]);
    }
    expect(prod.values!['dask_cluster_max_cores']).toBe(200);
    expect(prod.values!['dask_worker_extra_pip_packages']).toEqual(['icepyx==1.3.0', 'xarray-datatree', 'sliderule==4.7.1']);
    // Environment-specific values untouched; the shared file keeps its banners and comments.
    for (const name of Object.keys(prodBefore).filter((n) => !SYNCABLE.includes(n))) expect(prod.values![name], name).toEqual(prodBefore[name]);
    expect(await byTfsync.read(SHARED)).toContain('# Container Image Configuration\n');
    expect(await byTfsync.read(SHARED)).toContain('dask_cluster_max_cores = 200    # Max 40 cores per cluster\n');
  });

  it('the partial targets: sync-dask fails on the block comment, tfsync --only dask promotes the group', async () => {
    const byMake = await workspace();
    writeFileSync(byMake.path('Makefile'), seedMakefile!);
    // sync-dask's grep has no `head -1`: it finds the commented-out line and the real one, and the
    // two-line replacement breaks sed's command, halfway through the loop (and with no backup).
    expect(() => make(byMake.dir, 'sync-dask', { SYNC_SOURCE: 'englacial', SYNC_TARGET: 'prod' })).toThrow(/unterminated `s' command/);
    expect(await byMake.exists(`${PROD}.bak`)).toBe(false);

    const byTfsync = await workspace();
    await byTfsync.run(['promote', 'englacial', 'prod', '--yes', '--only', 'dask']);
    const prod = (await official(byTfsync, PROD)).values!;
    expect(prod['dask_cluster_max_cores']).toBe(200);
    expect(prod['dask_worker_extra_pip_packages']).toEqual(['icepyx==1.3.0', 'xarray-datatree', 'sliderule==4.7.1']);
    expect(prod['singleuser_image_tag']).toBe('2025.01.10');
  });
});
