/**
 * Runs a backend's CLI (pass, gopass, op, sops): an argument array, never a shell; a timeout; the
 * secret to store on stdin, never in an argument (arguments show in `ps`). A failure names the
 * tool and its exit code, with its first line of stderr redacted of anything value-like.
 */
import { spawn } from 'node:child_process';
import { redact } from '../../model/secret-refs.js';
import { BackendError, type BackendContext } from './backend.js';

export interface ToolRun {
  stdout: string;
  code: number;
  stderr: string;
}

/** Runs `command args`; resolves whatever the exit code (callers decide what a failure means). */
export function runTool(command: string, args: readonly string[], ctx: BackendContext, input?: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: ctx.env as NodeJS.ProcessEnv, cwd: ctx.root, stdio: ['pipe', 'pipe', 'pipe'], timeout: ctx.timeoutMs });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT';
      reject(new BackendError(missing ? `${command} is not installed (not found on PATH)` : `${command} failed to start`, error.code ?? 'spawn'));
    });
    // A closed stdin (the tool did not read it) is no failure of ours.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
    child.on('close', (code, signal) => {
      if (signal === 'SIGTERM' && code === null) {
        reject(new BackendError(`${command} timed out after ${ctx.timeoutMs} ms`, 'timeout'));
        return;
      }
      resolve({ stdout: Buffer.concat(out).toString('utf8'), code: code ?? 1, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** The tool's stdout, or a BackendError naming it, its exit code and its (redacted) complaint. */
export async function toolOutput(command: string, args: readonly string[], ctx: BackendContext, notFound: RegExp, input?: string): Promise<string> {
  const run = await runTool(command, args, ctx, input);
  if (run.code === 0) return run.stdout;
  const first = redact(run.stderr.trim().split(/\r?\n/)[0] ?? '');
  throw new BackendError(`${command} exited with ${run.code}${first ? `: ${first}` : ''}`, `exit ${run.code}`, notFound.test(run.stderr));
}
