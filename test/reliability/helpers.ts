/**
 * Shared tools of the reliability suite: throw-away repositories, runCli in-process with captured
 * output (and an injected FileSystem), the built CLI in a child process, byte snapshots that prove
 * nothing was written, and the checks every error message must pass.
 */
import { spawn } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect } from 'vitest';
import { isBuilt, MAIN, ROOT, run, type RunOptions as CliRunOptions } from '../helpers/cli.js';
import { EPOCH } from '../helpers/promote-fixture.js';

export { MAIN, ROOT };
export { PROD, SHARED, TEST } from '../helpers/promote-fixture.js';
export const DIST = join(ROOT, 'dist');
export const DRIVERS = join(import.meta.dirname, 'drivers');
/** Child-process tests need the built CLI (`npx tsc -p tsconfig.json`); they skip without it. */
export const BUILT = isBuilt('cli/main.js', 'io/transaction.js');
export const IS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;
/** The promote fixture every repository here starts from. */
export const BASIC = join(ROOT, 'fixtures', 'promote', 'basic');
/**
 * A bound that catches a hang or a runaway (quadratic) input, not a speed measure: speed is
 * `npm run bench`'s to judge, and a loaded machine must not fail a correct run.
 */
export const TIME_LIMIT_MS = 30_000;

export interface Result {
  code: number;
  out: string;
  err: string;
  ms: number;
}

export type RunOptions = Omit<CliRunOptions, 'cwd'>;

/**
 * A copy of the built package (package.json, dist, schemas, node_modules) in a folder every user can
 * read, for a child process that runs as another user: the clone itself may sit in a folder only
 * its owner can enter (`mktemp -d` makes them 0700), and then `nobody` cannot reach its dist/.
 * Returns the copy's CLI entry point and a function that removes the copy.
 */
export async function readableInstall(): Promise<{ main: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tfsync-install-'));
  await chmod(dir, 0o755);
  for (const entry of ['package.json', 'dist', 'schemas', 'node_modules']) await cp(join(ROOT, entry), join(dir, entry), { recursive: true });
  return { main: join(dir, relative(ROOT, MAIN)), dispose: () => rm(dir, { recursive: true, force: true }) };
}

/** A temporary folder, removed by `dispose`. */
export class Repo {
  private constructor(readonly dir: string) {}

  /** An empty folder, or a copy of `from` (default: the basic promote fixture). */
  static async create(from: string | null = BASIC): Promise<Repo> {
    const dir = await mkdtemp(join(tmpdir(), 'tfsync-rel-'));
    if (from !== null) await cp(from, dir, { recursive: true });
    return new Repo(dir);
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  async write(file: string, data: string | Uint8Array): Promise<void> {
    await mkdir(dirname(this.path(file)), { recursive: true });
    await writeFile(this.path(file), data);
  }

  read(file: string): Promise<string> {
    return readFile(this.path(file), 'utf8');
  }

  bytes(file: string): Promise<Buffer> {
    return readFile(this.path(file));
  }

  /** Every file (and link) under the folder with its bytes, to prove nothing was written. */
  async snapshot(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else out[relative(this.dir, path)] = entry.isSymbolicLink() ? '(link)' : (await readFile(path)).toString('base64');
      }
    };
    await walk(this.dir);
    return out;
  }

  /** runCli in this folder, in-process, output captured and timed. */
  async run(argv: string[], options: RunOptions = {}): Promise<Result> {
    return runIn(this.dir, argv, options);
  }

  /** The built CLI in a child process in this folder. */
  spawn(argv: string[], options: { env?: Record<string, string>; timeoutMs?: number; uid?: number; gid?: number; main?: string } = {}): Promise<Result> {
    const { main = MAIN, ...rest } = options;
    return spawnNode([main, ...argv], { cwd: this.dir, ...rest });
  }

  dispose(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** runCli in `cwd` with `Last synced` stamps at EPOCH, timed. */
export async function runIn(cwd: string, argv: string[], options: RunOptions = {}): Promise<Result> {
  const started = performance.now();
  const result = await run(argv, { ...options, cwd, env: { SOURCE_DATE_EPOCH: EPOCH, ...options.env } });
  return { ...result, ms: performance.now() - started };
}

/** Runs `node ...args`; resolves with the exit code (128 + signal number when killed). */
export function spawnNode(
  args: string[],
  { cwd, env = {}, timeoutMs = 60_000, uid, gid }: { cwd: string; env?: Record<string, string>; timeoutMs?: number; uid?: number; gid?: number },
): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', SOURCE_DATE_EPOCH: EPOCH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(uid === undefined ? {} : { uid }),
      ...(gid === undefined ? {} : { gid }),
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const signals: Record<string, number> = { SIGKILL: 9, SIGTERM: 15 };
      resolvePromise({ code: code ?? 128 + (signal ? (signals[signal] ?? 0) : 0), out, err, ms: performance.now() - started });
    });
  });
}

/** A stack frame line, as Node prints them: never shown unless TFSYNC_DEBUG=1. */
const STACK = /^\s+at .+[(:]\d+/m;

/**
 * The rules for a failed command: exit 1, one clear message on stderr (`tfsync: ...` or
 * `file:line:col: ...`), no stack trace, nothing on stdout but what the command may print before
 * it fails. `located`: the message must point at a position.
 */
export function expectCleanError(result: Result, { located = false, pattern }: { located?: boolean; pattern?: RegExp } = {}): void {
  const context = `stderr:\n${result.err.slice(0, 2000)}\nstdout:\n${result.out.slice(0, 1000)}`;
  expect(result.code, context).toBe(1);
  for (const stream of [result.out, result.err]) {
    expect(stream, context).not.toMatch(STACK);
    expect(stream, context).not.toMatch(/internal error/);
  }
  // `validate` reports what is wrong on stdout (it is its output), `file:line[:col]: error: ...`.
  const message = result.err.trim() === '' ? result.out : result.err;
  if (located) expect(message, context).toMatch(/^[^\s:][^:\n]*:\d+:\d+: \S/m);
  else expect(message, context).toMatch(/^(tfsync: \S|[^\s:][^:\n]*:\d+(:\d+)?: \S)/m);
  if (pattern) expect(message, context).toMatch(pattern);
}

/** Whether an error message block on stderr is acceptable for the fuzzer (exit 1). */
export function isCleanFailure(err: string): boolean {
  return !STACK.test(err) && !/internal error/.test(err) && /^(tfsync: \S|[^\s:][^:\n]*:\d+:\d+: \S)/m.test(err);
}
