/**
 * The benchmark generator at a tiny size: what it writes must parse cleanly and hold what was asked
 * for, or every benchmark built on it measures the wrong thing. Then the harness itself, once, in
 * --quick mode on one section, in a child process (it needs dist/, which `npm test` builds). No
 * timing assertions anywhere: this runs on busy CI machines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as officialParse } from '@cdktn/hcl2json';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without type declarations, so that it runs without a build.
import { generateLayout, generateTfvars, variableSpecs } from '../bench/generate.mjs';
import { parseTfvars } from '../src/hcl/tfvars.js';
import { parseVariables } from '../src/hcl/variables.js';
import { loadConfig } from '../src/model/config.js';
// @ts-expect-error: plain JavaScript, as above.
import { median, runProcess } from '../bench/measure.mjs';
import { isBuilt } from './helpers/cli.js';
import { extractSeedMakefile, REPO_ROOT } from './helpers/seed-makefile.js';

interface Layout {
  dir: string;
  environments: string[];
  variables: string[];
  syncable: string[];
  environmentSpecific: string[];
  files: string[];
}

const gen = {
  tfvars: generateTfvars as (options: { variables: number; seed?: number; drift?: number; driftSeed?: string }) => string,
  layout: generateLayout as (dir: string, options: { environments: number; variables: number; seed: number; driftShare: number }) => Layout,
  specs: variableSpecs as (options: { variables: number; seed?: number }) => { name: string }[],
};

function valuesOf(text: string): Record<string, unknown> {
  const doc = parseTfvars(text);
  expect(doc.diagnostics).toEqual([]);
  return Object.fromEntries(doc.attributes.map((a) => [a.name, a.value]));
}

describe('generateTfvars', () => {
  it.each([1, 7, 25, 60])('%i variables: parses with no diagnostics and holds exactly that many', (variables) => {
    const text = gen.tfvars({ variables, seed: 3 });
    const doc = parseTfvars(text);
    expect(doc.diagnostics).toEqual([]);
    expect(doc.attributes).toHaveLength(variables);
    expect(doc.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(gen.specs({ variables, seed: 3 }).map((s) => s.name)));
  });

  it('is realistic: a banner, comments of all three kinds, every kind of value', () => {
    const text = gen.tfvars({ variables: 200, seed: 1 });
    expect(text.startsWith('# ====')).toBe(true);
    for (const marker of ['# ', '// ', '/* ', '<<-EOT', ' = [\n', ' = {\n', '\\"', 'true', 'false']) expect(text).toContain(marker);
    const kinds = new Set(Object.values(valuesOf(text)).map((v) => (Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v)));
    expect([...kinds].sort()).toEqual(['boolean', 'list', 'number', 'object', 'string']);
  });

  it('is deterministic: the same options give the same bytes; another seed, other bytes', () => {
    expect(gen.tfvars({ variables: 30, seed: 5 })).toBe(gen.tfvars({ variables: 30, seed: 5 }));
    expect(gen.tfvars({ variables: 30, seed: 5 })).not.toBe(gen.tfvars({ variables: 30, seed: 6 }));
  });

  it('drift changes some values and keeps every name', () => {
    const base = valuesOf(gen.tfvars({ variables: 100, seed: 2 }));
    const drifted = valuesOf(gen.tfvars({ variables: 100, seed: 2, drift: 0.3, driftSeed: 'x' }));
    expect(Object.keys(drifted).sort()).toEqual(Object.keys(base).sort());
    const changed = Object.keys(base).filter((k) => JSON.stringify(base[k]) !== JSON.stringify(drifted[k])).length;
    expect(changed).toBeGreaterThan(10);
    expect(changed).toBeLessThan(60);
    expect(valuesOf(gen.tfvars({ variables: 100, seed: 2, drift: 0 }))).toEqual(base);
  });

  it('evaluates identically under the official parser', async () => {
    const text = gen.tfvars({ variables: 80, seed: 11 });
    expect(await officialParse('generated.tfvars', text)).toEqual(valuesOf(text));
  });
});

describe('generateLayout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfsync-bench-layout-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const layout = gen.layout(dir, { environments: 4, variables: 30, seed: 9, driftShare: 0.25 });
  const read = (rel: string) => readFileSync(join(dir, rel), 'utf8');

  it('writes tfsync.json, variables.tf, the shared file and one file per environment', () => {
    expect(layout.environments).toHaveLength(4);
    expect(layout.files.sort()).toEqual(
      [
        'tfsync.json',
        'environments/variables.tf',
        'environments/shared-features.tfvars',
        ...layout.environments.map((e) => `environments/${e}/terraform.tfvars`),
      ].sort(),
    );
  });

  it('has a valid tfsync.json with about half the variables syncable, by explicit name', () => {
    const config = loadConfig(join(dir, 'tfsync.json'), read('tfsync.json'));
    expect(config.syncable).toEqual(layout.syncable);
    expect(config.environmentSpecific).toEqual(layout.environmentSpecific);
    expect([...layout.syncable, ...layout.environmentSpecific].sort()).toEqual([...layout.variables].sort());
    expect(layout.syncable.length).toBeGreaterThanOrEqual(10);
    expect(layout.syncable.length).toBeLessThanOrEqual(15);
    for (const name of layout.syncable) expect(name).not.toMatch(/[*?]/);
  });

  it('declares every variable in variables.tf', () => {
    const parsed = parseVariables(read('environments/variables.tf'));
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.variables.map((v) => v.name)).toEqual(layout.variables);
  });

  it('writes the syncable values to the shared file, and every variable to each environment', () => {
    const shared = valuesOf(read('environments/shared-features.tfvars'));
    expect(Object.keys(shared).sort()).toEqual([...layout.syncable].sort());
    let drifted = 0;
    for (const env of layout.environments) {
      const values = valuesOf(read(`environments/${env}/terraform.tfvars`));
      expect(Object.keys(values).sort()).toEqual([...layout.variables].sort());
      drifted += layout.syncable.filter((n) => JSON.stringify(values[n]) !== JSON.stringify(shared[n])).length;
    }
    // A quarter of the syncable values drift, give or take.
    expect(drifted).toBeGreaterThan(0);
    expect(drifted).toBeLessThan(layout.syncable.length * layout.environments.length * 0.6);
  });
});

describe('bench/seed-makefile.mjs', () => {
  it('gives undefined when the seed is absent, so that its callers skip', () => {
    expect(extractSeedMakefile(join(tmpdir(), 'no-such-dir', 'seed.txt'))).toBeUndefined();
  });
});

describe('bench/measure.mjs', () => {
  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('runs a whole process: wall time, exit status, peak memory', () => {
    const run = runProcess(process.execPath, ['-e', 'process.exitCode = 3'], { capture: true }) as { ms: number; rssKB?: number; status: number };
    expect(run.status).toBe(3);
    expect(run.ms).toBeGreaterThan(0);
    // GNU time or the preload: either way a node process has a peak RSS of some megabytes.
    expect(run.rssKB).toBeGreaterThan(1000);
  });
});

describe('bench/run.mjs --quick', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tfsync-bench-run-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO_ROOT, 'bench', 'run.mjs'), ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });

  it.skipIf(!isBuilt('cli/main.js'))('prints the diff-demo table and the budget row, and writes them as markdown', () => {
    const out = join(dir, 'latest.md');
    const result = run('--quick', '--only', 'diff-demo', '--out', out);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^tfsync diff on the demo vs node -e 0$/m);
    expect(result.stdout).toMatch(/^node -e 0 +\d/m);
    // The columns may change; the row names the command, its time and memory, the target and a verdict.
    expect(result.stdout).toMatch(/^tfsync diff englacial prod +[\d.]+ ms .* \d+ MB .*≤ 1\.7× +(PASS|FAIL)$/m);
    expect(result.stdout).toMatch(/^diff on the demo vs node -e 0 +[\d.]+× \([^)]+\) +≤ 1\.7× +(PASS|FAIL)$/m);
    const markdown = readFileSync(out, 'utf8');
    for (const line of ['# tfsync benchmark results', '- Machine: ', '- Node: v', '- Load average', '| row | measured | target | status |']) {
      expect(markdown).toContain(line);
    }
    expect(markdown).toMatch(/^\| diff on the demo vs node -e 0 \| [\d.]+× .* \| ≤ 1\.7× \| (PASS|FAIL) \|$/m);
  });

  it('refuses an unknown section', () => {
    const result = run('--quick', '--only', 'no-such-section', '--out', join(dir, 'unused.md'));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('no section matches --only no-such-section');
    expect(existsSync(join(dir, 'unused.md'))).toBe(false);
  });
});
