/**
 * `tfsync check` with secrets: a sensitive variable Terraform needs must have a reference whose
 * secret exists; a store that cannot be asked is an error per reference, not a crash; check asks
 * for existence and never reads a value; a sensitive value in a tracked file is a warning
 * (--strict: exit 1) naming file:line and never the value.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretError, type SecretBackend } from '../../src/io/secrets/backend.js';
import { standInBackend } from '../../src/io/secrets/resolve.js';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-check-secrets-');

const DECLARATIONS = [
  'variable "image" {\n  default = "v1"\n}',
  'variable "db_password" {\n  sensitive = true\n}',
  'variable "api_token" {\n  sensitive = true\n}',
  'variable "domain" {}',
].join('\n\n') + '\n';

const PLANTED = 'plain-text-value-never-shown';

function repo(name: string, secrets: Record<string, unknown>, files: Record<string, string> = {}) {
  return temp.fixture(name, {
    'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['image'], environmentSpecific: ['domain', 'db_password', 'api_token'], secrets }),
    'variables.tf': DECLARATIONS,
    'environments/shared-features.tfvars': 'image = "v1"\n',
    'environments/dev/terraform.tfvars': 'domain = "dev"\n',
    'environments/prod/terraform.tfvars': 'domain = "prod"\n',
    ...files,
  });
}

afterEach(() => standInBackend('envsubst'));

describe('check: every sensitive variable Terraform needs has a reference that exists', () => {
  it('is in step when each reference exists, and says so in JSON without a value', async () => {
    const dir = await repo('ok', { db_password: 'ref+envsubst://$DB_{env}', api_token: 'ref+envsubst://$API_TOKEN' });
    const env = { DB_dev: 'dev-db-secret-1', DB_prod: 'prod-db-secret-2', API_TOKEN: 'token-secret-3' };
    const text = await run(['check'], { cwd: dir, env });
    expect(text.code).toBe(0);
    const json = await run(['check', '--json'], { cwd: dir, env });
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.out);
    expect(doc.secrets).toEqual([
      { environment: 'dev', variable: 'api_token', reference: 'ref+envsubst://$API_TOKEN', status: 'ok' },
      { environment: 'dev', variable: 'db_password', reference: 'ref+envsubst://$DB_dev', status: 'ok' },
      { environment: 'prod', variable: 'api_token', reference: 'ref+envsubst://$API_TOKEN', status: 'ok' },
      { environment: 'prod', variable: 'db_password', reference: 'ref+envsubst://$DB_prod', status: 'ok' },
    ]);
    // A reference supplies the required variable: it is not "missing" any more.
    expect(doc.environments.every((e: { missing: unknown[] }) => e.missing.length === 0)).toBe(true);
    for (const value of Object.values(env)) expect(text.out + text.err + json.out + json.err).not.toContain(value);
  });

  it('a missing reference or a missing secret is drift (exit 2), named with the environment and the reference', async () => {
    const dir = await repo('missing', { db_password: { prod: 'ref+envsubst://$PROD_DB' }, api_token: 'ref+envsubst://$API_TOKEN' });
    const env = { API_TOKEN: 'token-secret-4' };
    const { code, out } = await run(['check'], { cwd: dir, env });
    expect(code).toBe(2);
    expect(out).toMatch(/^dev {2}environments\/dev\/terraform\.tfvars \(1 secret missing\)\n {2}db_password {2}no reference: .*has no reference for dev {2}\(declared at variables\.tf:5\)$/m);
    expect(out).toMatch(/^prod {2}environments\/prod\/terraform\.tfvars \(1 secret missing\)\n {2}db_password {2}secret missing: its secret is not in the store: ref\+envsubst:\/\/\$PROD_DB/m);
    expect(out).toContain('2 of 2 environments are out of step: 2 secrets missing.');

    const json = JSON.parse((await run(['check', '--json'], { cwd: dir, env })).out);
    expect(json.inStep).toBe(false);
    expect(json.secrets.filter((s: { status: string }) => s.status !== 'ok')).toEqual([
      { environment: 'dev', variable: 'db_password', reference: null, status: 'missing-reference' },
      { environment: 'prod', variable: 'db_password', reference: 'ref+envsubst://$PROD_DB', status: 'missing' },
    ]);

    const github = await run(['check'], { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true' } });
    expect(github.out).toContain('::error file=variables.tf,line=5,title=Secret missing in prod%3A db_password::prod: db_password: its secret is not in the store: ref+envsubst://$PROD_DB.');
    const markdown = await run(['check', '--format', 'markdown'], { cwd: dir, env });
    expect(markdown.out).toContain('| `db_password` | _secret missing_ |');
  });

  it('a store that cannot be asked is status "error" with its code for that reference, and exit 1 after the whole report', async () => {
    standInBackend('envsubst', {
      name: 'envsubst',
      read: () => expect.fail('check must never read a value'),
      exists: async (ref) => {
        if (ref.path === '$DENIED') throw new SecretError(ref, 'secret-access-denied', 'AccessDeniedException: not allowed');
        return true;
      },
    } satisfies SecretBackend);
    const dir = await repo('error', { db_password: { dev: 'ref+envsubst://$DENIED', prod: 'ref+envsubst://$FINE' }, api_token: 'ref+envsubst://$FINE' });
    const { code, out } = await run(['check'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toContain('Could not check 1 secret:\n  dev  db_password  ref+envsubst://$DENIED  (secret-access-denied)\n');
    const json = await run(['check', '--json'], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).secrets).toContainEqual({ environment: 'dev', variable: 'db_password', reference: 'ref+envsubst://$DENIED', status: 'error', code: 'secret-access-denied' });
  });

  it('a store that cannot tell without the value is "not checked", which passes', async () => {
    standInBackend('envsubst', { name: 'envsubst', read: () => expect.fail('check must never read a value') });
    const dir = await repo('not-checked', { db_password: 'ref+envsubst://$X', api_token: 'ref+envsubst://$Y' });
    const { code, out } = await run(['check', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out).secrets.map((s: { status: string }) => s.status)).toEqual(['not-checked', 'not-checked', 'not-checked', 'not-checked']);
  });

  it('a variable a file sets, or with a default, needs no reference; without "secrets" check says what it always did', async () => {
    const dir = await repo('set-in-file', { api_token: 'ref+envsubst://$API_TOKEN' }, {
      'environments/dev/terraform.tfvars': 'domain = "dev"\ndb_password = "from-a-file"\n',
      'environments/prod/terraform.tfvars': 'domain = "prod"\ndb_password = "from-a-file"\n',
    });
    const json = JSON.parse((await run(['check', '--json'], { cwd: dir, env: { API_TOKEN: 't' } })).out);
    expect(json.secrets.map((s: { variable: string }) => s.variable)).toEqual(['api_token', 'api_token']);
    const none = await repo('no-secrets', {});
    const plain = await run(['check', '--json'], { cwd: none });
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.out).secrets).toEqual([]);
  });
});

describe('check with references on key paths', () => {
  it('a reference inside a required variable supplies it (exec builds its value); a required one without is reported once', async () => {
    const dir = await temp.fixture('key-path', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['databases', 'token'], secrets: { 'databases.main.password': 'ref+envsubst://$DBP_{env}' } }),
      'variables.tf': 'variable "databases" {\n  sensitive = true\n}\n\nvariable "token" {\n  sensitive = true\n}\n',
      'environments/dev/terraform.tfvars': '\n',
    });
    const { code, out } = await run(['check', '--json'], { cwd: dir, env: { DBP_dev: 'x' } });
    const doc = JSON.parse(out);
    expect(doc.secrets).toEqual([
      { environment: 'dev', variable: 'databases.main.password', reference: 'ref+envsubst://$DBP_dev', status: 'ok' },
      { environment: 'dev', variable: 'token', reference: null, status: 'missing-reference' },
    ]);
    // Both are secret findings: neither is reported as `missing` too.
    expect(doc.environments[0].missing).toEqual([]);
    expect(code).toBe(2);
  });
});

describe('check with secrets across stacks (general form)', () => {
  it('fills {stack} and {env}, asks only where the variable is declared, and names the stack', async () => {
    const files = LAYOUTS['commonPlusStack']!;
    const config = JSON.parse(files['tfsync.json']!);
    const dir = await temp.fixture('stacks', { ...files, 'tfsync.json': JSON.stringify({ ...config, secrets: { db_password: 'ref+envsubst://$DB_{stack}_{env}' } }) });
    const { out, err } = await run(['check', '--json'], { cwd: dir, env: { DB_api_dev: 'a', DB_api_prod: 'b' } });
    const doc = JSON.parse(out);
    expect(doc.secrets).toEqual([
      { environment: 'dev', stack: 'api', variable: 'db_password', reference: 'ref+envsubst://$DB_api_dev', status: 'ok' },
      { environment: 'prod', stack: 'api', variable: 'db_password', reference: 'ref+envsubst://$DB_api_prod', status: 'ok' },
      { environment: 'staging', stack: 'api', variable: 'db_password', reference: 'ref+envsubst://$DB_api_staging', status: 'missing' },
    ]);
    // The fixture writes db_password in dev's and prod's api.tfvars: outside git, every file counts.
    expect(doc.plaintext).toEqual([
      { variable: 'db_password', file: 'terraform/variables/dev/api.tfvars', line: 4, severity: 'warning' },
      { variable: 'db_password', file: 'terraform/variables/prod/api.tfvars', line: 2, severity: 'warning' },
    ]);
    expect(err).not.toMatch(/dev-secret|prod-secret/);
    const text = await run(['check'], { cwd: dir, env: { DB_api_dev: 'a', DB_api_prod: 'b' } });
    expect(text.out).toMatch(/^stack api: staging .*\n(?: .*\n)* {2}db_password +secret missing: its secret is not in the store: ref\+envsubst:\/\/\$DB_api_staging/m);
  });
});

describe('check: sensitive values in plain text in tracked files', () => {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, { cwd, env: { PATH: process.env.PATH, HOME: cwd, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });

  it('warns with file:line for a tracked file, not for an untracked one, never with the value; --strict exits 1', async () => {
    const dir = await repo('plaintext', { db_password: 'ref+envsubst://$DB', api_token: 'ref+envsubst://$TOKEN' }, {
      'environments/dev/terraform.tfvars': `domain = "dev"\n\ndb_password = "${PLANTED}"\n`,
      'environments/prod/terraform.tfvars': `domain = "prod"\n`,
      'environments/local/terraform.tfvars': `domain = "local"\napi_token = "${PLANTED}-local"\n`,
    });
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', 'tfsync.json', 'variables.tf', 'environments/shared-features.tfvars', 'environments/dev', 'environments/prod');
    git(dir, 'commit', '-qm', 'fixture');
    const env = { DB: 'x', TOKEN: 'y' };
    const { code, out, err } = await run(['check'], { cwd: dir, env });
    expect(code).toBe(0);
    expect(err).toBe('tfsync: warning: environments/dev/terraform.tfvars:3: db_password is sensitive and its value is written in plain text in a tracked file; keep it in a secret store and reference it under "secrets" in tfsync.json\n');
    const json = await run(['check', '--json'], { cwd: dir, env });
    expect(JSON.parse(json.out).plaintext).toEqual([{ variable: 'db_password', file: 'environments/dev/terraform.tfvars', line: 3, severity: 'warning' }]);
    const strict = await run(['check', '--strict', '--format', 'github'], { cwd: dir, env: { ...env, GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'summary.md') } });
    expect(strict.code).toBe(1);
    const strictText = await run(['check', '--strict'], { cwd: dir, env });
    expect(strictText.code).toBe(1);
    expect(strictText.err).toContain('environments/dev/terraform.tfvars:3: db_password is sensitive and its value is written in plain text in a tracked file (an error under --strict);');
    expect(strict.out).toContain('::error file=environments/dev/terraform.tfvars,line=3,title=Sensitive value in plain text%3A db_password::');
    for (const text of [out, err, json.out, strict.out, strict.err, strictText.out, strictText.err]) expect(text).not.toContain(PLANTED);
  }, 60_000);

  it('with a key-path "sensitive" entry, names each leaf it covers at its own line; null and "" are no value', async () => {
    const dir = await temp.fixture('leaves', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', environmentSpecific: ['databases', 'token'], sensitive: ['databases.*.password', 'token'] }),
      'variables.tf': 'variable "databases" {}\n\nvariable "token" {\n  default = null\n}\n',
      'environments/dev/terraform.tfvars': `databases = {\n  api = {\n    host     = "db"\n    password = "${PLANTED}"\n  }\n  web = {\n    password = ""\n  }\n}\ntoken = null\n`,
    });
    const { out } = await run(['check', '--json'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: temp.dir } });
    expect(JSON.parse(out).plaintext).toEqual([{ variable: 'databases.api.password', file: 'environments/dev/terraform.tfvars', line: 4, severity: 'warning' }]);
    expect(out).not.toContain(PLANTED);
  });

  it('outside a git work tree every file tfsync reads counts as tracked', async () => {
    const dir = await repo('no-git', { db_password: 'ref+envsubst://$DB', api_token: 'ref+envsubst://$TOKEN' }, {
      'environments/prod/terraform.tfvars': `domain = "prod"\napi_token = "${PLANTED}"\n`,
    });
    const { err } = await run(['check'], { cwd: dir, env: { DB: 'x', TOKEN: 'y', GIT_CEILING_DIRECTORIES: temp.dir } });
    expect(err).toContain('environments/prod/terraform.tfvars:2: api_token is sensitive');
    expect(err).not.toContain(PLANTED);
  });
});
