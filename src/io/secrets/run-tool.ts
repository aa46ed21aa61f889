/**
 * Running a store's CLI (`pass`, `gopass`, `op`, `sops`): an argument array, never a shell; a
 * timeout; stdin for values (never an argument, which other users can read in the process list);
 * and failures as SecretError with the tool's exit status and its redacted stderr.
 */
import { spawn } from 'node:child_process';
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretContext } from './backend.js';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command args`; resolves with its output whatever its exit status (the caller tells a
 * missing secret from a failure), rejects only when it cannot run (not installed) or times out.
 */
export function runTool(ref: SecretRef, ctx: SecretContext, command: string, args: readonly string[], input?: string, env: Record<string, string | undefined> = {}): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...ctx.env, ...env }, cwd: ctx.root, stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new SecretError(ref, 'secret-timeout', `${command} did not finish within ${ctx.timeoutMs} ms`));
    }, ctx.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === 'ENOENT'
          ? new SecretError(ref, 'secret-backend-missing', `${command} is not installed (not found on PATH)`, `install ${command}, or change the reference's backend`)
          : new SecretError(ref, 'secret-backend-failed', `${command} could not run (${error.code ?? 'error'})`),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
    // A tool that exits without reading stdin closes the pipe: that is its answer, not ours to report.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

/** The tool's failure as a SecretError: its exit status and the first line of its stderr, redacted. */
export function toolFailure(ref: SecretRef, command: string, result: ToolResult, code: 'secret-not-found' | 'secret-access-denied' | 'secret-backend-failed' = 'secret-backend-failed'): SecretError {
  const line = result.stderr.trim().split('\n')[0] ?? '';
  return new SecretError(ref, code, `${command} exited with status ${result.code}${line ? `: ${line}` : ''}`);
}
