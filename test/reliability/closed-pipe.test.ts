/**
 * `tfsync diff ... | head -1`: the reader closes the pipe before tfsync has written everything.
 * That is not an error of tfsync's: it must not crash with an unhandled EPIPE, and its exit code
 * must still say what it found.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BUILT, MAIN, ROOT } from './helpers.js';

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    // The reader goes away at once, as `head` does after its first line.
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, err }));
  });
}

describe.skipIf(!BUILT)('a closed stdout', () => {
  it('is not a crash: no stack trace, and the exit code of the comparison', async () => {
    const { code, err } = await runWithClosedStdout(['diff', 'englacial', 'prod', '--all', '--detailed-exitcode']);
    expect(err).not.toMatch(/EPIPE|at .*\.js:\d+/);
    // The demo's environments differ in syncable values, so --detailed-exitcode says 2.
    expect(code).toBe(2);
  });

  it('keeps check exit code 2 for drift', async () => {
    const { code, err } = await runWithClosedStdout(['check']);
    expect(err).not.toMatch(/EPIPE|Unhandled/);
    expect([0, 2]).toContain(code);
  });
});
