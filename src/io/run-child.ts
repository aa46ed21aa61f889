/**
 * Running the user's command for `tfsync exec` (`terraform plan ...`): an argument array, never a
 * shell (the command is the user's, its arguments are passed as they are, nothing is re-split or
 * expanded); the terminal inherited, so Terraform prompts and colours work; the environment given,
 * which carries the secrets, so they never appear in an argument other users can read in the
 * process list. One spawn, held to these rules by test/reliability/boundaries.test.ts.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { TfsyncError } from '../errors.js';

export interface ChildOptions {
  cwd: string;
  env: Record<string, string | undefined>;
}

/**
 * Runs `command args` to its end and resolves with its exit code, a signal as 128 + its number
 * (as a shell reports it). While it runs, Ctrl-C is the child's: the terminal sends SIGINT to both,
 * and Terraform's first Ctrl-C is a graceful stop a second one would make forceful; so tfsync lets
 * it pass and waits. SIGTERM and SIGHUP sent to tfsync alone are passed on.
 */
export function runChild(command: string, args: readonly string[], { cwd, env }: ChildOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit', shell: false });
    const ignore = () => {};
    const forward = (signal: NodeJS.Signals) => () => void child.kill(signal);
    const handlers: Array<[NodeJS.Signals, () => void]> = [
      ['SIGINT', ignore],
      ['SIGTERM', forward('SIGTERM')],
      ['SIGHUP', forward('SIGHUP')],
    ];
    for (const [signal, handler] of handlers) process.on(signal, handler);
    const done = () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(
        error.code === 'ENOENT'
          ? new TfsyncError(`exec: ${command}: command not found`, { code: 'command-not-found', hint: 'check the name after --, or give its path' })
          : new TfsyncError(`exec: ${command} could not run (${error.code ?? error.message})`, { code: 'command-not-found' }),
      );
    });
    child.on('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
