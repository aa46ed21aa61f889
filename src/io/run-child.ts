/**
 * Runs the command `tfsync exec` wraps: an argument array (no shell), the terminal passed through,
 * and its exit code returned (128 + the signal's number when a signal ended it, as shells do).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { TfsyncError } from '../errors.js';

export function runChild(command: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
  const [file, ...args] = command;
  if (file === undefined) return Promise.reject(new TfsyncError('name the command to run after --, e.g. tfsync exec prod -- terraform plan'));
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: env as NodeJS.ProcessEnv, cwd, stdio: 'inherit' });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(new TfsyncError(`cannot run ${file}: ${error.code === 'ENOENT' ? 'not found on PATH' : (error.code ?? error.message)}`));
    });
    child.on('close', (code, signal) => {
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
