import { TfsyncError } from '../errors.js';
import { lineEnding } from '../hcl/line-ending.js';
import { errorCode, fsErrorReason, nodeFileSystem, type FileSystem } from './file-system.js';

/** The facts about a file's bytes that an in-place edit must keep. */
export interface DecodedText {
  /** The text, without the BOM. */
  text: string;
  /** The file starts with a UTF-8 byte order mark. */
  bom: boolean;
  /** The dominant line ending; inserted lines take it. */
  eol: '\n' | '\r\n';
  /** The text ends with a line ending. */
  finalNewline: boolean;
}

export interface TextFile extends DecodedText {
  path: string;
  /** Permission bits (`stat.mode & 0o7777`), to give the rewritten file and its backup. */
  mode: number;
  /** The bytes as read, for the backup and for the "changed on disk since" check. */
  bytes: Buffer;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const GIT_CRYPT_MAGIC = Buffer.from('\0GITCRYPT', 'latin1');

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/**
 * Decodes a file's bytes as UTF-8, or refuses with an error that says what the file is instead.
 * Pure, so every refusal can be tested without files.
 */
export function decodeText(bytes: Uint8Array, path: string): DecodedText {
  refuseNonUtf8Formats(bytes, path);
  const bom = UTF8_BOM.every((b, i) => bytes[i] === b);
  const body = bom ? bytes.subarray(3) : bytes;
  // Byte positions in messages count from the start of the file, as `xxd` and `cmp` show them.
  const skipped = bom ? 3 : 0;
  refuseNul(body, path, skipped);
  let text: string;
  try {
    text = strictDecoder.decode(body);
  } catch {
    throw invalidUtf8(body, path, skipped);
  }
  return { text, bom, eol: lineEnding(text), finalNewline: text.endsWith('\n') };
}

/** The bytes to write for a text: UTF-8, with the BOM put back if the file had one. */
export function encodeText(text: string, bom: boolean): Buffer {
  const body = Buffer.from(text, 'utf8');
  return bom ? Buffer.concat([Buffer.from(UTF8_BOM), body]) : body;
}

/**
 * The largest file tfsync reads by default. Real variables files are kilobytes (a thousand
 * variables is 40 KB), but generated `.tfvars.json` files of tens of megabytes exist and Terraform
 * reads them; past this a file is most likely a wrong path, and reading it costs seconds and a
 * syntax tree of some tens of bytes per input byte (docs/performance.md, the large-file row).
 */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** The environment variable that changes the limit: a whole number of bytes. */
export const MAX_FILE_SIZE_VARIABLE = 'TFSYNC_MAX_FILE_SIZE';

/**
 * The limit in force. One per process, set by the CLI's entry (runCli) from its environment before
 * any file is read, so that the many readers need not each be handed it.
 */
let maxFileBytes = DEFAULT_MAX_FILE_BYTES;

/** The limit readTextFile applies now. */
export function fileSizeLimit(): number {
  return maxFileBytes;
}

/**
 * Sets the limit from `TFSYNC_MAX_FILE_SIZE` in `env` (unset or empty: the default). A value that
 * is not a positive whole number of bytes is an error, not silently the default: a typo must not
 * turn a limit the user asked for into another.
 */
export function setFileSizeLimit(env: Readonly<Record<string, string | undefined>>): void {
  maxFileBytes = parseFileSizeLimit(env[MAX_FILE_SIZE_VARIABLE]);
}

export function parseFileSizeLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_MAX_FILE_BYTES;
  const text = value.trim();
  const bytes = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TfsyncError(`${MAX_FILE_SIZE_VARIABLE}=${JSON.stringify(value)} is not a size in bytes`, { code: 'usage',
      hint: `give a positive whole number of bytes, e.g. ${MAX_FILE_SIZE_VARIABLE}=${256 * 1024 * 1024} for 256 MiB (the default is ${DEFAULT_MAX_FILE_BYTES}, 64 MiB)`,
    });
  }
  return bytes;
}

export async function readTextFile(path: string, fs: FileSystem = nodeFileSystem): Promise<TextFile> {
  const limit = maxFileBytes;
  let bytes: Buffer;
  let mode: number;
  try {
    const stats = await fs.stat(path);
    if (stats.size > limit) throw tooLarge(path, stats.size, limit);
    // A FIFO or a device would block the read (for ever, with nothing to write into it).
    if (!stats.isFile() && !stats.isDirectory()) throw new TfsyncError(`cannot read ${path}: not a regular file (a FIFO, a socket or a device)`, { code: 'file-unreadable' });
    mode = stats.mode & 0o7777;
    bytes = await fs.readFile(path);
  } catch (err) {
    if (err instanceof TfsyncError) throw err;
    throw readError(path, err);
  }
  // It may have grown between the stat and the read.
  if (bytes.length > limit) throw tooLarge(path, bytes.length, limit);
  return { path, ...decodeText(bytes, path), mode, bytes };
}

