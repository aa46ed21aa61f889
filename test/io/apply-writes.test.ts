/**
 * The one writer (src/io/apply-writes.ts), fed the kinds of write lists every writing command
 * makes: promotion values, a restore's verbatim backup, init's config. Each check runs before the
 * first write, and a failure at the second file leaves every file (and every backup) as it was.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyWrites } from '../../src/io/apply-writes.js';
import type { FileWrite } from '../../src/sync/file-write.js';
import { recordingFs } from '../reliability/fault-fs.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfsync-apply-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const notSensitive = () => false;

/** Two variables files with backups from an earlier run, and the writes that change both. */
async function twoFiles(): Promise<FileWrite[]> {
  const write = async (name: string, before: string, after: string, expected: Record<string, unknown>): Promise<FileWrite> => {
    const path = join(dir, name);
    await writeFile(path, before);
    await writeFile(`${path}.bak`, `# earlier backup of ${name}\n`);
    return { path, file: name, before, after, check: { kind: 'values', json: false, expected: new Map(Object.entries(expected)) as never } };
  };
  return [await write('a.tfvars', 'a = 1 # kept\n', 'a = 2 # kept\n', { a: 2 }), await write('b.tfvars', 'b = "x"\n', 'b = "y"\n', { b: 'y' })];
}

