/**
 * The pass backend against the real `pass` and `gpg`: a key made for the test in a temporary
 * GNUPGHOME, a store `pass init`ed in a temporary PASSWORD_STORE_DIR, and round trips both ways
 * (entries the CLI inserted read through the backend; entries the backend wrote read by the CLI).
 * gopass is not in Debian: a stand-in executable on PATH records its argv and stdin, proving the
 * exact invocation and how its exit codes are mapped.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretContext } from '../../src/io/secrets/backend.js';
import { gopassBackend, passBackend } from '../../src/io/secrets/pass-backend.js';
import { readSecret, secretExists } from '../../src/io/secrets/resolve.js';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import { HAS_PASS, makePassStore, type PassStore } from '../helpers/secret-stores.js';

const run = promisify(execFile);
const SLOW = 120_000;

/** Every value planted below contains this; no error message may. */
const MARK = 'Pl4nted';
const ref = parseSecretRef;

async function caught(work: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await work;
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('expected a failure');
}

describe.skipIf(!HAS_PASS)('pass: real round trips with a test GPG key (skipped: pass or gpg is not installed)', () => {
  let store: PassStore;
  let dir: string;
  let env: Record<string, string | undefined>;
  let ctx: SecretContext;

  beforeAll(async () => {
    store = await makePassStore();
    ({ dir, env } = store);
    await store.insert('infra/prod/db', `${MARK}-db-password\nuser: app\nurl: postgres://db.internal/app\n`);
    ctx = { env, root: dir, timeoutMs: 60_000 };
  }, SLOW);

  afterAll(async () => {
    await store?.dispose();
  }, SLOW);

  it('reads the first line of an entry the CLI inserted, and a key: value field of its later lines', async () => {
    expect(await passBackend.read(ref('ref+pass://infra/prod/db'), ctx)).toBe(`${MARK}-db-password`);
    expect(await passBackend.read(ref('ref+pass://infra/prod/db#/user'), ctx)).toBe('app');
    expect(await passBackend.read(ref('ref+pass://infra/prod/db#/url'), ctx)).toBe('postgres://db.internal/app');
  }, SLOW);

  it('is the backend the registry loads for ref+pass:// (through readSecret and secretExists)', async () => {
    expect(await readSecret(ref('ref+pass://infra/prod/db'), ctx)).toBe(`${MARK}-db-password`);
    expect(await secretExists(ref('ref+pass://infra/prod/db'), ctx)).toBe(true);
  }, SLOW);

  it('writes through the backend what `pass show` then prints, the value on stdin', async () => {
    await passBackend.write!(ref('ref+pass://infra/test/api'), `${MARK}-api-token`, ctx);
    expect(await store.show('infra/test/api')).toBe(`${MARK}-api-token\n`);
    await passBackend.write!(ref('ref+pass://infra/test/api'), `${MARK}-api-token-2`, ctx);
    expect(await store.show('infra/test/api')).toBe(`${MARK}-api-token-2\n`);
  }, SLOW);

  it('replaces only the password line of an existing entry, or only its #/key line, keeping the rest', async () => {
    await store.insert('infra/stage/db', `${MARK}-old\nuser: app\nnote: kept as it is\n`);
    await passBackend.write!(ref('ref+pass://infra/stage/db'), `${MARK}-new`, ctx);
    expect(await store.show('infra/stage/db')).toBe(`${MARK}-new\nuser: app\nnote: kept as it is\n`);
    await passBackend.write!(ref('ref+pass://infra/stage/db#/user'), 'admin', ctx);
    await passBackend.write!(ref('ref+pass://infra/stage/db#/token'), `${MARK}-token`, ctx);
    expect(await store.show('infra/stage/db')).toBe(`${MARK}-new\nuser: admin\nnote: kept as it is\ntoken: ${MARK}-token\n`);
    expect(await passBackend.read(ref('ref+pass://infra/stage/db#/token'), ctx)).toBe(`${MARK}-token`);
  }, SLOW);

  it('refuses a value of several lines (pass would read back its first line only) and leaves the entry as it was', async () => {
    const error = await caught(passBackend.write!(ref('ref+pass://infra/prod/db'), `${MARK}-line1\n${MARK}-line2`, ctx));
    expect(error.code).toBe('secret-not-writable');
    expect(error.message).not.toContain(MARK);
    expect(await passBackend.read(ref('ref+pass://infra/prod/db'), ctx)).toBe(`${MARK}-db-password`);
  }, SLOW);

  it('refuses a #/key it cannot write as a field line, or of two levels, before decrypting anything (PATH empty)', async () => {
    const noTools = { ...ctx, env: { ...env, PATH: '' } };
    for (const text of ['ref+pass://infra/prod/db#/a:b', 'ref+pass://infra/prod/db#/%20user', 'ref+pass://infra/prod/db#/db/user']) {
      const error = await caught(passBackend.write!(ref(text), 'v', noTools));
      expect(['secret-not-writable', 'secret-ref-invalid'], text).toContain(error.code);
    }
    expect(await store.show('infra/prod/db')).toBe(`${MARK}-db-password\nuser: app\nurl: postgres://db.internal/app\n`);
  }, SLOW);

  it('says whether an entry exists from its .gpg file, without running pass or gpg (PATH empty)', async () => {
    const noTools = { ...ctx, env: { ...env, PATH: '' } };
    expect(await passBackend.exists!(ref('ref+pass://infra/prod/db'), noTools)).toBe(true);
    expect(await passBackend.exists!(ref('ref+pass://infra/prod/db#/user'), noTools)).toBe(true);
    expect(await passBackend.exists!(ref('ref+pass://infra/prod/nothing'), noTools)).toBe(false);
    expect(await passBackend.exists!(ref('ref+pass://infra'), noTools)).toBe(false);
  });

  it('a missing entry is secret-not-found, naming the reference and no value', async () => {
    const error = await caught(passBackend.read(ref('ref+pass://infra/prod/missing'), ctx));
    expect(error.code).toBe('secret-not-found');
    expect(error.message).toContain('ref+pass://infra/prod/missing');
    expect(error.message).not.toContain(MARK);
    const key = await caught(passBackend.read(ref('ref+pass://infra/prod/db#/password'), ctx));
    expect(key.code).toBe('secret-not-found');
    expect(key.message).toContain('ref+pass://infra/prod/db#/password');
    expect(key.message).not.toContain(MARK);
  }, SLOW);

  it('a folder of the store is not an entry (pass would print its tree with status 0)', async () => {
    const error = await caught(passBackend.read(ref('ref+pass://infra/prod'), ctx));
    expect(error.code).toBe('secret-not-found');
    expect(error.message).toBe('ref+pass://infra/prod: the entry is not in the password store');
  }, SLOW);

  it('a relative PASSWORD_STORE_DIR is taken from the folder of tfsync.json, for exists as for pass itself', async () => {
    const relative = { ...ctx, env: { ...env, PASSWORD_STORE_DIR: 'store' } };
    expect(await passBackend.exists!(ref('ref+pass://infra/prod/db'), relative)).toBe(true);
    expect(await passBackend.read(ref('ref+pass://infra/prod/db'), relative)).toBe(`${MARK}-db-password`);
  }, SLOW);

  it('a GNUPGHOME without the key is secret-access-denied, with a hint and no value', async () => {
    const other = join(dir, 'other-gnupg');
    await mkdir(other, { mode: 0o700 });
    const error = await caught(passBackend.read(ref('ref+pass://infra/prod/db'), { ...ctx, env: { ...env, GNUPGHOME: other } }));
    expect(error.code).toBe('secret-access-denied');
    expect(error.message).toContain('ref+pass://infra/prod/db');
    expect(error.message).toMatch(/no secret key/);
    expect(error.message).not.toContain(MARK);
    await run('gpgconf', ['--kill', 'gpg-agent'], { env: { ...env, GNUPGHOME: other } as NodeJS.ProcessEnv }).catch(() => {});
  }, SLOW);

  it('an uninitialised store is secret-backend-failed, with pass init in the hint', async () => {
    const error = await caught(passBackend.write!(ref('ref+pass://x'), 'v', { ...ctx, env: { ...env, PASSWORD_STORE_DIR: join(dir, 'no-store') } }));
    expect(error.code).toBe('secret-backend-failed');
    expect((error as { hint?: string }).hint).toMatch(/pass init/);
  }, SLOW);

  it('a PATH without pass is secret-backend-missing', async () => {
    const error = await caught(passBackend.read(ref('ref+pass://infra/prod/db'), { ...ctx, env: { ...env, PATH: join(dir, 'empty-bin') } }));
    expect(error.code).toBe('secret-backend-missing');
    expect(error.message).toContain('ref+pass://infra/prod/db');
  });
});

