/**
 * Disk faults at every step of a write: ENOSPC (once, and a disk that stays full), EACCES and
 * EROFS, injected through the FileSystem interface into commitFiles and into the commands that
 * write (promote, set, restore); and real permissions (chmod) in a child process that is not root.
 * Whatever fails, every file holds its old bytes (or, had the write completed, all hold their new
 * ones), nothing half-written or temporary is left behind, and the message says what happened.
 */
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { commitFiles, type FileChange } from '../../src/io/transaction.js';
import { MUTATING, NEEDS_SPACE, recordingFs, type Call, type Decide } from './fault-fs.js';
import { BUILT, expectCleanError, IS_ROOT, PROD, readableInstall, Repo, SHARED, TEST } from './helpers.js';

const REASONS: Record<string, RegExp> = {
  ENOSPC: /no space left on device \(ENOSPC\)/,
  EACCES: /permission denied \(EACCES\)/,
  EROFS: /read-only file system \(EROFS\)/,
};
const NOTHING = /nothing was written|no file was changed|nothing was changed/;
const FAST_LOCKS = { staleMs: 10_000, waitMs: 200, retryMs: 20 };

/** Every file under `dir`, recursively, relative to it. */
async function listing(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for (const entry of await readdir(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else out.push(rel);
    }
  };
  await walk('');
  return out.sort();
}

const leftovers = (files: string[]) => files.filter((f) => /tfsync-tmp-|\.tfsync\.lock$/.test(f));

