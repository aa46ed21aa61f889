/**
 * Temporary copies of the fixtures/promote repositories, and runCli on them with captured output:
 * promote, backport and restore tests never write to the fixtures themselves.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { captureOutput } from '../../src/cli/output.js';
import { runCli } from '../../src/cli/run.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const PROMOTE_FIXTURES = join(ROOT, 'fixtures', 'promote');

/** 2025-01-27, for every `Last synced` stamp in the tests. */
export const EPOCH = '1738000000';
export const EPOCH_DATE = '2025-01-27';

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** A fake terminal: stdin and stdout are TTYs, and stdin answers with this text. */
  answer?: string;
}

/** A workspace: a fresh copy of a fixture repository, and runCli inside it. */
export class Workspace {
  private constructor(readonly dir: string) {}

  static async of(fixture: string): Promise<Workspace> {
    const dir = await mkdtemp(join(tmpdir(), `tfsync-${fixture}-`));
    await cp(join(PROMOTE_FIXTURES, fixture), dir, { recursive: true });
    return new Workspace(dir);
  }

  /** A workspace copied from any folder (the shipped demo, say): `files` relative to `from`. */
  static async copy(from: string, files: string[]): Promise<Workspace> {
    const dir = await mkdtemp(join(tmpdir(), 'tfsync-copy-'));
    for (const file of files) await cp(join(from, file), join(dir, file), { recursive: true });
    return new Workspace(dir);
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  read(file: string): Promise<string> {
    return readFile(this.path(file), 'utf8');
  }

  bytes(file: string): Promise<Buffer> {
    return readFile(this.path(file));
  }

  async exists(file: string): Promise<boolean> {
    return stat(this.path(file)).then(
      () => true,
      () => false,
    );
  }

  async mode(file: string): Promise<number> {
    return (await stat(this.path(file))).mode & 0o777;
  }

  /** Every file under the workspace with its bytes, to prove that nothing was written. */
  async snapshot(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else out.set(relative(this.dir, path), (await readFile(path)).toString('base64'));
      }
    };
    await walk(this.dir);
    return out;
  }

  async run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
    const output = captureOutput();
    const env = { SOURCE_DATE_EPOCH: EPOCH, ...options.env };
    let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
    if (options.answer !== undefined) {
      stdin = Object.assign(new PassThrough(), { isTTY: true });
      stdin.end(options.answer);
    }
    const code = await runCli(argv, { output, cwd: this.dir, env, stdin, stdoutIsTTY: options.answer !== undefined });
    return { code, out: output.out, err: output.err };
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}