describe('pass: references that are not an entry name are refused before anything runs', () => {
  const ctx: SecretContext = { env: { PATH: '', PASSWORD_STORE_DIR: tmpdir() }, root: tmpdir(), timeoutMs: 5_000 };
  it.each(['ref+pass://../etc/passwd', 'ref+pass://a/../../b', 'ref+pass://-c', 'ref+pass://a//b', 'ref+gopass://./a'])('%s', async (text) => {
    const backend = text.startsWith('ref+gopass') ? gopassBackend : passBackend;
    expect((await caught(backend.read(ref(text), ctx))).code).toBe('secret-ref-invalid');
    expect((await caught(backend.exists!(ref(text), ctx))).code).toBe('secret-ref-invalid');
  });
});

/**
 * A gopass stand-in: records its argv (one argument a line) and its stdin, answers `ls --flat` with
 * a name list, `show` of infra/db with a password or a field, and fails like gopass (exit 10 not
 * found, 11 cannot decrypt) for infra/missing and infra/locked.
 */
const GOPASS_STUB = `#!/bin/sh
: > "$STUB_DIR/argv"
for a in "$@"; do printf '%s\\n' "$a" >> "$STUB_DIR/argv"; done
case "$*" in
  *infra/missing*) echo "Error: entry is not in the password store" >&2; exit 10 ;;
  *infra/locked*) echo "gpg: decryption failed: No secret key" >&2; exit 11 ;;
  *infra/broken*) echo "Error: failed to sync: exit status 128" >&2; exit 1 ;;
esac
case "$1" in
  ls) printf 'infra/db\\ninfra/deeper/entry\\n' ;;
  show) if [ "$3" = "--unsafe" ]; then echo "app"; else echo "${MARK}-gopass-password"; fi ;;
  insert) cat > "$STUB_DIR/stdin" ;;
esac
`;

