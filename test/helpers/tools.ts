import { execFileSync } from 'node:child_process';

/** Whether a tool this machine may lack (make, GNU sed, bash) runs: tests that need it skip otherwise. */
export function commandWorks(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
