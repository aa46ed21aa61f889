/**
 * Random and mutated real files (the demo's, the fixtures') fed to every read-only command, in
 * process, in a temporary repository: whatever the input, the command never crashes. It exits 0, 1
 * or 2; when it fails, the message is `tfsync: ...` or `file:line:col: ...` without a stack trace
 * or "internal error"; it writes nothing; and it answers quickly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCleanFailure, PROD, Repo, ROOT, SHARED, TEST, TIME_LIMIT_MS } from './helpers.js';

/** Every tfvars, .tf and tfsync.json of the demo and the fixtures, by kind. */
function seeds(): { tfvars: string[]; tf: string[]; json: string[] } {
  const out = { tfvars: [] as string[], tf: [] as string[], json: [] as string[] };
  for (const dir of ['environments', 'fixtures']) {
    for (const entry of readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const text = readFileSync(path, 'utf8');
      if (entry.name.endsWith('.tfvars')) out.tfvars.push(text);
      else if (entry.name.endsWith('.tf')) out.tf.push(text);
      else if (entry.name === 'tfsync.json') out.json.push(text);
    }
  }
  out.json.push(readFileSync(join(ROOT, 'tfsync.json'), 'utf8'));
  return out;
}
const SEEDS = seeds();

/** Pieces of HCL (and JSON) that break things when put in the wrong place. */
const TOKENS = ['{', '}', '[', ']', '(', ')', '"', '${', '%{', '}"', '<<EOT\n', '<<-EOT\n', '\nEOT\n', '/*', '*/', '#', '//', '=', ':', ',', '\n', '\r\n', '\\', '\t', '\0', '\uFEFF', '\u202E', '\x1b[2J', 'é', '😀', 'variable "x" {', 'sensitive = true', 'null', '-', '.', '*', '1e999', '0x10', '\\u00'];

type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: position, length: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else if (m.kind === 'delete') out = out.slice(0, at) + out.slice(at + m.length);
    else if (m.kind === 'duplicate') out = out.slice(0, at + m.length) + out.slice(at, at + m.length) + out.slice(at + m.length);
    else out = out.slice(0, at);
  }
  return out;
}

const mutated = (texts: string[]) => fc.tuple(fc.constantFrom(...texts), fc.array(mutation, { minLength: 1, maxLength: 6 })).map(([t, ms]) => mutate(t, ms));
const tokenSoup = fc.array(fc.constantFrom(...TOKENS, 'a', 'b = ', ' ', '1', 'true', 'x = "y"\n'), { maxLength: 60 }).map((parts) => parts.join(''));
const content = (texts: string[]) =>
  fc.oneof(
    { weight: 6, arbitrary: mutated(texts).map((t): string | Uint8Array => t) },
    { weight: 2, arbitrary: tokenSoup.map((t): string | Uint8Array => t) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b): string | Uint8Array => b) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map((t): string | Uint8Array => t) },
  );

/** Which file gets the fuzzed content. */
const target = fc.oneof(
  fc.tuple(fc.constantFrom(PROD, TEST, SHARED), content(SEEDS.tfvars)),
  fc.tuple(fc.constant('variables.tf'), content(SEEDS.tf)),
  fc.tuple(fc.constant('tfsync.json'), content(SEEDS.json)),
);

/** TFSYNC_FUZZ_RUNS=5000 for a longer hunt. */
const RUNS = Number(process.env.TFSYNC_FUZZ_RUNS ?? 400);

const COMMANDS = [
  ['get', PROD],
  ['get', PROD, '--json'],
  ['get', TEST, 'image_tag', 'workers'],
  ['show', 'prod'],
  ['show', 'test', '--json'],
  ['show', '@shared', '--format', 'tfvars-json'],
  ['diff', 'test', 'prod'],
  ['diff', 'test', 'prod', '@shared', '--format', 'markdown', '--all'],
  ['diff', 'prod', 'test', '--json'],
  ['envs'],
  ['envs', '--json'],
  ['check'],
  ['check', '--format', 'github'],
  ['validate'],
  ['validate', '--json'],
];

/**
 * A clean failure: an error message on stderr; or, from validate (whose findings are its output),
 * its report on stdout: a JSON document that says it is not valid, or lines with `error:`.
 */
function cleanlyFailed(argv: string[], { out, err }: { out: string; err: string }): boolean {
  if (err.trim() !== '' || argv[0] !== 'validate') return isCleanFailure(err);
  if (argv.includes('--json')) return (JSON.parse(out) as { valid: boolean }).valid === false;
  return /^\S[^\n]*:\d+(:\d+)?: error: \S/m.test(out);
}

describe('fuzzing the read-only commands', () => {
  let repo: Repo;
  let pristine: Record<string, string>;
  beforeAll(async () => {
    repo = await Repo.create();
    pristine = await repo.snapshot();
  });
  afterAll(async () => {
    await repo.dispose();
  });

  it('never crash, never hang, never write, and fail with a clean message', async () => {
    const seen = { ok: 0, failed: 0, drift: 0 };
    await fc.assert(
      fc.asyncProperty(target, fc.constantFrom(...COMMANDS), async ([file, data], argv) => {
        const original = Buffer.from(pristine[file]!, 'base64');
        await writeFile(repo.path(file), data);
        try {
          const result = await repo.run(argv, { env: { GITHUB_STEP_SUMMARY: '' } });
          const context = `tfsync ${argv.join(' ')} with ${file} =\n${JSON.stringify(typeof data === 'string' ? data.slice(0, 400) : [...data.slice(0, 100)])}\n--- stderr:\n${result.err.slice(0, 1500)}`;
          expect([0, 1, 2], context).toContain(result.code);
          expect(result.err + result.out, context).not.toMatch(/^\s+at .+[(:]\d+/m);
          expect(result.err + result.out, context).not.toMatch(/internal error/);
          if (result.code === 1) expect(cleanlyFailed(argv, result), context).toBe(true);
          expect(result.ms, context).toBeLessThan(TIME_LIMIT_MS);
          seen[result.code === 0 ? 'ok' : result.code === 1 ? 'failed' : 'drift']++;
        } finally {
          await writeFile(repo.path(file), original);
        }
        // Read-only: the repository is exactly as it was (no .bak, no lock, no temporary file).
        const now = await repo.snapshot();
        expect(Object.keys(now).sort(), relative(ROOT, repo.dir)).toEqual(Object.keys(pristine).sort());
      }),
      { numRuns: RUNS },
    );
    // The inputs reached both sides: some runs succeed, some fail.
    expect(seen.ok + seen.drift).toBeGreaterThan(10);
    expect(seen.failed).toBeGreaterThan(10);
  }, Math.max(30_000, RUNS * 60));
});
