import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { decodeText, encodeText, firstInvalidUtf8, readTextFile } from '../../src/io/read-text.js';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));

function refusal(input: Uint8Array): TfsyncError {
  try {
    decodeText(input, 'env/prod.tfvars');
  } catch (err) {
    expect(err).toBeInstanceOf(TfsyncError);
    return err as TfsyncError;
  }
  throw new Error('expected decodeText to refuse');
}

describe('decodeText refusals', () => {
  it('refuses a file with a NUL byte, pointing at it when the rest is text', () => {
    const err = refusal(bytes('a = 1\nb = "x', [0], 'y"\n'));
    expect(err.message).toMatch(/binary file/);
    expect(err.message).toContain('byte 12');
    expect(err.location?.file).toBe('env/prod.tfvars');
    expect(err.location?.range.start).toBe(12);
    expect(err.location?.text.slice(6, 12)).toBe('b = "x');
  });

  it('refuses real binary data without an excerpt of it', () => {
    const err = refusal(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0, 0, 0, 0x0d]));
    expect(err.message).toBe('env/prod.tfvars: binary file (NUL byte at byte 8); tfsync reads UTF-8 text');
    expect(err.location).toBeUndefined();
  });

  it('refuses git-crypt files before calling them binary', () => {
    const err = refusal(bytes([0], 'GITCRYPT', [0, 1, 2, 0xff]));
    expect(err.message).toBe('env/prod.tfvars: encrypted with git-crypt; unlock it first');
    expect(err.hint).toMatch(/git-crypt unlock/);
  });

  it.each([
    ['LE', [0xff, 0xfe, 0x61, 0x00, 0x3d, 0x00]],
    ['BE', [0xfe, 0xff, 0x00, 0x61, 0x00, 0x3d]],
  ])('refuses UTF-16 %s by its BOM', (order, data) => {
    const err = refusal(Buffer.from(data));
    expect(err.message).toBe(`env/prod.tfvars: UTF-16 ${order}; tfsync reads UTF-8`);
  });

  it('refuses invalid UTF-8 at the first bad byte (Latin-1 é)', () => {
    const err = refusal(bytes('name = "caf', [0xe9], '"\n'));
    expect(err.message).toMatch(/invalid UTF-8 \(byte 0xe9 at byte 11\)/);
    expect(err.location?.range).toEqual({ start: 11, end: 12 });
    expect(err.location?.text).toBe('name = "caf\uFFFD"\n');
  });

  it('locates invalid UTF-8 after multi-byte characters and a BOM in text offsets', () => {
    const err = refusal(bytes([0xef, 0xbb, 0xbf], 'x = "é€😀', [0xc0, 0xaf], '"'));
    // é is 2 bytes, € 3, 😀 4: the bad byte is at file byte 3 + 5 + 9 = 17; in the text (no
    // BOM) the emoji counts 2 UTF-16 units, so the offset is 5 + 1 + 1 + 2 = 9.
    expect(err.message).toContain('at byte 17');
    expect(err.location?.range.start).toBe(9);
  });

  it.each([
    ['overlong', [0xc0, 0x80]],
    ['surrogate', [0xed, 0xa0, 0x80]],
    ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['truncated', [0xe2, 0x82]],
    ['lone continuation', [0x80]],
  ])('refuses %s sequences', (_name, data) => {
    expect(refusal(bytes('ok', data)).message).toMatch(/invalid UTF-8/);
  });
});

describe('firstInvalidUtf8', () => {
  it('agrees with the fatal TextDecoder on arbitrary bytes', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (data) => {
        const bad = firstInvalidUtf8(data);
        let valid = true;
        try {
          fatal.decode(data);
        } catch {
          valid = false;
        }
        expect(bad < 0).toBe(valid);
        if (bad >= 0) expect(() => fatal.decode(data.subarray(0, bad))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('decodeText detection', () => {
  it('strips and remembers a UTF-8 BOM', () => {
    const decoded = decodeText(bytes([0xef, 0xbb, 0xbf], 'a = 1\n'), 'f');
    expect(decoded).toEqual({ text: 'a = 1\n', bom: true, eol: '\n', finalNewline: true });
  });

  it.each([
    ['a = 1\r\nb = 2\r\n', '\r\n', true],
    ['a = 1\r\nb = 2\nc = 3\r\n', '\r\n', true],
    ['a = 1\r\nb = 2\nc = 3\nd = 4', '\n', false],
    ['a = 1\r\nb = 2\n', '\n', true], // a tie keeps LF
    ['a = 1', '\n', false],
    ['', '\n', false],
    ['a = 1\r\nb = 2', '\r\n', false],
  ])('%j: eol %j, finalNewline %s', (text, eol, finalNewline) => {
    const decoded = decodeText(Buffer.from(text), 'f');
    expect(decoded.eol).toBe(eol);
    expect(decoded.finalNewline).toBe(finalNewline);
    expect(decoded.bom).toBe(false);
    expect(decoded.text).toBe(text);
  });

  it('round-trips through encodeText byte for byte', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.boolean(), (text, bom) => {
        const clean = text.replace(/\0/g, '');
        const encoded = encodeText(clean, bom);
        const decoded = decodeText(encoded, 'f');
        expect(decoded.text).toBe(clean);
        expect(decoded.bom).toBe(bom);
        expect(encodeText(decoded.text, decoded.bom).equals(encoded)).toBe(true);
      }),
    );
  });
});

describe('readTextFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfsync-read-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads text, bytes and mode', async () => {
    const path = join(dir, 'terraform.tfvars');
    await writeFile(path, '\uFEFFa = 1\r\n');
    await chmod(path, 0o640);
    const file = await readTextFile(path);
    expect(file).toMatchObject({ path, text: 'a = 1\r\n', bom: true, eol: '\r\n', finalNewline: true, mode: 0o640 });
    expect(file.bytes.equals(Buffer.from('\uFEFFa = 1\r\n'))).toBe(true);
  });

  it('reads through a symbolic link', async () => {
    const real = join(dir, 'real.tfvars');
    await writeFile(real, 'x = 1\n');
    await symlink(real, join(dir, 'link.tfvars'));
    expect((await readTextFile(join(dir, 'link.tfvars'))).text).toBe('x = 1\n');
  });

  it('says "no such file" with the path', async () => {
    const path = join(dir, 'missing.tfvars');
    await expect(readTextFile(path)).rejects.toThrow(new TfsyncError(`${path}: no such file`, { code: 'file-not-found' }));
  });

  it('names other read failures', async () => {
    await expect(readTextFile(dir)).rejects.toThrow(/cannot read .*: is a directory \(EISDIR\)/);
    await expect(readTextFile(dir)).rejects.toMatchObject({ code: 'file-unreadable' });
  });

  it.skipIf(process.platform === 'win32')('refuses a FIFO before reading it, which would block for ever (no mkfifo on Windows)', async () => {
    const fifo = join(dir, 'prod.tfvars');
    execFileSync('mkfifo', [fifo]);
    await expect(readTextFile(fifo)).rejects.toMatchObject({ code: 'file-unreadable', message: expect.stringContaining('not a regular file') });
  });
});
