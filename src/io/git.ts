/**
 * git as a child process: an argument array (never a shell), the user's own configuration and
 * environment (GIT_AUTHOR_*, GIT_COMMITTER_*, credentials helpers), and a failure that names the
 * git command that failed and what git said.
 */
import { execFile } from 'node:child_process';
import { TfsyncError } from '../errors.js';

export interface GitOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Exit codes that are answers, not failures (`diff --quiet` exits 1 for "differs"). */
  allow?: readonly number[];
}

export interface GitResult {
  code: number;
  stdout: string;
}

/** Output past this is a repository tfsync should not be handling through stdout anyway. */
const MAX_BUFFER = 64 * 1024 * 1024;

export function git(args: readonly string[], options: GitOptions): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // LC_ALL=C: git's messages in English, since they are quoted in tfsync's.
    const env = { ...stringsOnly(options.env), LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };
    execFile('git', args as string[], { cwd: options.cwd, env, maxBuffer: MAX_BUFFER, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout });
      const code = typeof error.code === 'number' ? error.code : -1;
      if (options.allow?.includes(code)) return resolve({ code, stdout });
      const command = `git ${args.join(' ')}`;
      if (error.code === 'ENOENT') return reject(new TfsyncError(`${command}: git is not installed or not on PATH`, { code: 'git-missing' }));
      const said = stderr.trim().split('\n').filter(Boolean).slice(-3).join('; ') || `exit code ${code}`;
      reject(new TfsyncError(`${command} failed: ${said}`, { code: 'git-failed' }));
    });
  });
}

/** git's trimmed output. */
export async function gitText(args: readonly string[], options: GitOptions): Promise<string> {
  return (await git(args, options)).stdout.trim();
}

function stringsOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}