describe('commitFiles under disk faults at every step', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  /** Two existing files (one 0600) and one to create in a new folder. */
  async function setUp(): Promise<{ dir: string; changes: FileChange[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'tfsync-faults-'));
    dirs.push(dir);
    const file = async (name: string, text: string, mode: number): Promise<FileChange> => {
      const path = join(dir, name);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, text);
      await chmod(path, mode);
      return { path, before: Buffer.from(text), after: Buffer.from(`${text}changed = true\n`), mode };
    };
    const a = await file('envs/prod/terraform.tfvars', 'a = 1\n', 0o640);
    const b = await file('envs/shared.tfvars', 'b = "s3cret"\n', 0o600);
    const created: FileChange = { path: join(dir, 'envs/new/terraform.tfvars'), before: null, after: Buffer.from('c = 1\n'), mode: 0o644 };
    return { dir, changes: [a, b, created] };
  }

  let clean: Call[];
  beforeAll(async () => {
    const { changes } = await setUp();
    const fs = recordingFs();
    await commitFiles(changes, fs, FAST_LOCKS);
    clean = [...fs.calls];
  });

  it('takes enough steps to be worth sweeping', () => {
    // Locks, reads, backups and writes of three files: if this shrinks, the sweep below tests less.
    expect(clean.filter((c) => MUTATING.has(c.op)).length).toBeGreaterThanOrEqual(20);
  });

  /**
   * Runs the commit with `decide` and checks the all-or-nothing outcome: every file new and
   * nothing left over, or every file and backup as it was; returns which.
   */
  async function attempt(decide: Decide, code: string): Promise<'written' | 'refused'> {
    const { dir, changes } = await setUp();
    const fs = recordingFs(decide);
    const result = await commitFiles(changes, fs, FAST_LOCKS).then(
      () => undefined,
      (err: unknown) => err,
    );
    const contents = await Promise.all(changes.map((c) => readFile(c.path).catch(() => null)));
    const files = await listing(dir);
    if (result === undefined) {
      // The fault hit a step whose failure does not matter (removing a lock at the very end).
      changes.forEach((c, i) => expect(contents[i]).toEqual(c.after));
      expect(files.filter((f) => f.includes('tfsync-tmp-'))).toEqual([]);
      return 'written';
    }
    expect(result, String(result)).toBeInstanceOf(TfsyncError);
    const message = (result as TfsyncError).message;
    expect(message).toMatch(REASONS[code]!);
    expect(message).toMatch(NOTHING);
    // All or nothing: every file as it was, the created one absent...
    changes.forEach((c, i) => expect(contents[i], `${c.path} after ${message}`).toEqual(c.before));
    // ...no temporary file or lock left, and a .bak only ever holds the previous bytes, whole.
    expect(leftovers(files), message).toEqual([]);
    for (const c of changes.filter((x) => x.before !== null)) {
      const bak = await readFile(`${c.path}.bak`).catch(() => null);
      if (bak !== null) expect(bak).toEqual(c.before);
    }
    return 'refused';
  }

  it('ENOSPC at each step that needs room, once: nothing changes', async () => {
    const steps = clean.filter((c) => NEEDS_SPACE.has(c.op));
    for (const step of steps) {
      expect(await attempt((call) => (call.index === step.index ? 'ENOSPC' : undefined), 'ENOSPC'), `${step.op} ${step.path}`).toBe('refused');
    }
  });

  it('a disk that stays full from each step on: nothing changes, even when putting files back needs room', async () => {
    const steps = clean.filter((c) => NEEDS_SPACE.has(c.op));
    for (const step of steps) {
      const decide: Decide = (call) => (call.index >= step.index && NEEDS_SPACE.has(call.op) ? 'ENOSPC' : undefined);
      expect(await attempt(decide, 'ENOSPC'), `${step.op} ${step.path}`).toBe('refused');
    }
  });

  it('EACCES at each step, reads included: all or nothing, and nothing at every step that changes the disk', async () => {
    for (const step of clean) {
      const outcome = await attempt((call) => (call.index === step.index ? 'EACCES' : undefined), 'EACCES');
      const droppingLock = step.op === 'unlink' && step.path.endsWith('.tfsync.lock');
      // Some lookups may fail harmlessly (an lstat that only asks "is this a link?").
      if (MUTATING.has(step.op)) expect(outcome, `${step.op} ${step.path}`).toBe(droppingLock ? 'written' : 'refused');
    }
  });

  it('earlier backups survive a failed commit; when a file cannot be put back, its new .bak is the one kept', async () => {
    const { dir, changes } = await setUp();
    const [a, b] = changes as [FileChange, FileChange];
    await writeFile(`${a.path}.bak`, 'an earlier backup of a\n');
    await writeFile(`${b.path}.bak`, 'an earlier backup of b\n');
    // Writing b fails, and so does everything that would put a back.
    let aWrites = 0;
    let aBakRenames = 0;
    const decide: Decide = (call) => {
      if (call.op === 'write' && call.path.includes('.shared.tfvars.tfsync-tmp-')) return 'ENOSPC';
      if (call.op === 'open' && call.path.includes('/.terraform.tfvars.tfsync-tmp-') && ++aWrites === 2) return 'ENOSPC';
      // The first rename of a.bak sets the earlier one aside; the second would put a back from it.
      if (call.op === 'rename' && call.path === `${a.path}.bak` && ++aBakRenames === 2) return 'EIO';
      return undefined;
    };
    const err = (await commitFiles(changes, recordingFs(decide), FAST_LOCKS).catch((e: unknown) => e)) as TfsyncError;
    expect(err).toBeInstanceOf(TfsyncError);
    expect(err.message).toMatch(/ENOSPC\); and putting back the files already written failed$/);
    expect(err.hint).toContain(`restore ${a.path} with \`tfsync restore\` (the previous contents are in ${a.path}.bak)`);
    expect(err.hint).toMatch(new RegExp(`the ${a.path}\\.bak from before this run is in .*\\.terraform\\.tfvars\\.bak\\.tfsync-prev-\\d+`));
    // a is new and its .bak holds what restore needs; b and its earlier backup are as they were.
    expect(await readFile(a.path)).toEqual(a.after);
    expect(await readFile(`${a.path}.bak`)).toEqual(a.before);
    expect(await readFile(b.path)).toEqual(b.before);
    expect(await readFile(`${b.path}.bak`, 'utf8')).toBe('an earlier backup of b\n');
    const aside = (await listing(dir)).find((f) => f.includes('.terraform.tfvars.bak.tfsync-prev-'))!;
    expect(await readFile(join(dir, aside), 'utf8')).toBe('an earlier backup of a\n');
  });

  it('EROFS at each step that changes the disk: nothing changes', async () => {
    for (const step of clean.filter((c) => MUTATING.has(c.op))) {
      const outcome = await attempt((call) => (call.index === step.index ? 'EROFS' : undefined), 'EROFS');
      const droppingLock = step.op === 'unlink' && step.path.endsWith('.tfsync.lock');
      expect(outcome, `${step.op} ${step.path}`).toBe(droppingLock ? 'written' : 'refused');
    }
  });
});

