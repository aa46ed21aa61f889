/**
 * A real git repository for the branch and pull-request tests: a copy of a fixtures/promote
 * repository, committed on `main`, with a bare repository as `origin`, and an environment of its
 * own (no system or user configuration but the one written here, fixed authors and dates).
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunResult } from './cli.js';
import { PROMOTE_FIXTURES } from './promote-fixture.js';

/** 2025-01-27 12:00 UTC, for the fixture's commits: the `Last synced` stamp of a promotion on a branch. */
export const BASE_DATE = '1737979200';

export class GitRepo {
  private constructor(
    readonly home: string,
    readonly dir: string,
    readonly remote: string,
    readonly env: Record<string, string>,
  ) {}

  static async of(fixture = 'basic'): Promise<GitRepo> {
    const home = await mkdtemp(join(tmpdir(), 'tfsync-git-'));
    const dir = join(home, 'work');
    const remote = join(home, 'remote.git');
    await cp(join(PROMOTE_FIXTURES, fixture), dir, { recursive: true });
    await writeFile(join(home, 'gitconfig'), '[user]\n\tname = Config User\n\temail = config@example.com\n[init]\n\tdefaultBranch = main\n');
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(home, 'gitconfig'),
      GIT_AUTHOR_NAME: 'Promo Bot',
      GIT_AUTHOR_EMAIL: 'promo-bot@example.com',
      GIT_COMMITTER_NAME: 'Promo Bot',
      GIT_COMMITTER_EMAIL: 'promo-bot@example.com',
    };
    const repo = new GitRepo(home, dir, remote, env);
    repo.git('init', '--quiet', '--bare', remote);
    repo.git('init', '--quiet', '-b', 'main');
    repo.git('remote', 'add', 'origin', remote);
    await repo.commitAll('the fixture');
    repo.git('push', '--quiet', 'origin', 'main');
    return repo;
  }

  /** git in the work tree (or in `cwd`); its output, trimmed. */
  git(...args: string[]): string {
    return this.gitIn(this.dir, ...args);
  }

  gitIn(cwd: string, ...args: string[]): string {
    const dated = { GIT_AUTHOR_DATE: `@${BASE_DATE} +0000`, GIT_COMMITTER_DATE: `@${BASE_DATE} +0000` };
    return execFileSync('git', args, { cwd, env: { ...this.env, ...dated }, encoding: 'utf8' }).trim();
  }

  async commitAll(message: string): Promise<string> {
    this.gitIn(this.dir, 'add', '-A');
    // The fixture's commits by a person, so that tfsync's commits are told apart by their author.
    const person = { GIT_AUTHOR_NAME: 'Pat Person', GIT_AUTHOR_EMAIL: 'pat@example.com', GIT_AUTHOR_DATE: `@${BASE_DATE} +0000`, GIT_COMMITTER_DATE: `@${BASE_DATE} +0000` };
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '-m', message], { cwd: this.dir, env: { ...this.env, ...person } });
    return this.git('rev-parse', 'HEAD');
  }

  read(file: string): Promise<string> {
    return readFile(join(this.dir, file), 'utf8');
  }

  write(file: string, text: string): Promise<void> {
    return writeFile(join(this.dir, file), text);
  }

  /** A file as commit `ref` holds it. */
  show(ref: string, file: string): string {
    return this.git('show', `${ref}:${file}`);
  }

  /** tfsync in the work tree, with this repository's environment and `env` over it. */
  run(argv: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
    return run(argv, { cwd: this.dir, env: { ...this.env, ...env } });
  }

  remove(): Promise<void> {
    return rm(this.home, { recursive: true, force: true });
  }
}
