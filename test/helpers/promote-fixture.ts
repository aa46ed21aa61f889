/**
 * Temporary copies of the fixtures/promote repositories, and runCli on them with captured output:
 * promote, backport and restore tests never write to the fixtures themselves.
 */
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach } from 'vitest';
import { ROOT, run, type RunOptions, type RunResult } from './cli.js';

export const PROMOTE_FIXTURES = join(ROOT, 'fixtures', 'promote');

/** 2025-01-27, for every `Last synced` stamp in the tests. */
export const EPOCH = '1738000000';
export const EPOCH_DATE = '2025-01-27';

/** The fixture repositories' tfvars files. */
export const PROD = 'environments/prod/terraform.tfvars';
export const TEST = 'environments/test/terraform.tfvars';
export const SHARED = 'environments/shared-features.tfvars';

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

  /** runCli in the workspace, with `Last synced` stamps at EPOCH. */
  run(argv: string[], options: Pick<RunOptions, 'env' | 'answer'> = {}): Promise<RunResult> {
    return run(argv, { cwd: this.dir, env: { SOURCE_DATE_EPOCH: EPOCH, ...options.env }, answer: options.answer });
  }

  remove(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** `workspace()`: a fresh copy of `fixture` for the calling test, removed after each test (call at the top level). */
export function workspaces(fixture = 'basic'): () => Promise<Workspace> {
  const made: Workspace[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((ws) => ws.remove()));
  });
  return async () => {
    const ws = await Workspace.of(fixture);
    made.push(ws);
    return ws;
  };
}

/** A file of fixtures/promote/expected, and one of the untouched basic fixture. */
export const expected = (name: string) => readFile(join(PROMOTE_FIXTURES, 'expected', name), 'utf8');
export const original = (file: string) => readFile(join(PROMOTE_FIXTURES, 'basic', file), 'utf8');