describe('the writing commands under disk faults', () => {
  let repo: Repo;
  afterEach(async () => {
    await repo?.dispose();
  });

  /** The calls a clean run of argv makes in a fresh repository, from its first lock on. */
  async function commitSteps(argv: string[], prepare: (r: Repo) => Promise<void> = async () => undefined): Promise<Call[]> {
    const r = await Repo.create();
    await prepare(r);
    const fs = recordingFs();
    const result = await r.run(argv, { fs });
    await r.dispose();
    expect(result.code, result.err).toBe(0);
    const first = fs.calls.findIndex((c) => c.op === 'writeFile' && c.path.endsWith('.tfsync.lock'));
    expect(first).toBeGreaterThanOrEqual(0);
    return fs.calls.slice(first);
  }

  /**
   * Runs argv with `decide`, in a fresh repository: the command fails cleanly, every file but the
   * backups is as it was, a backup holds its file's previous bytes, and nothing temporary is left.
   */
  async function expectRefused(
    argv: string[],
    decide: Decide,
    code: string,
    prepare: (r: Repo) => Promise<void> = async () => undefined,
    { writing = true } = {},
  ) {
    repo = await Repo.create();
    await prepare(repo);
    const before = await repo.snapshot();
    const result = await repo.run(argv, { fs: recordingFs(decide) });
    expectCleanError(result, { pattern: REASONS[code] });
    if (writing) expect(result.err).toMatch(NOTHING);
    const after = await repo.snapshot();
    for (const [file, bytes] of Object.entries(after)) {
      // A .bak that was there is kept; a new one only ever holds its file's previous bytes.
      if (file.endsWith('.bak')) expect(bytes, file).toBe(before[file] ?? before[file.slice(0, -4)]);
      else expect(bytes, file).toBe(before[file]);
    }
    expect(Object.keys(after).filter((f) => !f.endsWith('.bak'))).toEqual(Object.keys(before).filter((f) => !f.endsWith('.bak')));
    await repo.dispose();
  }

  /**
   * A decision by the step's place in the commit (counted from the first lock, after which a
   * command's calls come in the same order in every run; reading, before it, is parallel).
   */
  function fromCommit(decide: (step: number, call: Call) => string | undefined): Decide {
    let start: number | undefined;
    return (call) => {
      if (start === undefined && call.op === 'writeFile' && call.path.endsWith('.tfsync.lock')) start = call.index;
      return start === undefined ? undefined : decide(call.index - start, call);
    };
  }

  /**
   * The steps of a commit worth failing: all that change the disk but the clean-up after success
   * (dropping the locks, and an earlier .bak set aside), whose failure leaves litter, not harm.
   */
  const faultable = (steps: Call[]) =>
    steps
      .map((call, step) => ({ call, step }))
      .filter(({ call }) => MUTATING.has(call.op) && !(call.op === 'unlink' && /\.tfsync\.lock$|\.tfsync-prev-\d+$/.test(call.path)));

  it('promote: EACCES at each step of the commit, and a disk full from each step on', async () => {
    const argv = ['promote', 'test', 'prod', '--yes'];
    const steps = await commitSteps(argv);
    expect(faultable(steps).length).toBeGreaterThanOrEqual(20);
    for (const { call, step } of faultable(steps)) {
      await expectRefused(argv, fromCommit((n) => (n === step ? 'EACCES' : undefined)), 'EACCES');
      if (NEEDS_SPACE.has(call.op)) await expectRefused(argv, fromCommit((n, c) => (n >= step && NEEDS_SPACE.has(c.op) ? 'ENOSPC' : undefined)), 'ENOSPC');
    }
  });

  it('promote: an unreadable environment file or shared file is named, and nothing is written', async () => {
    for (const file of [PROD, SHARED, TEST, 'variables.tf']) {
      const decide: Decide = (call) => (call.op === 'readFile' && call.path.endsWith(file) ? 'EACCES' : undefined);
      await expectRefused(['promote', 'test', 'prod', '--yes'], decide, 'EACCES', undefined, { writing: false });
    }
    repo = await Repo.create();
    const result = await repo.run(['promote', 'test', 'prod', '--yes'], { fs: recordingFs((c) => (c.op === 'readFile' && c.path.endsWith(PROD) ? 'EACCES' : undefined)) });
    expect(result.err).toContain(`cannot read ${PROD}: permission denied (EACCES)`);
  });

  it('set and restore: EROFS at each step of the commit', async () => {
    const setArgv = ['set', PROD, 'workers=9'];
    for (const { step } of faultable(await commitSteps(setArgv))) {
      await expectRefused(setArgv, fromCommit((n) => (n === step ? 'EROFS' : undefined)), 'EROFS');
    }
    const withBackup = async (r: Repo) => {
      await r.write(`${PROD}.bak`, 'environment = "prod"\nworkers = 1\n');
    };
    const restoreArgv = ['restore', 'prod', '--yes'];
    for (const { step } of faultable(await commitSteps(restoreArgv, withBackup))) {
      await expectRefused(restoreArgv, fromCommit((n) => (n === step ? 'EROFS' : undefined)), 'EROFS', withBackup);
    }
  });

  it('init --force: EROFS at each step of the commit (the same writer, so tfsync.json and its .bak are all or nothing)', async () => {
    const initArgv = ['init', '--force'];
    const withBackup = async (r: Repo) => {
      await r.write('tfsync.json.bak', '{ "an": "earlier backup" }\n');
    };
    const steps = faultable(await commitSteps(initArgv, withBackup));
    expect(steps.length).toBeGreaterThanOrEqual(8);
    for (const { step } of steps) {
      await expectRefused(initArgv, fromCommit((n) => (n === step ? 'EROFS' : undefined)), 'EROFS', withBackup);
    }
  });
});

