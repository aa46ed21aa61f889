/**
 * The official parser as tfsync loads it (src/io/official-parser.ts): the V8 flag that makes its
 * cold start cheap (--liftoff-only) is set only when the input to come is small, only while the
 * module compiles, and never over the user's own WASM flags; the values and errors are the same
 * either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { TfsyncError } from '../../src/errors.js';

const v8Calls = vi.hoisted(() => [] as string[]);
vi.mock('node:v8', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:v8')>();
  return {
    ...actual,
    // Recorded and passed on: the flag is real, as in the CLI.
    setFlagsFromString: (flag: string) => {
      v8Calls.push(flag);
      actual.setFlagsFromString(flag);
    },
  };
});

type OfficialParserModule = typeof import('../../src/io/official-parser.js');
/** A fresh copy of the module: its load state (and tiering decision) is per module instance. */
async function freshModule(): Promise<OfficialParserModule> {
  vi.resetModules();
  return import('../../src/io/official-parser.js');
}

const ROOT = resolve(import.meta.dirname, '../..');

beforeEach(() => {
  v8Calls.length = 0;
});

const SAMPLE = [
  'image = "repo/app:${var.tag}"',
  'n = 1.5e3',
  'list = [',
  '  "a", # comment',
  '  { k = true, "q" : null },',
  ']',
  'doc = <<-EOT',
  '    indented',
  '      more',
  '    EOT',
  'esc = "tab\\t \\u00e9 $${literal}"',
  '',
].join('\n');

describe('officialValues: how the official parser is compiled', () => {
  it('compiles Liftoff-only for a small input, and puts the flag back', async () => {
    const mod = await freshModule();
    expect(mod.officialParserTiering()).toBeUndefined();
    expect(await mod.officialValues('f.tfvars', SAMPLE)).toMatchObject({ n: 1500, list: ['a', { k: true, q: null }], doc: 'indented\n  more\n' });
    expect(mod.officialParserTiering()).toBe('liftoff-only');
    expect(v8Calls).toEqual(['--liftoff-only', '--no-liftoff-only']);
  });

  it('counts every call made at once (validate reads all its files together)', async () => {
    const mod = await freshModule();
    // Two comments just over half the limit each: cheap to parse, too much together.
    const half = `# ${'x'.repeat(Math.ceil(mod.LIFTOFF_ONLY_LIMIT / 2))}\na = 1\n`;
    expect(await Promise.all([mod.officialValues('a.tfvars', half), mod.officialValues('b.tfvars', half)])).toEqual([{ a: 1 }, { a: 1 }]);
    expect(mod.officialParserTiering()).toBe('default');
    expect(v8Calls).toEqual([]);
  });

  it('keeps V8’s default tiering when told that megabytes are coming (validate on a large repository)', async () => {
    const mod = await freshModule();
    mod.expectOfficialParsing(mod.LIFTOFF_ONLY_LIMIT + 1);
    expect(await mod.officialValues('f.tfvars', 'a = 1\n')).toEqual({ a: 1 });
    expect(mod.officialParserTiering()).toBe('default');
    expect(v8Calls).toEqual([]);
    // Decided once: what is announced afterwards changes nothing.
    mod.expectOfficialParsing(1);
    expect(await mod.officialValues('f.tfvars', 'b = 2\n')).toEqual({ b: 2 });
    expect(mod.officialParserTiering()).toBe('default');
  });

  it('leaves the flags alone when the user chose WASM flags on the command line', async () => {
    const mod = await freshModule();
    const execArgv = process.execArgv;
    process.execArgv = [...execArgv, '--no-wasm-tier-up'];
    try {
      expect(await mod.officialValues('f.tfvars', 'a = 1\n')).toEqual({ a: 1 });
    } finally {
      process.execArgv = execArgv;
    }
    expect(mod.officialParserTiering()).toBe('unchanged');
    expect(v8Calls).toEqual([]);
  });

  it('chooses by the size of the input', async () => {
    const { tieringFor, LIFTOFF_ONLY_LIMIT } = await freshModule();
    expect(tieringFor(0)).toBe('liftoff-only');
    expect(tieringFor(200_000)).toBe('liftoff-only');
    expect(tieringFor(LIFTOFF_ONLY_LIMIT)).toBe('liftoff-only');
    expect(tieringFor(LIFTOFF_ONLY_LIMIT + 1)).toBe('default');
  });
});

describe('the built module, compiled each way in a process of its own', () => {
  const built = join(ROOT, 'dist', 'io', 'official-parser.js');

  it.skipIf(!existsSync(built))('reads values and reports errors the same either way', () => {
    const run = (announce: string) => {
      const script = `
        const mod = await import(${JSON.stringify(pathToFileURL(built).href)});
        mod.expectOfficialParsing(${announce});
        const values = await mod.officialValues('f.tfvars', ${JSON.stringify(SAMPLE)});
        const error = await mod.officialValues('dir/f.tfvars', 'a = 1\\nb = [1,\\nc = "x\\n').catch((e) => e);
        console.log(JSON.stringify({ tiering: mod.officialParserTiering(), values, error: [error.message, error.location, error.options.more?.map((e) => e.message)] }));
      `;
      const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as { tiering: string; values: unknown; error: unknown };
    };
    const { tiering: small, ...liftoff } = run('1000');
    const { tiering: large, ...tiered } = run('10_000_000');
    expect([small, large]).toEqual(['liftoff-only', 'default']);
    expect(tiered).toEqual(liftoff);
    expect(liftoff.values).toMatchObject({ n: 1500 });
    expect(JSON.stringify(liftoff.error)).toContain('dir/f.tfvars');
  });
});
