/**
 * Errors as data (issue 12): every TfsyncError has a stable code, and with --json an error also
 * prints one JSON document on stdout, `{"error": {"code", "message", "file", "line", "column"}}`,
 * while stderr keeps the human text. The codes are the ones docs/errors.md lists.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import type { DiagnosticCode } from '../../src/hcl/diagnostics.js';
import { ROOT } from '../helpers/cli.js';
import { PROD, workspaces } from '../helpers/promote-fixture.js';

const workspace = workspaces();

interface ErrorDocument {
  error: { code: string; message: string; file: string | null; line: number | null; column: number | null };
}

const documentOf = (out: string): ErrorDocument => JSON.parse(out) as ErrorDocument;

describe('--json error documents', () => {
  it('promote: an unknown environment, with its code and no position; stderr keeps the text', async () => {
    const ws = await workspace();
    const result = await ws.run(['promote', 'test', 'staging', '--json']);
    expect(result.code).toBe(1);
    expect(documentOf(result.out)).toEqual({
      error: { code: 'unknown-environment', message: expect.stringContaining('unknown environment "staging"'), file: null, line: null, column: null },
    });
    expect(result.err).toMatch(/^tfsync: unknown environment "staging"/);
  });

  it('check: a syntax error carries the parser diagnostic code and file:line:column', async () => {
    const ws = await workspace();
    const text = await readFile(join(ws.dir, PROD), 'utf8');
    await writeFile(join(ws.dir, PROD), `${text}broken = [1, 2\n`);
    const result = await ws.run(['check', '--json']);
    expect(result.code).toBe(1);
    const { error } = documentOf(result.out);
    const line = text.split('\n').length;
    // The parser's own diagnostic code (here a missing `,` or `]`), not tfsync's catch-all.
    expect(error).toMatchObject({ code: expect.stringMatching(/^expected-(separator|closing)$/), file: PROD, line: expect.any(Number), column: expect.any(Number) });
    expect(error.line).toBeGreaterThanOrEqual(line);
    expect(result.err).toContain(`${PROD}:${error.line}:${error.column}: ${error.message}`);
  });

  it('get: an unknown variable; show: a config that does not load', async () => {
    const ws = await workspace();
    const get = await ws.run(['get', PROD, 'nope', '--json']);
    expect(get.code).toBe(1);
    expect(documentOf(get.out).error.code).toBe('unknown-variable');
    await writeFile(join(ws.dir, 'tfsync.json'), '{ "environments": 3 }\n');
    const show = await ws.run(['show', 'prod', '--json']);
    expect(show.code).toBe(1);
    expect(documentOf(show.out).error).toMatchObject({ code: 'config-invalid', file: 'tfsync.json', line: 1 });
  });

  it('a sensitive value in an error is masked in the document as on stderr', async () => {
    const ws = await workspace();
    const text = await readFile(join(ws.dir, PROD), 'utf8');
    await writeFile(join(ws.dir, PROD), text.replace('db_password = "prod-db-password-3d9a"', 'db_password = "prod-db-password-3d9a" ]'));
    const result = await ws.run(['diff', 'test', 'prod', '--json']);
    expect(result.code).toBe(1);
    expect(documentOf(result.out).error.line).toBeGreaterThan(0);
    expect(result.out).not.toContain('prod-db-password-3d9a');
    expect(result.err).not.toContain('prod-db-password-3d9a');
  });

  it('without --json, stdout stays empty; a usage error has its code too', async () => {
    const ws = await workspace();
    const result = await ws.run(['promote', 'test', 'staging']);
    expect(result.out).toBe('');
    const usage = await ws.run(['promote', '--json', '--no-such-option', 'test', 'prod']);
    expect(usage.code).toBe(1);
    expect(documentOf(usage.out).error.code).toBe('usage');
  });

  it('every code is documented in docs/errors.md', async () => {
    const doc = await readFile(join(ROOT, 'docs', 'errors.md'), 'utf8');
    const source = await readFile(join(ROOT, 'src', 'hcl', 'diagnostics.ts'), 'utf8');
    const union = /export type DiagnosticCode =([^;]*);/.exec(source)![1]!;
    const diagnostics = union.match(/(?<=')[a-z-]+(?=')/g) as DiagnosticCode[];
    expect(diagnostics.length).toBeGreaterThan(10);
    const missing = [...ERROR_CODES, ...diagnostics].filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });

  it('every error tfsync raises names its code (or passes on the code of the error it wraps)', async () => {
    const files = (await readdir(join(ROOT, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
    const uncoded: string[] = [];
    for (const file of files) {
      const text = await readFile(join(ROOT, 'src', file), 'utf8');
      for (const call of constructorCalls(text, 'new TfsyncError(')) {
        if (!/\bcode:|\.options\b/.test(call.text)) uncoded.push(`src/${file}:${call.line}`);
      }
    }
    expect(files.length).toBeGreaterThan(100);
    expect(uncoded).toEqual([]);
  });

  it('the scan finds a call without a code, over several lines too', () => {
    const calls = constructorCalls("a;\nthrow new TfsyncError(`x ${f(1)}`, {\n  hint: 'y',\n});\nnew TfsyncError('z', { code: 'usage' });", 'new TfsyncError(');
    expect(calls.map((c) => [c.line, /\bcode:/.test(c.text)])).toEqual([[2, false], [5, true]]);
  });
});

/** Each `opening...)` call in `text`, its parentheses balanced, with the line it starts on. */
function constructorCalls(text: string, opening: string): Array<{ line: number; text: string }> {
  const calls: Array<{ line: number; text: string }> = [];
  for (let at = text.indexOf(opening); at >= 0; at = text.indexOf(opening, at + 1)) {
    let depth = 1;
    let i = at + opening.length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '(') depth++;
      else if (text[i] === ')') depth--;
    }
    calls.push({ line: text.slice(0, at).split('\n').length, text: text.slice(at, i) });
  }
  return calls;
}
