/**
 * The 1Password (`op`) and SOPS (`sops`) backends with stand-in executables on PATH that record
 * their arguments: the exact invocation each reference makes, the value passed back untouched, the
 * tools' not-found and authentication failures mapped to tfsync's codes, a missing tool reported as
 * secret-backend-missing, and a failure's stderr that echoes a value redacted.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import type { SecretContext } from '../../src/io/secrets/backend.js';
import { readSecret, secretContext, secretExists } from '../../src/io/secrets/resolve.js';
import { StandIn } from '../helpers/stand-in.js';

const SPAWN = 60_000;
let dir: string;
let root: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfsync-standin-'));
  root = join(dir, 'repo');
  await mkdir(root);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ctx(tool: StandIn, env: Record<string, string> = {}): SecretContext {
  return secretContext({ PATH: tool.path(), HOME: dir, ...env }, root);
}
async function failureOf(promise: Promise<unknown>): Promise<{ message: string; options: { code?: string; hint?: string } }> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error) => error,
  );
}
const ref = parseSecretRef;

describe('1Password: op read', () => {
  const VALUE = 'op-field-value-5e21aa';

  it('runs `op read --no-newline op://VAULT/ITEM/FIELD` and returns its stdout as it is', async () => {
    const op = new StandIn(dir, 'op', ['OP_SERVICE_ACCOUNT_TOKEN']);
    await op.answer({ stdout: VALUE });
    expect(await readSecret(ref('ref+op://Infra/prod-db/password'), ctx(op, { OP_SERVICE_ACCOUNT_TOKEN: 'ops_token' }))).toBe(VALUE);
    expect(await readSecret(ref('ref+op://Infra/prod-db/credentials/password'), ctx(op))).toBe(VALUE);
    expect(await readSecret(ref('ref+op://Infra/prod-db/one-time?attribute=otp'), ctx(op))).toBe(VALUE);
    const calls = await op.recorded();
    expect(calls.map((c) => c.argv)).toEqual([
      ['read', '--no-newline', 'op://Infra/prod-db/password'],
      ['read', '--no-newline', 'op://Infra/prod-db/credentials/password'],
      ['read', '--no-newline', 'op://Infra/prod-db/one-time?attribute=otp'],
    ]);
    expect(calls[0]!.env['OP_SERVICE_ACCOUNT_TOKEN']).toBe('ops_token');
  }, SPAWN);

  it("op's \"isn't a vault\" / \"isn't an item\" is secret-not-found; \"not signed in\" is secret-access-denied", async () => {
    const op = new StandIn(dir, 'op');
    await op.answer({ stderr: '[ERROR] 2026/12/04 02:00:00 "Infra" isn\'t a vault in this account. Specify the vault with its ID or name.\n', code: 1 });
    const missing = await failureOf(readSecret(ref('ref+op://Infra/prod-db/password'), ctx(op)));
    expect(missing.options.code).toBe('secret-not-found');
    expect(missing.message).toContain('op exited with status 1');
    await op.answer({ stderr: '[ERROR] 2026/12/04 02:00:00 You are not currently signed in. Please run `op signin --help` for instructions\n', code: 1 });
    expect((await failureOf(readSecret(ref('ref+op://Infra/prod-db/password'), ctx(op)))).options.code).toBe('secret-access-denied');
    await op.answer({ stderr: '[ERROR] 2026/12/04 02:00:00 connection reset by peer\n', code: 6 });
    const other = await failureOf(readSecret(ref('ref+op://Infra/prod-db/password'), ctx(op)));
    expect(other.options.code).toBe('secret-backend-failed');
    expect(other.message).toContain('status 6');
  }, SPAWN);

  it('a failure whose stderr echoes the value is redacted', async () => {
    const op = new StandIn(dir, 'op');
    await op.answer({ stderr: `[ERROR] could not parse field "${VALUE}": value=${VALUE} token ${'Zm9vYmFyYmF6cXV4cXV1eGNvcmdl'}\n`, code: 1 });
    const error = await failureOf(readSecret(ref('ref+op://Infra/prod-db/password'), ctx(op)));
    expect(error.message).not.toContain(VALUE);
    expect(error.message).not.toContain('Zm9vYmFyYmF6cXV4cXV1eGNvcmdl');
  }, SPAWN);

  it('op not installed: secret-backend-missing', async () => {
    const op = new StandIn(dir, 'op');
    const error = await failureOf(readSecret(ref('ref+op://Infra/prod-db/password'), secretContext({ PATH: join(dir, 'empty') }, root)));
    expect(error.options.code).toBe('secret-backend-missing');
    expect(error.message).toContain('op is not installed');
    expect(await op.recorded()).toEqual([]);
  }, SPAWN);

  it('a reference that is not VAULT/ITEM[/SECTION]/FIELD, or has #/key, is refused without running op; existence is "not checked"', async () => {
    const op = new StandIn(dir, 'op');
    await op.answer({ stdout: VALUE });
    for (const text of ['ref+op://Infra/prod-db', 'ref+op://Infra/prod-db/a/b/c', 'ref+op://Infra//password', 'ref+op://Infra/prod-db/password#/x']) {
      expect((await failureOf(readSecret(ref(text), ctx(op)))).options.code, text).toBe('secret-ref-invalid');
    }
    expect(await secretExists(ref('ref+op://Infra/prod-db/password'), ctx(op))).toBeUndefined();
    expect(await op.recorded()).toEqual([]);
  }, SPAWN);
});

describe('SOPS: sops --decrypt --extract', () => {
  const VALUE = 'sops-db-password-c0ffee';

  it("runs `sops --decrypt --extract '[\"db\"][\"password\"]' FILE` with FILE resolved against tfsync.json's folder", async () => {
    const sops = new StandIn(dir, 'sops');
    await sops.answer({ stdout: VALUE });
    expect(await readSecret(ref('ref+sops://secrets/prod.enc.yaml#/db/password'), ctx(sops))).toBe(VALUE);
    expect(await readSecret(ref('ref+sops://secrets/prod.enc.json?format=json#/api_key'), ctx(sops))).toBe(VALUE);
    expect(await readSecret(ref('ref+sops://secrets/prod.enc.env'), ctx(sops))).toBe(VALUE);
    const calls = await sops.recorded();
    expect(calls.map((c) => c.argv)).toEqual([
      ['--decrypt', '--extract', '["db"]["password"]', join(root, 'secrets/prod.enc.yaml')],
      ['--decrypt', '--input-type', 'json', '--extract', '["api_key"]', join(root, 'secrets/prod.enc.json')],
      ['--decrypt', join(root, 'secrets/prod.enc.env')],
    ]);
    expect(calls[0]!.cwd).toBe(root);
  }, SPAWN);

  it('exit 2 (CouldNotReadInputFile) and a component not found are secret-not-found; 128 (CouldNotRetrieveKey) secret-access-denied', async () => {
    const sops = new StandIn(dir, 'sops');
    await sops.answer({ stderr: 'Error reading file: open secrets/x.yaml: no such file or directory\n', code: 2 });
    const file = await failureOf(readSecret(ref('ref+sops://secrets/x.yaml#/a'), ctx(sops)));
    expect(file.options.code).toBe('secret-not-found');
    expect(file.message).toContain('CouldNotReadInputFile');
    await sops.answer({ stderr: 'component ["nope"] not found\n', code: 1 });
    expect((await failureOf(readSecret(ref('ref+sops://secrets/prod.enc.yaml#/nope'), ctx(sops)))).options.code).toBe('secret-not-found');
    await sops.answer({ stderr: 'Failed to get the data key required to decrypt the SOPS file.\n\nGroup 0: FAILED\n', code: 128 });
    const key = await failureOf(readSecret(ref('ref+sops://secrets/prod.enc.yaml#/db/password'), ctx(sops)));
    expect(key.options.code).toBe('secret-access-denied');
    expect(key.message).toContain('CouldNotRetrieveKey');
  }, SPAWN);

  it('a failure whose stderr echoes the value is redacted, and nothing of stdout is kept', async () => {
    const sops = new StandIn(dir, 'sops');
    await sops.answer({ stdout: `password: ${VALUE}\n`, stderr: `Error dumping file: password: ${VALUE} "${VALUE}"\n`, code: 4 });
    const error = await failureOf(readSecret(ref('ref+sops://secrets/prod.enc.yaml#/db'), ctx(sops)));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.message).toContain('status 4');
    expect(error.message).not.toContain(VALUE);
  }, SPAWN);

  it('sops not installed: secret-backend-missing; a bad format or key is refused without running sops', async () => {
    const sops = new StandIn(dir, 'sops');
    await sops.answer({ stdout: VALUE });
    const error = await failureOf(readSecret(ref('ref+sops://secrets/prod.enc.yaml#/a'), secretContext({ PATH: join(dir, 'empty') }, root)));
    expect(error.options.code).toBe('secret-backend-missing');
    expect(error.message).toContain('sops is not installed');
    expect((await failureOf(readSecret(ref('ref+sops://s.yaml?format=toml#/a'), ctx(sops)))).options.code).toBe('secret-ref-invalid');
    expect((await failureOf(readSecret(ref('ref+sops://s.yaml#/a%22b'), ctx(sops)))).options.code).toBe('secret-ref-invalid');
    expect(await secretExists(ref('ref+sops://s.yaml#/a'), ctx(sops))).toBeUndefined();
    expect(await sops.recorded()).toEqual([]);
  }, SPAWN);
});
