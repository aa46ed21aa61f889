/**
 * `promote`/`backport` with secrets: a syncable sensitive variable with references in both
 * environments is copied from SRC's store to DST's (a real `pass` store), listed in the plan as
 * same/differs, confirmed with the files; --dry-run asks existence and never reads a value (a
 * stand-in store fails the test if read() is called); a failed copy writes no file; a store tfsync
 * cannot write gets the step to do by hand, never the value.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretError, type SecretBackend } from '../../src/io/secrets/backend.js';
import { standInBackend } from '../../src/io/secrets/resolve.js';
import { run, tempFolder } from '../helpers/cli.js';
import { GitRepo } from '../helpers/git-repo.js';
import { HAS_PASS, makePassStore, type PassStore } from '../helpers/secret-stores.js';

const temp = tempFolder('tfsync-promote-secrets-');
const SLOW = 120_000;

const DEV_DB = 'dev-db-Pl4nted-value-1';
const PROD_DB = 'prod-db-Pl4nted-value-2';
const DEV_API = 'dev-api-Pl4nted-value-3';

function repo(name: string) {
  return temp.fixture(name, {
    'tfsync.json': JSON.stringify({
      variables: 'variables.tf',
      syncable: ['image', 'db_password', 'api_token'],
      environmentSpecific: ['domain'],
      secrets: { db_password: 'ref+pass://infra/{env}/db', api_token: { dev: 'ref+pass://infra/dev/api', prod: 'ref+envsubst://$PROD_API' } },
    }),
    'variables.tf': 'variable "image" {}\n\nvariable "domain" {}\n\nvariable "db_password" {\n  sensitive = true\n}\n\nvariable "api_token" {\n  sensitive = true\n}\n',
    'environments/shared-features.tfvars': 'image = "v1"\n',
    'environments/dev/terraform.tfvars': 'domain = "dev"\nimage = "v2"\n',
    'environments/prod/terraform.tfvars': 'domain = "prod"\nimage = "v1"\n',
  });
}

/** Every file under `dir`, with its text: for "no value in any file (.bak included)". */
async function allText(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  return (await Promise.all(files.map((f) => readFile(f, 'utf8')))).join('\n');
}

afterEach(() => standInBackend('pass'));

describe('promote --dry-run with secrets reads existence only', () => {
  it('lists the copy and the step by hand, and never calls read()', async () => {
    const calls: string[] = [];
    standInBackend('pass', {
      name: 'pass',
      read: () => expect.fail('--dry-run must never read a value'),
      exists: async (ref) => (calls.push(`exists ${ref.path}`), true),
      write: () => expect.fail('--dry-run must never write'),
    } satisfies SecretBackend);
    const dir = await repo('dry-run');
    const { code, out, err } = await run(['promote', 'dev', 'prod', '--dry-run', '--detailed-exitcode'], { cwd: dir });
    expect(err).toContain('dry run; nothing written');
    expect(code).toBe(2);
    expect(out).toContain('Secrets\n');
    expect(out).toContain('  ~ secret db_password: copy from ref+pass://infra/dev/db to ref+pass://infra/prod/db (not compared: --dry-run reads no value)\n');
    expect(out).toContain(
      "  ! secret api_token: tfsync cannot write ref+envsubst://$PROD_API; by hand: set the environment variable PROD_API to the value of ref+pass://infra/dev/api where prod's commands run (missing in prod)\n",
    );
    expect(calls.sort()).toEqual(['exists infra/dev/api', 'exists infra/dev/db', 'exists infra/prod/db']);
    const json = JSON.parse((await run(['promote', 'dev', 'prod', '--dry-run', '--json'], { cwd: dir })).out);
    expect(json.secrets).toEqual([
      { variable: 'api_token', from: 'ref+pass://infra/dev/api', to: 'ref+envsubst://$PROD_API', state: 'missing-in-target', action: 'manual', copied: false },
      { variable: 'db_password', from: 'ref+pass://infra/dev/db', to: 'ref+pass://infra/prod/db', state: 'not-compared', action: 'copy', copied: false },
    ]);
  });

  it('a secret copy is confirmed like a file: without a terminal and without --yes nothing is copied', async () => {
    const dir = await temp.fixture('no-terminal', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['db_password'], secrets: { db_password: 'ref+pass://infra/{env}/db' } }),
      'variables.tf': 'variable "db_password" {\n  sensitive = true\n}\n',
      'environments/dev/terraform.tfvars': '\n',
      'environments/prod/terraform.tfvars': '\n',
    });
    // Only a secret differs: no file changes, and still nothing happens unconfirmed.
    standInBackend('pass', { name: 'pass', read: async (ref) => `value-of-${ref.path}`, exists: async () => true, write: () => expect.fail('not confirmed') } satisfies SecretBackend);
    const { code, err } = await run(['promote', 'dev', 'prod', '--no-shared'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('refusing to write without a terminal');
  });

  it('copies a secret a key-path entry gives a value inside the variable', async () => {
    const written: string[] = [];
    standInBackend('pass', {
      name: 'pass',
      read: async (ref) => `value-of-${ref.path}`,
      exists: async () => true,
      write: async (ref) => void written.push(ref.path),
    } satisfies SecretBackend);
    const dir = await temp.fixture('key-path', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['databases'], secrets: { 'databases.main.password': 'ref+pass://db/{env}' } }),
      'variables.tf': 'variable "databases" {}\n',
      'environments/dev/terraform.tfvars': 'databases = { main = { host = "a" } }\n',
      'environments/prod/terraform.tfvars': 'databases = { main = { host = "a" } }\n',
    });
    const { code, out } = await run(['promote', 'dev', 'prod', '--yes', '--no-shared'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toContain('~ secret databases.main.password: copy from ref+pass://db/dev to ref+pass://db/prod (differs)');
    expect(written).toEqual(['db/prod']);
  });

  it('a copy that fails stops the promotion before any file is written, naming the copy and the code', async () => {
    standInBackend('pass', {
      name: 'pass',
      read: async (ref) => `value-of-${ref.path}`,
      exists: async () => true,
      write: async (ref) => {
        throw new SecretError(ref, 'secret-access-denied', 'gpg: encryption failed: permission denied');
      },
    } satisfies SecretBackend);
    const dir = await repo('copy-fails');
    const before = await readFile(join(dir, 'environments/prod/terraform.tfvars'), 'utf8');
    const { code, err } = await run(['promote', 'dev', 'prod', '--yes'], { cwd: dir, env: { PROD_API: 'x' } });
    expect(code).toBe(1);
    expect(err).toContain('1 secret copy failed, so no file was written: db_password: ref+pass://infra/prod/db:');
    expect(err).toContain('secret-access-denied');
    expect(await readFile(join(dir, 'environments/prod/terraform.tfvars'), 'utf8')).toBe(before);
    expect(err).not.toContain('value-of-');
  });
});