describe('gopass: through a stand-in executable on PATH that records its argv (gopass is not in Debian)', () => {
  let dir: string;
  let ctx: SecretContext;
  const argv = async () => (await readFile(join(dir, 'argv'), 'utf8')).split('\n').slice(0, -1);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfsync-gopass-'));
    await mkdir(join(dir, 'bin'));
    await writeFile(join(dir, 'bin', 'gopass'), GOPASS_STUB);
    await chmod(join(dir, 'bin', 'gopass'), 0o755);
    ctx = { env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, STUB_DIR: dir }, root: dir, timeoutMs: 60_000 };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the password with `gopass show --nofuzzysearch --password -- PATH`', async () => {
    expect(await readSecret(ref('ref+gopass://infra/db'), ctx)).toBe(`${MARK}-gopass-password`);
    expect(await argv()).toEqual(['show', '--nofuzzysearch', '--password', '--', 'infra/db']);
  }, SLOW);

  it('reads a field with `gopass show --nofuzzysearch --unsafe -- PATH KEY`', async () => {
    expect(await gopassBackend.read(ref('ref+gopass://infra/db#/user'), ctx)).toBe('app');
    expect(await argv()).toEqual(['show', '--nofuzzysearch', '--unsafe', '--', 'infra/db', 'user']);
  }, SLOW);

  it('answers exists from `gopass ls --flat` (names only, nothing decrypted)', async () => {
    expect(await secretExists(ref('ref+gopass://infra/db'), ctx)).toBe(true);
    expect(await argv()).toEqual(['ls', '--flat']);
    expect(await gopassBackend.exists!(ref('ref+gopass://infra/deeper/entry'), ctx)).toBe(true);
    expect(await gopassBackend.exists!(ref('ref+gopass://infra/deeper'), ctx)).toBe(false);
    expect(await gopassBackend.exists!(ref('ref+gopass://infra/d'), ctx)).toBe(false);
  }, SLOW);

  it('writes with `gopass insert --force -- PATH [KEY]`, the value on stdin and never in argv', async () => {
    await gopassBackend.write!(ref('ref+gopass://infra/new'), `${MARK}-written`, ctx);
    expect(await argv()).toEqual(['insert', '--force', '--', 'infra/new']);
    expect(await readFile(join(dir, 'stdin'), 'utf8')).toBe(`${MARK}-written`);
    await gopassBackend.write!(ref('ref+gopass://infra/new#/token'), `${MARK}-field`, ctx);
    expect(await argv()).toEqual(['insert', '--force', '--', 'infra/new', 'token']);
    expect(await readFile(join(dir, 'stdin'), 'utf8')).toBe(`${MARK}-field`);
  }, SLOW);

  it('maps exit 10 to secret-not-found, 11 to secret-access-denied, others to secret-backend-failed, with no value', async () => {
    const missing = await caught(gopassBackend.read(ref('ref+gopass://infra/missing'), ctx));
    expect([missing.code, missing.message]).toEqual(['secret-not-found', 'ref+gopass://infra/missing: gopass exited with status 10 (the entry is not in the store)']);
    const locked = await caught(gopassBackend.read(ref('ref+gopass://infra/locked'), ctx));
    expect(locked.code).toBe('secret-access-denied');
    expect(locked.message).toContain('ref+gopass://infra/locked');
    const broken = await caught(gopassBackend.write!(ref('ref+gopass://infra/broken'), `${MARK}-x`, ctx));
    expect(broken.code).toBe('secret-backend-failed');
    expect(broken.message).toContain('status 1');
    for (const error of [missing, locked, broken]) expect(error.message).not.toContain(MARK);
  }, SLOW);

  it('a PATH without gopass is secret-backend-missing', async () => {
    const error = await caught(gopassBackend.read(ref('ref+gopass://infra/db'), { ...ctx, env: { PATH: join(dir, 'nothing') } }));
    expect(error.code).toBe('secret-backend-missing');
  });
});
