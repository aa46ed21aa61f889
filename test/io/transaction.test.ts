import { chmod, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';
import { CREATED_MARKER } from '../../src/io/write-file.js';
import { commitFiles, type FileChange } from '../../src/io/transaction.js';

type Op = 'write' | 'rename' | 'unlink';

/** The real file system, with `decide` asked before each write, rename and unlink: a code fails it. */
function faulty(decide: (op: Op, path: string) => string | undefined): FileSystem {
  const fault = (op: Op, path: string) => {
    const code = decide(op, path);
    if (code) throw Object.assign(new Error(`${code}: injected`), { code });
  };
  return {
    ...nodeFileSystem,
    open: async (path, flags, mode) => {
      const handle = await nodeFileSystem.open(path, flags, mode);
      return { writeFile: async (data) => (fault('write', path), handle.writeFile(data)), sync: () => handle.sync(), close: () => handle.close() };
    },
    rename: async (from, to) => (fault('rename', from), nodeFileSystem.rename(from, to)),
    unlink: async (path) => (fault('unlink', path), nodeFileSystem.unlink(path)),
  };
}

const FAST = { staleMs: 10_000, waitMs: 300, retryMs: 20 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfsync-tx-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function existing(name: string, text: string, mode = 0o644): Promise<FileChange> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return { path, before: Buffer.from(text), after: Buffer.from(`${text}# changed\n`), mode };
}

const read = (path: string) => readFile(path, 'utf8');
const listing = async () => (await readdir(dir)).sort();

describe('commitFiles', () => {
  it('writes every file, backs up the existing ones, creates new folders, leaves no lock', async () => {
    const a = await existing('a.tfvars', 'a = 1\n', 0o640);
    const b = await existing('b.tfvars', 'b = 1\n', 0o600);
    const created: FileChange = { path: join(dir, 'new', 'shared.tfvars'), before: null, after: Buffer.from('s = 1\n'), mode: 0o644 };
    expect(await commitFiles([a, b, created])).toEqual([a.path, b.path, created.path]);
    expect(await read(a.path)).toBe('a = 1\n# changed\n');
    expect(await read(b.path)).toBe('b = 1\n# changed\n');
    expect(await read(created.path)).toBe('s = 1\n');
    expect(await read(`${a.path}.bak`)).toBe('a = 1\n');
    expect((await stat(`${b.path}.bak`)).mode & 0o777).toBe(0o600);
    expect((await stat(a.path)).mode & 0o777).toBe(0o640);
    expect(await listing()).toEqual(['a.tfvars', 'a.tfvars.bak', 'b.tfvars', 'b.tfvars.bak', 'new']);
    // The created file's backup says it was created: `restore` deletes it.
    expect(await readdir(join(dir, 'new'))).toEqual(['shared.tfvars', 'shared.tfvars.bak']);
    expect(await read(`${created.path}.bak`)).toBe(CREATED_MARKER);
  });

  it('skips a change that changes nothing: no write, no .bak', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    expect(await commitFiles([{ ...a, after: Buffer.from('a = 1\n') }])).toEqual([]);
    expect(await listing()).toEqual(['a.tfvars']);
  });

  it('on ENOSPC writing the second file, leaves both files as they were and no temp files', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const b = await existing('b.tfvars', 'b = 1\n');
    const fs = faulty((op, path) => (op === 'write' && path.includes('.b.tfvars.tfsync-tmp-') ? 'ENOSPC' : undefined));
    const attempt = commitFiles([a, b], fs);
    await expect(attempt).rejects.toBeInstanceOf(TfsyncError);
    await expect(attempt).rejects.toThrow(`cannot write ${b.path}: no space left on device (ENOSPC); nothing was changed`);
    await attempt.catch((err: TfsyncError) => expect(err.hint).toContain(a.path));
    expect(await read(a.path)).toBe('a = 1\n');
    expect(await read(b.path)).toBe('b = 1\n');
    expect((await listing()).filter((n) => !n.endsWith('.bak'))).toEqual(['a.tfvars', 'b.tfvars']);
  });

  it('removes a file it created when a later write fails', async () => {
    const created: FileChange = { path: join(dir, 'shared.tfvars'), before: null, after: Buffer.from('s = 1\n'), mode: 0o644 };
    const b = await existing('b.tfvars', 'b = 1\n');
    const fs = faulty((op, path) => (op === 'rename' && path.includes('.b.tfvars.tfsync-tmp-') ? 'EROFS' : undefined));
    await expect(commitFiles([created, b], fs)).rejects.toThrow(/read-only file system \(EROFS\); nothing was changed/);
    expect(await listing()).toEqual(['b.tfvars', 'b.tfvars.bak']);
    expect(await read(b.path)).toBe('b = 1\n');
  });

  it('says which files to restore when putting them back fails too', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const b = await existing('b.tfvars', 'b = 1\n');
    let aRenames = 0;
    const fs = faulty((op, path) => {
      if (op === 'rename' && path.includes('.a.tfvars.tfsync-tmp-') && ++aRenames === 2) return 'EIO';
      // The fallback too: renaming the .bak back.
      if (op === 'rename' && path.endsWith('a.tfvars.bak')) return 'EIO';
      if (op === 'write' && path.includes('.b.tfvars.tfsync-tmp-')) return 'ENOSPC';
      return undefined;
    });
    const err = await commitFiles([a, b], fs).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TfsyncError);
    expect((err as TfsyncError).message).toMatch(/ENOSPC\); and putting back the files already written failed$/);
    expect((err as TfsyncError).hint).toBe(
      `restore ${a.path} with \`tfsync restore\` (the previous contents are in ${a.path}.bak)`,
    );
    expect(await read(`${a.path}.bak`)).toBe('a = 1\n');
    expect(await read(b.path)).toBe('b = 1\n');
    expect((await listing()).filter((n) => n.includes('tfsync-'))).toEqual([]);
  });

  it('changes no file when a backup cannot be written', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const fs = faulty((op, path) => (op === 'write' && path.includes('.a.tfvars.bak.tfsync-tmp-') ? 'EDQUOT' : undefined));
    await expect(commitFiles([a], fs)).rejects.toThrow(`cannot write ${a.path}.bak: disk quota exceeded (EDQUOT); no file was changed`);
    expect(await listing()).toEqual(['a.tfvars']);
    expect(await read(a.path)).toBe('a = 1\n');
  });

  it('writes nothing when a file changed on disk since it was planned', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const b = await existing('b.tfvars', 'b = 1\n');
    await writeFile(b.path, 'b = 1 # edited by hand\n');
    await expect(commitFiles([a, b])).rejects.toThrow(`${b.path} changed on disk since it was read; nothing was written`);
    expect(await read(a.path)).toBe('a = 1\n');
    expect(await read(b.path)).toBe('b = 1 # edited by hand\n');
    expect(await listing()).toEqual(['a.tfvars', 'b.tfvars']);
  });

  it('writes nothing when a file it would create appeared meanwhile, or one it would edit vanished', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const created = await existing('new.tfvars', 'someone else\n');
    await expect(commitFiles([a, { ...created, before: null }])).rejects.toThrow(/new\.tfvars was created since it was read/);
    await rm(created.path);
    await expect(commitFiles([created])).rejects.toThrow(/new\.tfvars was deleted since it was read/);
    expect(await listing()).toEqual(['a.tfvars']);
  });

  it('fails clearly on a live lock, after waiting, and keeps the other holder’s lock', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const b = await existing('b.tfvars', 'b = 1\n');
    await writeFile(`${b.path}.tfsync.lock`, '4242\n');
    const started = Date.now();
    const attempt = commitFiles([a, b], nodeFileSystem, FAST);
    await expect(attempt).rejects.toThrow(`another tfsync is writing ${b.path}; nothing was written`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.waitMs - 20);
    expect(await read(a.path)).toBe('a = 1\n');
    expect(await listing()).toEqual(['a.tfvars', 'b.tfvars', 'b.tfvars.tfsync.lock']);
  });

  it('waits for a live lock to be released', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    await writeFile(`${a.path}.tfsync.lock`, '4242\n');
    setTimeout(() => void rm(`${a.path}.tfsync.lock`), 100);
    expect(await commitFiles([a], nodeFileSystem, { ...FAST, waitMs: 2_000 })).toEqual([a.path]);
    expect(await read(a.path)).toBe('a = 1\n# changed\n');
  });

  it('removes a stale lock left by a process that died', async () => {
    const a = await existing('a.tfvars', 'a = 1\n');
    const lock = `${a.path}.tfsync.lock`;
    await writeFile(lock, '4242\n');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lock, minuteAgo, minuteAgo);
    expect(await commitFiles([a], nodeFileSystem, FAST)).toEqual([a.path]);
    expect(await listing()).toEqual(['a.tfvars', 'a.tfvars.bak']);
  });

  it('locks and edits the real file behind a symbolic link', async () => {
    const real = await existing('real.tfvars', 'r = 1\n');
    const link = join(dir, 'link.tfvars');
    await symlink('real.tfvars', link);
    await writeFile(`${real.path}.tfsync.lock`, '4242\n');
    await expect(commitFiles([{ ...real, path: link }], nodeFileSystem, FAST)).rejects.toThrow(/another tfsync is writing .*link\.tfvars/);
    await rm(`${real.path}.tfsync.lock`);
    await commitFiles([{ ...real, path: link }], nodeFileSystem, FAST);
    expect(await read(real.path)).toBe('r = 1\n# changed\n');
  });

  it('refuses two changes to the same file under different names', async () => {
    const real = await existing('real.tfvars', 'r = 1\n');
    await symlink('real.tfvars', join(dir, 'link.tfvars'));
    await expect(commitFiles([real, { ...real, path: join(dir, 'link.tfvars') }])).rejects.toThrow(/are the same file; nothing was written/);
    expect(await read(real.path)).toBe('r = 1\n');
  });
});
