/**
 * The age backend against Debian's `age`: files the CLI encrypted (JSON and dotenv, binary and
 * armored) decrypted through the backend with an identity `age-keygen` made; and the reverse
 * cross-check, a file the npm package encrypted decrypted by `age -d -i`. Identity sources, a wrong
 * identity, a missing file or key, and existence without decryption.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Encrypter, armor, generateHybridIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageBackend } from '../../src/io/secrets/age-backend.js';
import type { SecretContext } from '../../src/io/secrets/backend.js';
import { readSecret, secretExists } from '../../src/io/secrets/resolve.js';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import { HAS_AGE, makeAgeIdentity } from '../helpers/secret-stores.js';

const run = promisify(execFile);
const SLOW = 120_000;
const MARK = 'Pl4nted';
const ref = parseSecretRef;

const JSON_SECRETS = JSON.stringify({ db: { password: `${MARK}-json-db` }, api_key: `${MARK}-json-api`, port: 5432 });
const DOTENV_SECRETS = `# prod secrets
export DB_PASSWORD="${MARK}-env-db"
API_KEY=${MARK}-env-api   # trailing comment
QUOTED='${MARK} single $literal'
MULTI="line one\\nline two"
`;

async function caught(work: Promise<unknown>): Promise<{ code?: string; message: string; hint?: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message: string; hint?: string };
  }
  throw new Error('expected a failure');
}

describe.skipIf(!HAS_AGE)('age: files encrypted by the age CLI, decrypted by the backend (skipped: age is not installed)', () => {
  let dir: string;
  let identityFile: string;
  let identityKey: string;
  let recipient: string;
  let ctx: SecretContext;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfsync-age-'));
    const identity = await makeAgeIdentity(dir, 'id.txt');
    ({ file: identityFile, key: identityKey, recipient } = identity);
    await identity.encryptWithCli(join(dir, 'prod.json.age'), JSON_SECRETS);
    await identity.encryptWithCli(join(dir, 'prod.env.age'), DOTENV_SECRETS, true);
    await identity.encryptWithCli(join(dir, 'token.age'), `  ${MARK}-whole-token\n`);
    await run('age-keygen', ['-o', join(dir, 'other.txt')]);
    ctx = { env: { TFSYNC_AGE_IDENTITY: identityFile }, root: dir, timeoutMs: 60_000 };
  }, SLOW);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads #/key paths of a binary-encrypted JSON object (strings as they are, others as JSON)', async () => {
    expect(await ageBackend.read(ref('ref+age://prod.json.age#/db/password'), ctx)).toBe(`${MARK}-json-db`);
    expect(await ageBackend.read(ref('ref+age://prod.json.age#/api_key'), ctx)).toBe(`${MARK}-json-api`);
    expect(await ageBackend.read(ref('ref+age://prod.json.age#/port'), ctx)).toBe('5432');
    expect(JSON.parse(await ageBackend.read(ref('ref+age://prod.json.age#/db'), ctx))).toEqual({ password: `${MARK}-json-db` });
  }, SLOW);

  it('reads the variables of an armored dotenv file (export, quotes, escapes, comments)', async () => {
    expect(await ageBackend.read(ref('ref+age://prod.env.age#/DB_PASSWORD'), ctx)).toBe(`${MARK}-env-db`);
    expect(await ageBackend.read(ref('ref+age://prod.env.age#/API_KEY'), ctx)).toBe(`${MARK}-env-api`);
    expect(await ageBackend.read(ref('ref+age://prod.env.age#/QUOTED'), ctx)).toBe(`${MARK} single $literal`);
    expect(await ageBackend.read(ref('ref+age://prod.env.age#/MULTI'), ctx)).toBe('line one\nline two');
  }, SLOW);

  it('without #/key, the whole plaintext, trimmed', async () => {
    expect(await ageBackend.read(ref('ref+age://token.age'), ctx)).toBe(`${MARK}-whole-token`);
  }, SLOW);

  it('is the backend the registry loads for ref+age:// (through readSecret)', async () => {
    expect(await readSecret(ref('ref+age://prod.json.age#/api_key'), ctx)).toBe(`${MARK}-json-api`);
  }, SLOW);

  it('takes the identity as a key in TFSYNC_AGE_IDENTITY, or from SOPS_AGE_KEY_FILE, the first set winning', async () => {
    const read = (env: Record<string, string>) => ageBackend.read(ref('ref+age://prod.env.age#/API_KEY'), { ...ctx, env });
    expect(await read({ TFSYNC_AGE_IDENTITY: identityKey })).toBe(`${MARK}-env-api`);
    expect(await read({ SOPS_AGE_KEY_FILE: identityFile })).toBe(`${MARK}-env-api`);
    expect(await read({ SOPS_AGE_KEY: identityKey })).toBe(`${MARK}-env-api`);
    expect(await read({ TFSYNC_AGE_IDENTITY: identityFile, SOPS_AGE_KEY_FILE: join(dir, 'other.txt') })).toBe(`${MARK}-env-api`);
    expect((await caught(read({ TFSYNC_AGE_IDENTITY: join(dir, 'other.txt'), SOPS_AGE_KEY_FILE: identityFile }))).code).toBe('secret-access-denied');
  }, SLOW);

  it('takes a post-quantum identity (AGE-SECRET-KEY-PQ-1...) too, one of several in an identity file', async () => {
    const pq = await generateHybridIdentity();
    const encrypter = new Encrypter();
    encrypter.addRecipient(await identityToRecipient(pq));
    await writeFile(join(dir, 'pq.json.age'), await encrypter.encrypt(JSON_SECRETS));
    await writeFile(join(dir, 'keys.txt'), `# created: today\n${identityKey}\n\n# the post-quantum one\n${pq}\n`);
    expect(await ageBackend.read(ref('ref+age://pq.json.age#/api_key'), { ...ctx, env: { TFSYNC_AGE_IDENTITY: pq } })).toBe(`${MARK}-json-api`);
    expect(await ageBackend.read(ref('ref+age://pq.json.age#/api_key'), { ...ctx, env: { TFSYNC_AGE_IDENTITY: join(dir, 'keys.txt') } })).toBe(`${MARK}-json-api`);
    expect(await ageBackend.read(ref('ref+age://prod.json.age#/api_key'), { ...ctx, env: { TFSYNC_AGE_IDENTITY: join(dir, 'keys.txt') } })).toBe(`${MARK}-json-api`);
  }, SLOW);

  it('no identity at all is secret-access-denied, the hint naming TFSYNC_AGE_IDENTITY', async () => {
    const error = await caught(ageBackend.read(ref('ref+age://prod.env.age#/API_KEY'), { ...ctx, env: {} }));
    expect(error.code).toBe('secret-access-denied');
    expect(error.message).toContain('ref+age://prod.env.age#/API_KEY');
    expect(error.hint).toContain('TFSYNC_AGE_IDENTITY');
  });

  it('a wrong identity is secret-access-denied; an unreadable identity file or a malformed key too, and none quotes a key', async () => {
    const other = await readFile(join(dir, 'other.txt'), 'utf8');
    const otherKey = other.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
    const cases = [{ TFSYNC_AGE_IDENTITY: join(dir, 'other.txt') }, { TFSYNC_AGE_IDENTITY: join(dir, 'no-such-id.txt') }, { TFSYNC_AGE_IDENTITY: 'AGE-SECRET-KEY-1NOTAKEY' }];
    for (const env of cases) {
      const error = await caught(ageBackend.read(ref('ref+age://prod.json.age#/api_key'), { ...ctx, env }));
      expect(error.code, JSON.stringify(env)).toBe('secret-access-denied');
      for (const text of [error.message, error.hint ?? '']) {
        expect(text).not.toContain(MARK);
        expect(text).not.toContain(otherKey);
        expect(text).not.toContain(identityKey);
      }
    }
  }, SLOW);

  it('a missing file or key is secret-not-found, naming the reference and no value', async () => {
    const file = await caught(ageBackend.read(ref('ref+age://missing.age#/x'), ctx));
    expect([file.code, file.message]).toEqual(['secret-not-found', 'ref+age://missing.age#/x: the file does not exist']);
    const key = await caught(ageBackend.read(ref('ref+age://prod.env.age#/NOPE'), ctx));
    expect(key.code).toBe('secret-not-found');
    expect(key.message).toContain('ref+age://prod.env.age#/NOPE');
    expect(key.message).not.toContain(MARK);
  }, SLOW);

  it('a file that is not age-encrypted is secret-backend-failed, without its contents', async () => {
    await writeFile(join(dir, 'plain.env'), `API_KEY=${MARK}-plain\n`);
    const error = await caught(ageBackend.read(ref('ref+age://plain.env#/API_KEY'), ctx));
    expect(error.code).toBe('secret-backend-failed');
    expect(error.message).not.toContain(MARK);
  });

  it('a folder or a FIFO is secret-backend-failed, not a read that never ends', async () => {
    await run('mkfifo', [join(dir, 'fifo.age')]);
    for (const text of ['ref+age://.', 'ref+age://fifo.age#/x']) {
      expect((await caught(ageBackend.read(ref(text), ctx))).code, text).toBe('secret-backend-failed');
    }
  });

  it('exists: the file, asked with no identity (nothing decrypted); with #/key, cannot tell (undefined) unless the file is missing', async () => {
    const none = { ...ctx, env: {} };
    expect(await ageBackend.exists!(ref('ref+age://token.age'), none)).toBe(true);
    expect(await ageBackend.exists!(ref('ref+age://missing.age'), none)).toBe(false);
    expect(await ageBackend.exists!(ref('ref+age://prod.env.age#/API_KEY'), none)).toBeUndefined();
    expect(await ageBackend.exists!(ref('ref+age://missing.age#/API_KEY'), none)).toBe(false);
    expect(await secretExists(ref('ref+age://prod.env.age#/API_KEY'), none)).toBeUndefined();
  });

  it('cannot write (the caller says secret-not-writable)', () => {
    expect(ageBackend.write).toBeUndefined();
  });

  it('cross-check: a file the npm package encrypted (binary and armored) is decrypted by `age -d -i`', async () => {
    const encrypter = new Encrypter();
    encrypter.addRecipient(recipient);
    const binary = await encrypter.encrypt(JSON_SECRETS);
    await writeFile(join(dir, 'npm.json.age'), binary);
    await writeFile(join(dir, 'npm.json.asc'), armor.encode(binary));
    expect((await run('age', ['-d', '-i', identityFile, join(dir, 'npm.json.age')])).stdout).toBe(JSON_SECRETS);
    expect((await run('age', ['-d', '-i', identityFile, join(dir, 'npm.json.asc')])).stdout).toBe(JSON_SECRETS);
    // And the backend reads both the same.
    expect(await ageBackend.read(ref('ref+age://npm.json.asc#/db/password'), ctx)).toBe(`${MARK}-json-db`);
  }, SLOW);
});