describe('real permissions', () => {
  // Root ignores permission bits, so the CLI runs as `nobody` when the tests run as root.
  // `nobody` runs a copy of the package it can read (readableInstall says why).
  let install: Awaited<ReturnType<typeof readableInstall>> | undefined;
  const asUser = () => (IS_ROOT ? { uid: 65534, gid: 65534, main: install!.main } : {});
  beforeAll(async () => {
    if (IS_ROOT && BUILT) install = await readableInstall();
  });
  afterAll(async () => {
    await install?.dispose();
  });
  let repo: Repo;
  afterEach(async () => {
    if (repo) await chmodTree(repo.dir, 0o755);
    await repo?.dispose();
  });

  async function chmodTree(dir: string, mode: number): Promise<void> {
    await chmod(dir, mode).catch(() => undefined);
    for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await chmodTree(join(dir, entry.name), mode);
    }
  }

  async function owned(): Promise<Repo> {
    const r = await Repo.create();
    if (IS_ROOT) {
      for (const file of [...Object.keys(await r.snapshot()), '']) await chown(r.path(file), 65534, 65534).catch(() => undefined);
      const dirs = ['environments', 'environments/prod', 'environments/test'];
      for (const d of dirs) await chown(r.path(d), 65534, 65534);
    }
    return r;
  }

  it('a read-only file (no w bit) is refused, not replaced by the rename around it', async () => {
    repo = await Repo.create();
    await chmod(repo.path(PROD), 0o444);
    const before = await repo.snapshot();
    const result = await repo.run(['promote', 'test', 'prod', '--yes']);
    expectCleanError(result, { pattern: /environments\/prod\/terraform\.tfvars is read-only \(mode 0444\); nothing was written/ });
    expect(result.err).toContain('chmod u+w');
    expect(await repo.snapshot()).toEqual(before);
    const set = await repo.run(['set', PROD, 'workers=9']);
    expectCleanError(set, { pattern: /is read-only \(mode 0444\); nothing was written/ });
    expect(await repo.snapshot()).toEqual(before);
  });

  it.skipIf(!BUILT)('a read-only folder: a clear error from the CLI run as a user who cannot write there', async () => {
    repo = await owned();
    await chmod(repo.path('environments/prod'), 0o555);
    const before = await repo.snapshot();
    const result = await repo.spawn(['promote', 'test', 'prod', '--yes'], asUser());
    expectCleanError(result, { pattern: /cannot lock environments\/prod\/terraform\.tfvars: permission denied \(EACCES\); nothing was written/ });
    expect(result.ms).toBeLessThan(10_000);
    expect(await repo.snapshot()).toEqual(before);
  });

  it.skipIf(!BUILT)('an unreadable file: a clear error naming it', async () => {
    repo = await owned();
    await chmod(repo.path(PROD), 0o000);
    const result = await repo.spawn(['diff', 'test', 'prod'], asUser());
    expectCleanError(result, { pattern: /cannot read environments\/prod\/terraform\.tfvars: permission denied \(EACCES\)/ });
  });
});
