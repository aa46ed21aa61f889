/**
 * `ref+file://PATH[#/key]`: the whole file (one trailing newline dropped) or a field of it as JSON
 * or dotenv, relative to tfsync.json's folder or absolute; exists() without reading the value
 * (the file, when there is no key; "cannot tell" with one); failures with the reference and no value.
 */
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TfsyncError } from '../../src/errors.js';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import { fileBackend } from '../../src/io/secrets/file-backend.js';
import { loadBackend } from '../../src/io/secrets/registry.js';
import { readSecret, secretContext, secretExists } from '../../src/io/secrets/resolve.js';

let root = '';
const ctx = () => secretContext({}, root);
const read = (text: string) => readSecret(parseSecretRef(text), ctx());
const failure = (text: string) => read(text).then(() => { throw new Error(`${text} was read`); }, (e: unknown) => e as TfsyncError);

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'tfsync-file-backend-'));
  await mkdir(join(root, 'secrets'));
  await writeFile(join(root, 'secrets/db'), 'S3CRET-db\n');
  await writeFile(join(root, 'secrets/crlf'), 'S3CRET-crlf\r\n');
  await writeFile(join(root, 'secrets/two-lines'), 'line one\nline two\n\n');
  await writeFile(join(root, 'secrets/prod.json'), JSON.stringify({ db: { password: 'S3CRET-json', port: 5432 }, api_key: 'S3CRET-api' }));
  await writeFile(join(root, 'secrets/prod.env'), '# prod\nexport DB_PASSWORD="S3CRET-env"\nAPI_KEY=S3CRET-plain # a comment\n');
  await writeFile(join(root, 'secrets/broken.json'), '{ "db": "S3CRET-broken", }');
  await writeFile(join(root, 'secrets/neither'), 'S3CRET-neither\nnot a dotenv line\n');
  await writeFile(join(root, 'secrets/empty.json'), '{}');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('file backend: read', () => {
  it('is what the registry loads for ref+file', async () => {
    expect(await loadBackend('file')).toBe(fileBackend);
  });

  it('reads the whole file, dropping one trailing newline (LF or CRLF) and nothing else', async () => {
    expect(await read('ref+file://secrets/db')).toBe('S3CRET-db');
    expect(await read('ref+file://secrets/crlf')).toBe('S3CRET-crlf');
    expect(await read('ref+file://secrets/two-lines')).toBe('line one\nline two\n');
  });

  it('reads a path relative to the folder of tfsync.json, or an absolute one', async () => {
    expect(await read(`ref+file://${join(root, 'secrets/db')}`)).toBe('S3CRET-db');
    expect(await readSecret(parseSecretRef('ref+file://../secrets/db'), secretContext({}, join(root, 'secrets')))).toBe('S3CRET-db');
  });

  it('picks #/key from a JSON object: strings as they are, other values as JSON', async () => {
    expect(await read('ref+file://secrets/prod.json#/api_key')).toBe('S3CRET-api');
    expect(await read('ref+file://secrets/prod.json#/db/password')).toBe('S3CRET-json');
    expect(await read('ref+file://secrets/prod.json#/db/port')).toBe('5432');
  });

  it('picks #/KEY from a dotenv file (export, quotes and comments as dotenv readers take them)', async () => {
    expect(await read('ref+file://secrets/prod.env#/DB_PASSWORD')).toBe('S3CRET-env');
    expect(await read('ref+file://secrets/prod.env#/API_KEY')).toBe('S3CRET-plain');
  });

  it('a missing file is secret-not-found with the reference and a hint where paths start', async () => {
    const error = await failure('ref+file://secrets/nope');
    expect(error.code).toBe('secret-not-found');
    expect(error.message).toBe('ref+file://secrets/nope: the file does not exist');
    expect(error.hint).toContain('relative to the folder of tfsync.json');
  });

  it('a missing key is secret-not-found naming the key', async () => {
    const error = await failure('ref+file://secrets/prod.json#/db/user');
    expect(error.code).toBe('secret-not-found');
    expect(error.message).toBe('ref+file://secrets/prod.json#/db/user: the secret has no key #/db/user');
  });

  it('a file that is neither JSON nor dotenv, or broken JSON, fails without quoting it', async () => {
    const broken = await failure('ref+file://secrets/broken.json#/db');
    expect(broken.code).toBe('secret-backend-failed');
    expect(broken.message).toBe('ref+file://secrets/broken.json#/db: the file starts like JSON but is not valid JSON');
    const neither = await failure('ref+file://secrets/neither#/X');
    expect(neither.code).toBe('secret-backend-failed');
    expect(neither.message).not.toContain('S3CRET');
    expect(neither.message).toContain('neither a JSON object nor a dotenv file');
  });

  it('a folder is a failure with the system\'s code', async () => {
    const error = await failure('ref+file://secrets');
    expect(error.code).toBe('secret-backend-failed');
    expect(error.message).toBe('ref+file://secrets: the file cannot be read (EISDIR)');
  });

  it.skipIf(process.platform === 'win32')('a FIFO is refused before a read that would never end (no mkfifo on Windows)', async () => {
    execFileSync('mkfifo', [join(root, 'secrets/fifo')]);
    const error = await failure('ref+file://secrets/fifo');
    expect(error.code).toBe('secret-backend-failed');
    expect(error.message).toContain('not a regular file');
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file is secret-access-denied (skipped as root, who reads anything)', async () => {
    await writeFile(join(root, 'secrets/locked'), 'S3CRET-locked');
    await chmod(join(root, 'secrets/locked'), 0o000);
    const error = await failure('ref+file://secrets/locked');
    expect(error.code).toBe('secret-access-denied');
    expect(error.message).toBe('ref+file://secrets/locked: the file cannot be read (EACCES)');
  });

  it('has no write: the file belongs to whatever puts it there', () => {
    expect(fileBackend.write).toBeUndefined();
  });
});

describe('file backend: exists', () => {
  const exists = (text: string) => secretExists(parseSecretRef(text), ctx());

  it('without a key: whether the file exists (a folder is not a secret)', async () => {
    expect(await exists('ref+file://secrets/db')).toBe(true);
    expect(await exists('ref+file://secrets/nope')).toBe(false);
    expect(await exists('ref+file://secrets/db/below')).toBe(false);
    expect(await exists('ref+file://secrets')).toBe(false);
  });

  it('with a key: a missing file is missing, a present one "cannot tell" (the key is in the value)', async () => {
    expect(await exists('ref+file://secrets/nope.json#/a')).toBe(false);
    expect(await exists('ref+file://secrets/empty.json#/a')).toBeUndefined();
    expect(await exists('ref+file://secrets/prod.json#/api_key')).toBeUndefined();
  });

  it('follows a symlink to the file, as reading does', async () => {
    await symlink(join(root, 'secrets/db'), join(root, 'secrets/link'));
    expect(await exists('ref+file://secrets/link')).toBe(true);
    expect(await read('ref+file://secrets/link')).toBe('S3CRET-db');
  });
});
