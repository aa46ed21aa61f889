/**
 * `tfsync diff A B` and secrets: whether two environments hold the same secret, by HMAC under a
 * key made fresh for each run; reads in parallel; a store failure is a status, never a crash; no
 * value and no whole fingerprint in any output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SecretError, type SecretBackend } from '../../src/io/secrets/backend.js';
import { Fingerprinter } from '../../src/io/secrets/fingerprint.js';
import { standInBackend } from '../../src/io/secrets/resolve.js';
import { chunkOf, isBuilt, MAIN, run, tempFolder, tracedNode } from '../helpers/cli.js';

const temp = tempFolder('tfsync-diff-secrets-');

const DECLARATIONS = ['db_password', 'api_token', 'signing_key', 'plain_secret'].map((name) => `variable "${name}" {\n  sensitive = true\n}\n`).join('\n') + 'variable "domain" {}\n';

const SECRETS = {
  DB_dev: 'db-value-shared-by-both',
  DB_prod: 'db-value-shared-by-both',
  TOKEN_dev: 'token-value-dev-only-1',
  TOKEN_prod: 'token-value-prod-only-2',
  KEY_dev: 'key-value-only-in-dev-3',
};

function repo(name: string) {
  return temp.fixture(name, {
    'tfsync.json': JSON.stringify({
      variables: 'variables.tf',
      syncable: ['db_password', 'api_token', 'signing_key', 'plain_secret'],
      environmentSpecific: ['domain'],
      secrets: { db_password: 'ref+envsubst://$DB_{env}', api_token: 'ref+envsubst://$TOKEN_{env}', signing_key: 'ref+envsubst://$KEY_{env}', plain_secret: { prod: 'ref+envsubst://$PLAIN' } },
    }),
    'variables.tf': DECLARATIONS,
    'environments/dev/terraform.tfvars': 'domain = "dev"\nplain_secret = "file-value-4"\n',
    'environments/prod/terraform.tfvars': 'domain = "prod"\n',
  });
}

afterEach(() => standInBackend('envsubst'));

describe('diff compares secrets by a keyed fingerprint', () => {
  it('says same, differs or missing in ENV per sensitive variable with a reference, in text and JSON, without a value', async () => {
    const dir = await repo('basic');
    const env = { ...SECRETS, PLAIN: 'file-value-4' };
    const text = await run(['diff', 'dev', 'prod'], { cwd: dir, env });
    expect(text.code).toBe(0);
    expect(text.out).toContain(
      [
        'Secrets (4 variables)  compared by a keyed fingerprint made for this run; values are never shown',
        '  api_token     (sensitive)  differs',
        '  db_password   (sensitive)  same',
        // dev's value is its file's, prod's the store's: the same text.
        '  plain_secret  (sensitive)  same',
        '  signing_key   (sensitive)  missing in prod',
      ].join('\n'),
    );
    expect(text.out).toContain("2 syncable secrets differ; `tfsync promote dev prod` copies them where prod's store can be written.\n");
    expect(text.out).not.toContain('are in step');
    const json = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.out).secrets).toEqual([
      { variable: 'api_token', status: 'differs' },
      { variable: 'db_password', status: 'same' },
      { variable: 'plain_secret', status: 'same' },
      { variable: 'signing_key', status: 'missing', missingIn: ['prod'] },
    ]);
    const markdown = await run(['diff', 'dev', 'prod', '--format', 'markdown'], { cwd: dir, env });
    expect(markdown.out).toContain('| `signing_key` | missing in `prod` |');
    // Syncable secrets that differ are differences for --detailed-exitcode.
    expect((await run(['diff', 'dev', 'prod', '--detailed-exitcode'], { cwd: dir, env })).code).toBe(2);
    for (const out of [text, json, markdown]) for (const value of Object.values(env)) expect(out.out + out.err).not.toContain(value);
  });

  it('a store failure is status "error" with its code for that variable; the rest are still compared', async () => {
    standInBackend('envsubst', {
      name: 'envsubst',
      read: async (ref) => {
        if (ref.path.startsWith('$TOKEN')) throw new SecretError(ref, 'secret-access-denied', 'AccessDeniedException');
        return ref.path.startsWith('$DB') ? 'same-db' : `other-${ref.path}`;
      },
    } satisfies SecretBackend);
    const dir = await repo('error');
    const { code, out } = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir });
    expect(code).toBe(0);
    const secrets = JSON.parse(out).secrets;
    expect(secrets).toContainEqual({ variable: 'api_token', status: 'error', code: 'secret-access-denied' });
    expect(secrets).toContainEqual({ variable: 'db_password', status: 'same' });
  });

  it('reads every secret at once: a store that answers only when all seven reads have started still answers', async () => {
    let started = 0;
    let release: () => void = () => {};
    const all = new Promise<void>((resolve) => (release = resolve));
    standInBackend('envsubst', {
      name: 'envsubst',
      read: async (ref) => {
        // Sequential reads would wait here forever (until the timeout turns them into errors).
        if (++started === 7) release();
        await all;
        return ref.path;
      },
    } satisfies SecretBackend);
    const dir = await repo('parallel');
    const { out } = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir, env: { TFSYNC_SECRET_TIMEOUT_MS: '20000' } });
    expect(JSON.parse(out).secrets.map((s: { status: string }) => s.status)).toEqual(['differs', 'differs', 'differs', 'differs']);
    expect(started).toBe(7);
  });

  it('a reference on a key path is compared as its own line: the file\'s value at the path, else the secret', async () => {
    const dir = await temp.fixture('key-path', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['databases'], secrets: { 'databases.main.password': 'ref+envsubst://$DBP_{env}' } }),
      'variables.tf': 'variable "databases" {}\n',
      'environments/dev/terraform.tfvars': 'databases = { main = { host = "a" } }\n',
      'environments/prod/terraform.tfvars': 'databases = { main = { host = "a", password = "in-a-file-5" } }\n',
    });
    const same = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir, env: { DBP_dev: 'in-a-file-5', DBP_prod: 'ignored: the file wins' } });
    expect(JSON.parse(same.out).secrets).toEqual([{ variable: 'databases.main.password', status: 'same' }]);
    const differs = await run(['diff', 'dev', 'prod'], { cwd: dir, env: { DBP_dev: 'other-6' } });
    expect(differs.out).toContain('  databases.main.password  (sensitive)  differs\n');
    expect(differs.out + same.out).not.toMatch(/other-6|ignored: the file wins/);
  });

  it('a fingerprint is keyed by the run: the same value gives another HMAC in another run', () => {
    const [a, b] = [new Fingerprinter(), new Fingerprinter()];
    expect(a.hmac('same value')).toBe(a.hmac('same value'));
    expect(a.hmac('same value')).not.toBe(b.hmac('same value'));
    expect(a.hmac('same value')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a diff without references reads no store and shows no Secrets section', async () => {
    standInBackend('envsubst', { name: 'envsubst', read: () => expect.fail('no reference, no read') });
    const dir = await temp.fixture('none', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['db_password'], environmentSpecific: ['domain'] }),
      'variables.tf': DECLARATIONS,
      'environments/dev/terraform.tfvars': 'domain = "dev"\n',
      'environments/prod/terraform.tfvars': 'domain = "prod"\n',
    });
    const { out } = await run(['diff', 'dev', 'prod'], { cwd: dir });
    expect(out).not.toContain('Secrets');
    expect(JSON.parse((await run(['diff', 'dev', 'prod', '--json'], { cwd: dir })).out)).not.toHaveProperty('secrets');
  });
});

/** A command that resolves no secret keeps its start-up: no store code is loaded (the built CLI, traced). */
describe('the built CLI loads secret stores only for references', () => {
  const built = isBuilt('cli/main.js');
  const traced = (args: string[], cwd?: string, env: Record<string, string> = {}) => tracedNode(args, { ...(cwd ? { cwd } : {}), env: { FORCE_COLOR: undefined, ...env } });

  it.skipIf(!built)('diff and check on the demo (no references) load neither the resolver nor a backend (skipped until built)', async () => {
    for (const argv of [['diff', 'englacial', 'prod'], ['check', 'prod']]) {
      const { modules, status } = await traced([MAIN, ...argv]);
      expect(status).not.toBeNull();
      for (const source of ['src/io/secrets/resolve.ts', 'src/io/secrets/fingerprint.ts', 'src/io/secrets/envsubst-backend.ts']) expect(modules).not.toContain(chunkOf(source));
    }
  }, 60_000);

  it.skipIf(!built)('diff with a reference loads them (the trace would see it) (skipped until built)', async () => {
    const dir = await repo('traced');
    const { modules, stdout } = await traced([MAIN, 'diff', 'dev', 'prod'], dir, SECRETS);
    expect(stdout).toContain('Secrets (4 variables)');
    expect(modules).toContain(chunkOf('src/io/secrets/fingerprint.ts'));
  }, 60_000);
});
