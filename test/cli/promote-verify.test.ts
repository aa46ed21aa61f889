/**
 * promote's last check before a write, end to end: every new text goes to the official parser
 * (src/io/verify.ts, src/io/official-parser.ts), and any disagreement, rejection or failure of that
 * parser stops the command with nothing written and no plan printed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { officialValues } from '../../src/io/official-parser.js';
import { PROD, SHARED, workspaces, type Workspace } from '../helpers/promote-fixture.js';

vi.mock('../../src/io/official-parser.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/io/official-parser.js')>();
  return { ...actual, officialValues: vi.fn(actual.officialValues) };
});

const actual = await vi.importActual<typeof import('../../src/io/official-parser.js')>('../../src/io/official-parser.js');
type Parse = typeof actual.officialValues;

const workspace = workspaces();
afterEach(() => {
  vi.mocked(officialValues).mockReset();
  vi.mocked(officialValues).mockImplementation(actual.officialValues);
});

/** The official parser, with its answers replaced by `tamper` (given the real parser). */
function tamperedParser(tamper: (file: string, text: string, real: Parse) => Promise<Record<string, unknown>>) {
  const calls: Array<{ file: string; text: string }> = [];
  vi.mocked(officialValues).mockImplementation((file, text) => {
    calls.push({ file, text });
    return tamper(file, text, actual.officialValues);
  });
  return { calls };
}

async function refused(ws: Workspace, pattern: RegExp) {
  const before = await ws.snapshot();
  const result = await ws.run(['promote', 'test', 'prod', '--yes']);
  expect(result.code).toBe(1);
  expect(result.err).toMatch(pattern);
  // Nothing written, no .bak, and the plan and diff were not printed either.
  expect(await ws.snapshot()).toEqual(before);
  expect(result.out).toBe('');
  return result;
}

describe('promote verifies every new text with the official parser', () => {
  it('gives it exactly the texts it then writes, once each', async () => {
    const ws = await workspace();
    const spy = tamperedParser((file, text, real) => real(file, text));
    const result = await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(result.code).toBe(0);
    expect(spy.calls.map((c) => c.file)).toEqual([SHARED, PROD]);
    for (const { file, text } of spy.calls) expect(await ws.read(file)).toBe(text);
  });

  it('is not asked anything when there is nothing to write', async () => {
    const ws = await workspace();
    expect((await ws.run(['promote', 'test', 'prod', '--yes'])).code).toBe(0);
    const spy = tamperedParser((file, text, real) => real(file, text));
    const again = await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(again.code).toBe(0);
    expect(again.err).toContain('nothing to change; nothing written');
    expect(spy.calls).toEqual([]);
  });

  it('refuses to write when the official parser reads a value differently', async () => {
    const ws = await workspace();
    tamperedParser(async (file, text, real) => {
      const values = await real(file, text);
      return file === PROD ? { ...values, workers: 9 } : values;
    });
    const result = await refused(ws, /refusing to write environments\/prod\/terraform\.tfvars: .*workers would be 9 instead of 8/);
    expect(result.err).toContain('read by the official HCL parser');
    expect(result.err).toContain('this is a bug in tfsync; nothing was written');
  });

  it('refuses to write when the official parser rejects the text', async () => {
    const ws = await workspace();
    tamperedParser(async (file, text, real) => {
      if (file !== SHARED) return real(file, text);
      throw new TfsyncError('Invalid expression; something the official parser saw', {
        location: { file, text, range: { start: 0, end: 0 } },
      });
    });
    await refused(ws, /refusing to write environments\/shared-features\.tfvars: after the edit, the official HCL parser would reject it: Invalid expression/);
  });

  it('refuses to write when the official parser fails (it could not be loaded, say)', async () => {
    const ws = await workspace();
    tamperedParser(async () => {
      throw new Error('Cannot find module main.wasm.gz');
    });
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('Cannot find module main.wasm.gz');
    expect(await ws.snapshot()).toEqual(before);
  });

  it('stops at the first file that fails, in write order', async () => {
    const ws = await workspace();
    const spy = tamperedParser(async (file, text, real) => {
      const values = await real(file, text);
      if (file === PROD) throw new TfsyncError('prod is broken too', { location: { file, text, range: { start: 0, end: 0 } } });
      return { ...values, extra_from_official: 1 };
    });
    const result = await refused(ws, /refusing to write environments\/shared-features\.tfvars: .*extra_from_official would be 1 instead of unset/);
    expect(result.err).not.toContain('prod is broken too');
    expect(spy.calls.map((c) => c.file)).toEqual([SHARED]);
  });

  it('--dry-run verifies too, and prints the diff only after', async () => {
    const ws = await workspace();
    tamperedParser(async (file, text, real) => ({ ...(await real(file, text)), surprise: true }));
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/surprise would be true instead of unset/);
    expect(result.out).toBe('');
    expect(await ws.snapshot()).toEqual(before);
  });
});
