import { chmod, lstat, mkdtemp, readdir, readFile, readlink, realpath, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';
import { writeBackup, writeFileAtomic } from '../../src/io/write-file.js';

type Op = 'open' | 'write' | 'sync' | 'chmod' | 'rename';

/** The real file system, except that `op` on a path matching `match` fails with `code`. */
function failing(op: Op, code: string, match: RegExp, seen: string[] = []): FileSystem {
  const fault = (at: Op, path: string) => {
    if (at === 'open') seen.push(path);
    if (at === op && match.test(path)) throw Object.assign(new Error(`${code}: injected`), { code });
  };
  return {
    ...nodeFileSystem,
    open: async (path, flags, mode) => {
      fault('open', path);
      const handle = await nodeFileSystem.open(path, flags, mode);
      return {
        writeFile: async (data) => (fault('write', path), handle.writeFile(data)),
        sync: async () => (fault('sync', path), handle.sync()),
        close: () => handle.close(),
      };
    },
    chmod: async (path, mode) => (fault('chmod', path), nodeFileSystem.chmod(path, mode)),
    rename: async (from, to) => (fault('rename', from), nodeFileSystem.rename(from, to)),
  };
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfsync-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, text: string, mode: number): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

describe('writeFileAtomic', () => {
  it.each([0o640, 0o600, 0o755].map((m) => [m.toString(8), m] as const))('keeps mode 0%s and writes the new bytes', async (_octal, mode) => {
    const path = await fileWith('terraform.tfvars', 'a = 1\n', mode);
    await writeFileAtomic(path, 'a = 2\n');
    expect(await readFile(path, 'utf8')).toBe('a = 2\n');
    expect(await modeOf(path)).toBe(mode);
    expect(await readdir(dir)).toEqual(['terraform.tfvars']);
  });

  it('applies an explicit mode, and writes Buffers as given', async () => {
    const path = await fileWith('x.tfvars', 'old', 0o644);
    await writeFileAtomic(path, Buffer.from([0xef, 0xbb, 0xbf, 0x61]), { mode: 0o600 });
    expect([...(await readFile(path))]).toEqual([0xef, 0xbb, 0xbf, 0x61]);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('creates the temp file private, then widens it', async () => {
    const path = await fileWith('x.tfvars', 'old', 0o644);
    const modes: Array<number | undefined> = [];
    const fs: FileSystem = { ...nodeFileSystem, open: (p, f, m) => (modes.push(m), nodeFileSystem.open(p, f, m)) };
    await writeFileAtomic(path, 'new', { fs });
    expect(modes).toEqual([0o600]);
    expect(await modeOf(path)).toBe(0o644);
  });

  it('creates a new file', async () => {
    const path = join(dir, 'new.tfvars');
    expect(await writeFileAtomic(path, 'a = 1\n')).toBe(path);
    expect(await readFile(path, 'utf8')).toBe('a = 1\n');
  });

  it('edits the target of a symbolic link and keeps the link', async () => {
    const real = await fileWith('real.tfvars', 'a = 1\n', 0o640);
    const link = join(dir, 'link.tfvars');
    await symlink('real.tfvars', link);
    const written = await writeFileAtomic(link, 'a = 2\n');
    // realpath: tmpdir() may itself be behind a link (macOS /var -> /private/var).
    expect(written).toBe(join(await realpath(dir), 'real.tfvars'));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.tfvars');
    expect(await readFile(real, 'utf8')).toBe('a = 2\n');
    expect(await modeOf(real)).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(['link.tfvars', 'real.tfvars']);
  });

  it('refuses a symbolic link to a missing file instead of replacing the link', async () => {
    const link = join(dir, 'dangling.tfvars');
    await symlink('nowhere.tfvars', link);
    await expect(writeFileAtomic(link, 'x')).rejects.toThrow(/symbolic link to a missing file/);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('names its temp file .<base>.tfsync-tmp-<pid>-<random> in the same folder', async () => {
    const path = await fileWith('terraform.tfvars', 'a = 1\n', 0o644);
    const seen: string[] = [];
    await writeFileAtomic(path, 'a = 2\n', { fs: failing('rename', 'EXDEV', /never/, seen) });
    expect(seen).toHaveLength(1);
    expect(dirname(seen[0]!)).toBe(dirname(path));
    expect(basename(seen[0]!)).toMatch(new RegExp(`^\\.terraform\\.tfvars\\.tfsync-tmp-${process.pid}-[0-9a-f]{8}$`));
  });

  it.each([
    ['write', 'ENOSPC', /no space left on device \(ENOSPC\)/],
    ['sync', 'EIO', /input\/output error \(EIO\)/],
    ['chmod', 'EPERM', /operation not permitted \(EPERM\)/],
    ['rename', 'EROFS', /read-only file system \(EROFS\)/],
    ['open', 'EACCES', /permission denied \(EACCES\)/],
  ] as const)('on %s failing with %s: old file intact, no temp file left, clear error', async (op, code, reason) => {
    const path = await fileWith('terraform.tfvars', 'a = 1\n', 0o640);
    const attempt = writeFileAtomic(path, 'a = 2\n', { fs: failing(op, code, /tfsync-tmp/) });
    await expect(attempt).rejects.toBeInstanceOf(TfsyncError);
    await expect(attempt).rejects.toThrow(reason);
    await expect(attempt).rejects.toThrow(`cannot write ${path}`);
    expect(await readFile(path, 'utf8')).toBe('a = 1\n');
    expect(await modeOf(path)).toBe(0o640);
    expect(await readdir(dir)).toEqual(['terraform.tfvars']);
  });
});

describe('writeBackup', () => {
  it.each([0o640, 0o600].map((m) => [m.toString(8), m] as const))('writes <file>.bak with the file mode 0%s', async (_octal, mode) => {
    const path = await fileWith('terraform.tfvars', 'a = 2\n', mode);
    expect(await writeBackup(path, Buffer.from('a = 1\n'), mode)).toBe(`${path}.bak`);
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('a = 1\n');
    expect(await modeOf(`${path}.bak`)).toBe(mode);
  });

  it('narrows an existing wider backup and drops setuid bits', async () => {
    const path = await fileWith('terraform.tfvars', 'a = 2\n', 0o600);
    await fileWith('terraform.tfvars.bak', 'older', 0o644);
    await writeBackup(path, Buffer.from('a = 1\n'), 0o4600);
    expect(await modeOf(`${path}.bak`)).toBe(0o600);
  });

  it('replaces a .bak that is a symbolic link rather than writing through it', async () => {
    const victim = await fileWith('victim.txt', 'precious', 0o644);
    const path = await fileWith('terraform.tfvars', 'a = 2\n', 0o644);
    await symlink(victim, `${path}.bak`);
    await writeBackup(path, Buffer.from('a = 1\n'), 0o644);
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(`${path}.bak`)).isSymbolicLink()).toBe(false);
    expect(await readFile(`${path}.bak`, 'utf8')).toBe('a = 1\n');
  });
});