async function contents(names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

const ALL = ['a.tfvars', 'a.tfvars.bak', 'b.tfvars', 'b.tfvars.bak'];

describe('applyWrites', () => {
  it('writes every file, backing each up, and says so', async () => {
    const writes = await twoFiles();
    const outcome = await applyWrites(writes, { isSensitive: notSensitive });
    expect(outcome.status).toBe('written');
    expect(await contents(ALL)).toEqual({ 'a.tfvars': 'a = 2 # kept\n', 'a.tfvars.bak': 'a = 1 # kept\n', 'b.tfvars': 'b = "y"\n', 'b.tfvars.bak': 'b = "x"\n' });
  });

  for (const op of ['rename', 'open'] as const) {
    it(`a failure at the ${op} of the second file leaves both files and both backups as they were`, async () => {
      const writes = await twoFiles();
      const before = await contents(ALL);
      // The second file's temporary copy (".b.tfvars.tfsync-tmp-…"), not its backup.
      const fs = recordingFs((call) => (call.op === op && call.path.includes('.b.tfvars.tfsync-tmp-') ? 'EIO' : undefined));
      await expect(applyWrites(writes, { isSensitive: notSensitive, fs })).rejects.toThrow(/input\/output error \(EIO\); nothing was changed/);
      expect(await contents(ALL)).toEqual(before);
      // The first file was written, then put back: the sweep reached the second file.
      expect(fs.calls.some((c) => c.op === 'rename' && c.path.includes('.a.tfvars.tfsync-tmp-'))).toBe(true);
    });
  }

  it('checks every new text before the first write: a wrong value in the second file writes nothing', async () => {
    const writes = await twoFiles();
    const before = await contents(ALL);
    writes[1] = { ...writes[1]!, after: 'b = "z"\n' };
    await expect(applyWrites(writes, { isSensitive: notSensitive })).rejects.toThrow(/refusing to write b\.tfvars: after the edit, b would be "z" instead of "y"/);
    expect(await contents(ALL)).toEqual(before);
  });

  it('masks a sensitive value in a failed check', async () => {
    const [a] = await twoFiles();
    await expect(applyWrites([{ ...a!, after: 'a = 3\n' }], { isSensitive: (n) => n === 'a' })).rejects.toThrow(/a would be \(sensitive\) instead of \(sensitive\)/);
  });

  it('refuses a file that changed on disk since the plan was made', async () => {
    const writes = await twoFiles();
    await writeFile(join(dir, 'b.tfvars'), 'b = "edited by hand"\n');
    await expect(applyWrites(writes, { isSensitive: notSensitive })).rejects.toThrow(/b\.tfvars changed on disk while the plan was made; nothing was written/);
    expect(await readFile(join(dir, 'a.tfvars'), 'utf8')).toBe('a = 1 # kept\n');
  });

  it('asks decide once the checks pass; a dry run or a declined write writes nothing', async () => {
    for (const decision of ['dry-run', 'declined'] as const) {
      const writes = await twoFiles();
      const before = await contents(ALL);
      const seen: string[] = [];
      const outcome = await applyWrites(writes, { isSensitive: notSensitive, decide: (pending) => (seen.push(...pending.map((w) => w.file)), decision) });
      expect(outcome.status).toBe(decision);
      expect(seen).toEqual(['a.tfvars', 'b.tfvars']);
      expect(await contents(ALL)).toEqual(before);
    }
  });

  it('skips writes that change nothing, and reports "unchanged" when none does', async () => {
    const [a] = await twoFiles();
    const outcome = await applyWrites([{ ...a!, after: a!.before!, check: { kind: 'values', json: false, expected: new Map([['a', 1]]) } }], {
      isSensitive: notSensitive,
    });
    expect(outcome).toEqual({ status: 'unchanged', pending: [] });
    expect(await readFile(join(dir, 'a.tfvars.bak'), 'utf8')).toBe('# earlier backup of a.tfvars\n');
  });

  it('verbatim (restore): puts back a backup that parses, and one that does not', async () => {
    const path = join(dir, 'env.tfvars');
    await writeFile(path, 'x = 1\n');
    const restore = (after: string): FileWrite => ({ path, file: 'env.tfvars', before: 'x = 1\n', after, check: { kind: 'verbatim', json: false } });
    expect((await applyWrites([restore('x = 0 # old\n')], { isSensitive: notSensitive })).status).toBe('written');
    expect(await readFile(path, 'utf8')).toBe('x = 0 # old\n');
    await writeFile(path, 'x = 1\n');
    // Broken beyond parsing: what a restore of a restore puts back.
    expect((await applyWrites([restore('x = = broken\n')], { isSensitive: notSensitive })).status).toBe('written');
    expect(await readFile(path, 'utf8')).toBe('x = = broken\n');
  });

  it('config (init): a tfsync.json that does not load is refused before it exists', async () => {
    const path = join(dir, 'tfsync.json');
    const config = (after: string): FileWrite => ({ path, file: 'tfsync.json', before: null, after, check: { kind: 'config' }, createdMarker: false });
    await expect(applyWrites([config('{ "environments": 3 }\n')], { isSensitive: notSensitive })).rejects.toThrow(/tfsync\.json/);
    expect(existsSync(path)).toBe(false);
    expect((await applyWrites([config('{ "environments": "envs/*.tfvars" }\n')], { isSensitive: notSensitive })).status).toBe('written');
    // No "tfsync created this" marker: restore does not handle tfsync.json.
    expect(existsSync(`${path}.bak`)).toBe(false);
  });

  it('deletes a file (restore of one tfsync created), keeping its bytes as the .bak; a failure at the next file puts it back', async () => {
    const [a, b] = await twoFiles();
    const remove: FileWrite = { ...a!, after: null, check: { kind: 'verbatim', json: false } };
    const before = await contents(ALL);
    const fs = recordingFs((call) => (call.op === 'rename' && call.path.includes('.b.tfvars.tfsync-tmp-') ? 'EIO' : undefined));
    await expect(applyWrites([remove, b!], { isSensitive: notSensitive, fs })).rejects.toThrow(/nothing was changed/);
    expect(await contents(ALL)).toEqual(before);
    expect((await applyWrites([remove], { isSensitive: notSensitive })).status).toBe('written');
    expect(existsSync(a!.path)).toBe(false);
    expect(await readFile(`${a!.path}.bak`, 'utf8')).toBe('a = 1 # kept\n');
  });

  it('refuses a path outside the repository before reading or writing anything', async () => {
    const [a] = await twoFiles();
    const inside = { root: join(dir, 'repo'), cwd: dir };
    await expect(applyWrites([a!], { isSensitive: notSensitive, inside })).rejects.toThrow(/refusing to write a\.tfvars: it leads to .*outside the repository/);
    expect(await readFile(a!.path, 'utf8')).toBe('a = 1 # kept\n');
  });
});