function tooLarge(path: string, size: number, limit: number): TfsyncError {
  return new TfsyncError(`${path} is ${mib(size)} (${size} bytes); tfsync reads files of up to ${mib(limit)} (${limit} bytes)`, {
    code: 'file-too-large',
    hint: `check the path (and "environments" or "variables" in tfsync.json); to read larger files, set ${MAX_FILE_SIZE_VARIABLE} to a size in bytes`,
  });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function readError(path: string, err: unknown): TfsyncError {
  if (errorCode(err) === 'ENOENT') return new TfsyncError(`${path}: no such file`, { code: 'file-not-found' });
  return new TfsyncError(`cannot read ${path}: ${fsErrorReason(err)}`, { code: 'file-unreadable' });
}

/** A file encrypted with git-crypt: a layer may treat it as set-but-unknown rather than fail. */
export class EncryptedFileError extends TfsyncError {}

/** Encodings recognisable from the first bytes, refused before they are mistaken for binary. */
function refuseNonUtf8Formats(bytes: Uint8Array, path: string): void {
  if (GIT_CRYPT_MAGIC.every((b, i) => bytes[i] === b)) {
    throw new EncryptedFileError(`${path}: encrypted with git-crypt; unlock it first`, {
      hint: 'run `git-crypt unlock` in the repository, then try again',
    });
  }
  const le = bytes[0] === 0xff && bytes[1] === 0xfe;
  const be = bytes[0] === 0xfe && bytes[1] === 0xff;
  if (le || be) {
    throw new TfsyncError(`${path}: UTF-16 ${le ? 'LE' : 'BE'}; tfsync reads UTF-8`, { code: 'file-not-utf8',
      hint: `convert it, e.g. \`iconv -f UTF-16 -t UTF-8 ${path}\` (Terraform reads UTF-8 too)`,
    });
  }
}

function refuseNul(body: Uint8Array, path: string, skipped: number): void {
  const nul = body.indexOf(0);
  if (nul < 0) return;
  const message = `binary file (NUL byte at byte ${skipped + nul}); tfsync reads UTF-8 text`;
  const hint = 'if this is text in another encoding (UTF-16 without a BOM, say), convert it to UTF-8';
  // A text file with one stray NUL deserves an excerpt; a real binary file (bad UTF-8 before the
  // NUL) does not: its "line" would be noise.
  if (firstInvalidUtf8(body.subarray(0, nul)) >= 0) throw new TfsyncError(`${path}: ${message}`, { code: 'file-not-utf8', hint });
  throw new TfsyncError(message, { code: 'file-not-utf8', hint, location: byteLocation(body, nul, path) });
}

function invalidUtf8(body: Uint8Array, path: string, skipped: number): TfsyncError {
  const bad = firstInvalidUtf8(body);
  const byte = body[bad] ?? 0;
  return new TfsyncError(`invalid UTF-8 (byte 0x${byte.toString(16).padStart(2, '0')} at byte ${skipped + bad}); tfsync reads UTF-8`, { code: 'file-not-utf8',
    hint: 'the file may be Latin-1 or Windows-1252; convert it, e.g. `iconv -f WINDOWS-1252 -t UTF-8`',
    location: byteLocation(body, bad, path),
  });
}

/**
 * Where byte `at` falls in the text an editor would show: the bytes before it are valid UTF-8, so
 * their decoded length is its offset, and lenient decoding shows the bad byte as U+FFFD.
 */
function byteLocation(body: Uint8Array, at: number, path: string) {
  const start = lenientDecoder.decode(body.subarray(0, at)).length;
  return { file: path, text: lenientDecoder.decode(body), range: { start, end: start + 1 } };
}

/**
 * Index of the first byte that does not start a well-formed UTF-8 sequence, or -1. Follows the
 * WHATWG decoder's table (no overlongs, no surrogates, nothing past U+10FFFF), so it agrees with
 * the fatal TextDecoder about what is invalid.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const [length, low, high] = sequenceShape(b);
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [low, high] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return -1;
}

/** Sequence length for a lead byte and the allowed range of its second byte; length 0: invalid. */
function sequenceShape(lead: number): [number, number, number] {
  if (lead >= 0xc2 && lead <= 0xdf) return [2, 0x80, 0xbf];
  if (lead === 0xe0) return [3, 0xa0, 0xbf];
  if (lead === 0xed) return [3, 0x80, 0x9f];
  if (lead >= 0xe1 && lead <= 0xef) return [3, 0x80, 0xbf];
  if (lead === 0xf0) return [4, 0x90, 0xbf];
  if (lead >= 0xf1 && lead <= 0xf3) return [4, 0x80, 0xbf];
  if (lead === 0xf4) return [4, 0x80, 0x8f];
  return [0, 0, 0];
}

