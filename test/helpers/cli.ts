/**
 * Scaffolding shared by the end-to-end tests: runCli in-process with captured output, temporary
 * folders of fixture files, and the built CLI in a child process with a trace of the modules it loads.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { captureOutput } from '../../src/cli/output.js';
import { runCli } from '../../src/cli/run.js';
import type { FileSystem } from '../../src/io/file-system.js';

/** The repository root: the shipped demo, and where dist/ is built. */
export const ROOT = resolve(import.meta.dirname, '../..');
/** The built CLI's entry point. */
export const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

/**
 * The file URL of the bundled CLI's chunk (scripts/bundle-cli.mjs) that holds `source` (a path
 * fragment such as 'src/hcl/tfvars.ts' or 'node_modules/yargs/'), from the chunks' source maps: what a
 * module trace of the built CLI shows when that code is loaded.
 */
export function chunkOf(source: string): string {
  const dir = join(ROOT, 'dist', 'cli', 'chunks');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const { sources } = JSON.parse(readFileSync(join(dir, `${file}.map`), 'utf8')) as { sources: string[] };
    if (sources.some((s) => pathToFileURL(join(dir, s)).pathname.includes(`/${source}`))) return pathToFileURL(join(dir, file)).href;
  }
  throw new Error(`no chunk of the bundled CLI holds ${source}`);
}

/** Whether dist/ holds these built files (`npx tsc -p tsconfig.json`): child-process tests skip without them. */
export const isBuilt = (...files: string[]): boolean => files.every((file) => existsSync(join(ROOT, 'dist', file)));

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export interface RunOptions {
  /** Where the command runs (default: the repository root, the shipped demo). */
  cwd?: string;
  /** The whole environment the command sees (default: empty). */
  env?: Record<string, string | undefined>;
  /** The file system to read and write through (default: the real one). */
  fs?: FileSystem;
  /** A fake terminal: stdin and stdout are TTYs, and stdin answers with this text. */
  answer?: string;
}

/** runCli in-process with its output captured; stdout is not a terminal unless `answer` is given. */
export async function run(argv: string[], { cwd = ROOT, env = {}, fs, answer }: RunOptions = {}): Promise<RunResult> {
  const output = captureOutput();
  let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
  if (answer !== undefined) {
    stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(answer);
  }
  const code = await runCli(argv, { output, cwd, env, stdin, stdoutIsTTY: answer !== undefined, fs });
  return { code, out: output.out, err: output.err };
}

/** Writes `files` (path → text; undefined: not written) under `dir`, making folders, and returns `dir`. */
export async function writeFiles(dir: string, files: Record<string, string | undefined>): Promise<string> {
  for (const [path, text] of Object.entries(files)) {
    if (text === undefined) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

/**
 * A temporary folder for a test file, made before its tests and removed after them (call at the top
 * level), and `fixture(name, files)`, which writes a repository into its subfolder `name`.
 */
export function tempFolder(prefix: string) {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    /** The folder's path (once the tests run). */
    get dir(): string {
      return dir;
    },
    fixture: (name: string, files: Record<string, string | undefined>): Promise<string> => writeFiles(join(dir, name), files),
  };
}

/** An ESM resolve hook (on its own thread) appending every resolved URL to the log it is given. */
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`;

/** The preload that registers HOOKS and, at exit, appends the CommonJS modules in require.cache. */
const preload = (log: string) => `import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
const log = ${JSON.stringify(log)};
register(new URL('./hooks.mjs', import.meta.url), { data: { log } });
const require = createRequire(import.meta.url);
process.on('exit', () => appendFileSync(log, Object.keys(require.cache).join('\\n') + '\\n'));
`;

export interface TracedResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every module the process resolved (ESM URLs) or required (CommonJS paths), one a line. */
  modules: string;
}

/**
 * Runs `node ...args` (`[MAIN, ...]` for the built CLI) with the module trace preloaded, in `cwd`
 * (default: the repository root) with the test's environment, NO_COLOR=1 and `env` over it.
 */
export async function tracedNode(args: string[], { cwd = ROOT, env = {} }: { cwd?: string; env?: Record<string, string | undefined> } = {}): Promise<TracedResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tfsync-trace-'));
  try {
    const log = join(dir, 'modules.log');
    await writeFile(log, '');
    await writeFile(join(dir, 'hooks.mjs'), HOOKS);
    await writeFile(join(dir, 'preload.mjs'), preload(log));
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(dir, 'preload.mjs')).href, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules: await readFile(log, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