describe.skipIf(!HAS_PASS)('promote copies secrets between real pass stores (skipped: pass or gpg is not installed)', () => {
  let store: PassStore;
  /** What the commands need of the store: its keyring and its folder (and PATH, for pass and gpg). */
  let storeEnv: Record<string, string | undefined>;
  const show = async (entry: string) => (await store.show(entry)).replace(/\n$/, '');
  beforeAll(async () => {
    store = await makePassStore();
    storeEnv = { PATH: process.env.PATH, HOME: store.dir, GNUPGHOME: store.env.GNUPGHOME, PASSWORD_STORE_DIR: store.env.PASSWORD_STORE_DIR };
    await store.insert('infra/dev/db', `${DEV_DB}\n`);
    await store.insert('infra/prod/db', `${PROD_DB}\n`);
    await store.insert('infra/dev/api', `${DEV_API}\n`);
  }, SLOW);
  afterAll(() => store?.dispose(), SLOW);

  it('copies a secret that differs (secrets first, then the files), then finds it the same and copies nothing', async () => {
    const dir = await repo('real');
    const env = { ...storeEnv, PROD_API: DEV_API };
    const first = await run(['promote', 'dev', 'prod', '--yes'], { cwd: dir, env });
    expect(first.code).toBe(0);
    expect(first.out).toContain('~ secret db_password: copy from ref+pass://infra/dev/db to ref+pass://infra/prod/db (differs)');
    expect(first.err).toContain('promote: copied secret db_password from ref+pass://infra/dev/db to ref+pass://infra/prod/db\n');
    expect(first.err).toContain('wrote environments/prod/terraform.tfvars');
    expect(await show('infra/prod/db')).toBe(DEV_DB);

    const again = await run(['promote', 'dev', 'prod', '--yes', '--json'], { cwd: dir, env });
    expect(again.code).toBe(0);
    const doc = JSON.parse(again.out);
    expect(doc.secrets.find((s: { variable: string }) => s.variable === 'db_password')).toEqual({
      variable: 'db_password', from: 'ref+pass://infra/dev/db', to: 'ref+pass://infra/prod/db', state: 'same', action: 'none', copied: false,
    });
    // envsubst cannot be written: by hand, and already the same here.
    expect(doc.secrets.find((s: { variable: string }) => s.variable === 'api_token')).toMatchObject({ state: 'same', action: 'none' });
    for (const text of [first.out, first.err, again.out, again.err, await allText(dir)]) {
      for (const value of [DEV_DB, PROD_DB, DEV_API]) expect(text).not.toContain(value);
    }
  }, SLOW);

  it('creates the secret where DST has none (backport, the other direction)', async () => {
    const dir = await repo('create');
    await rm(join(store.env.PASSWORD_STORE_DIR!, 'infra/prod/db.gpg'), { force: true });
    const { code, out } = await run(['backport', 'dev', 'prod', '--yes', '--var', 'db_password'], { cwd: dir, env: storeEnv });
    expect(code).toBe(0);
    expect(out).toContain('(missing in prod)');
    expect(await show('infra/prod/db')).toBe(DEV_DB);
  }, SLOW);
});

describe('promote --branch and secrets', () => {
  it('copies no secret on a branch (a proposal), lists none in its plan, and says which to copy once merged', async () => {
    standInBackend('pass', {
      name: 'pass',
      read: () => expect.fail('a branch reads no secret'),
      exists: () => expect.fail('a branch asks no store'),
      write: () => expect.fail('a branch copies no secret'),
    } satisfies SecretBackend);
    const r = await GitRepo.of();
    const config = JSON.parse(await readFile(join(r.dir, 'tfsync.json'), 'utf8'));
    await writeFile(join(r.dir, 'tfsync.json'), JSON.stringify({ ...config, syncable: [...config.syncable, 'signing_key'], secrets: { signing_key: 'ref+pass://infra/{env}/signing' } }));
    await writeFile(join(r.dir, 'variables.tf'), `${await readFile(join(r.dir, 'variables.tf'), 'utf8')}\nvariable "signing_key" {\n  sensitive = true\n}\n`);
    await r.commitAll('a secret');
    try {
      const { code, out, err } = await r.run(['promote', 'test', 'prod', '--branch']);
      expect(code, err).toBe(0);
      expect(err).toContain('tfsync: warning: secrets are not copied on a branch (signing_key): once it is merged, `tfsync promote test prod` copies them');
      expect(out).not.toContain('secret signing_key');
    } finally {
      await r.remove();
    }
  }, SLOW);
});
