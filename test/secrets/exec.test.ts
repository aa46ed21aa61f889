/**
 * `tfsync exec ENV -- COMMAND ARGS...`: the command runs with TF_VAR_<name> for every secret of
 * ENV (envsubst and file references here), a key path's secret put into its variable's value as
 * JSON, and tfsync exits with its exit code (a signal as 128 + n). The child proves what it got by
 * writing a SHA-256 and a length of each variable to a file, never the value; no value reaches
 * tfsync's output. A secret that cannot be read stops the run before the command starts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBuilt, MAIN, run, tempFolder } from '../helpers/cli.js';
import { commonPlusStack } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-exec-');

const DB_PROD = 'S3CRET-prod-db-9f1c';
const DB_TEST = 'S3CRET-test-db-77ab';
const API = 'S3CRET-api-key-4e2d';
const MAIN_PW = 'S3CRET-main-pw-c0de';
const SECRETS = [DB_PROD, DB_TEST, API, MAIN_PW];

const FILES = {
  'tfsync.json': `${JSON.stringify({
    variables: 'variables.tf',
    environments: 'envs/*.tfvars',
    syncable: ['image_tag'],
    environmentSpecific: ['db_password', 'api_key', 'databases'],
    sensitive: ['databases.*.password'],
    secrets: {
      db_password: { '*': 'ref+envsubst://$DB_PASSWORD_{env}', prod: 'ref+file://secrets/prod-db' },
      api_key: 'ref+file://secrets/{env}.json#/api_key',
      'databases.main.password': { prod: 'ref+file://secrets/prod.env#/MAIN_PASSWORD' },
    },
  }, null, 2)}\n`,
  'variables.tf': `variable "image_tag" {
  default = "v1"
}
variable "db_password" {
  sensitive = true
}
variable "api_key" {
  sensitive = true
}
variable "databases" {
  type = map(object({ engine = string, password = optional(string) }))
}
`,
  'envs/prod.tfvars': 'image_tag = "v2"\ndatabases = {\n  main  = { engine = "postgres" }\n  audit = { engine = "mysql" }\n}\n',
  'envs/test.tfvars': 'image_tag = "v3"\ndatabases = {}\n',
  'secrets/prod-db': `${DB_PROD}\n`,
  'secrets/prod.json': JSON.stringify({ api_key: API }),
  'secrets/test.json': JSON.stringify({ api_key: 'S3CRET-test-api' }),
  'secrets/prod.env': `MAIN_PASSWORD=${MAIN_PW}\n`,
};

/** A child that writes {name: {sha256, length}} of every TF_VAR_ it got to the file its argument names; TF_VAR_databases in full (it holds one secret, hashed here too). */
const REPORT = `
const { createHash } = require('node:crypto');
const out = {};
for (const [k, v] of Object.entries(process.env)) if (k.startsWith('TF_VAR_')) out[k] = { sha256: createHash('sha256').update(v).digest('hex'), length: v.length };
const db = process.env.TF_VAR_databases;
if (db) { const parsed = JSON.parse(db); out.databases = { ...parsed, main: { ...parsed.main, password: parsed.main && parsed.main.password !== undefined ? createHash('sha256').update(parsed.main.password).digest('hex') : null } }; }
require('node:fs').writeFileSync(process.argv[1], JSON.stringify(out));
`;

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const seen = (value: string) => ({ sha256: sha(value), length: value.length });

function noSecretIn(...texts: string[]) {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('tfsync exec', () => {
  it('gives the command TF_VAR_ for every secret of the environment, a key path inside its variable, and prints none', async () => {
    const dir = await temp.fixture('prod', FILES);
    const report = join(dir, 'report.json');
    const result = await run(['exec', 'prod', '--', process.execPath, '-e', REPORT, report], { cwd: dir, env: { DB_PASSWORD_test: DB_TEST } });
    expect(result.code, result.err).toBe(0);
    expect(result.out).toBe('');
    const got = JSON.parse(await readFile(report, 'utf8'));
    expect(got.TF_VAR_db_password).toEqual(seen(DB_PROD));
    expect(got.TF_VAR_api_key).toEqual(seen(API));
    // The files' value of databases, with the secret leaf put in; the rest as the files have it.
    expect(got.databases).toEqual({ main: { engine: 'postgres', password: sha(MAIN_PW) }, audit: { engine: 'mysql' } });
    expect(Object.keys(got).sort()).toEqual(['TF_VAR_api_key', 'TF_VAR_databases', 'TF_VAR_db_password', 'databases']);
    // Terraform ranks TF_VAR_ below -var-file: the user is told which file would win, by name.
    expect(result.err).toContain('TF_VAR_databases has the lowest precedence in Terraform: a -var-file with envs/prod.tfvars (line 2 sets databases) wins over it');
    noSecretIn(result.out, result.err);
  });

  it('takes each environment\'s own reference, or "*" with {env} filled in', async () => {
    const dir = await temp.fixture('test-env', FILES);
    const report = join(dir, 'report.json');
    const result = await run(['exec', 'test', '--', process.execPath, '-e', REPORT, report], { cwd: dir, env: { DB_PASSWORD_test: DB_TEST } });
    expect(result.code, result.err).toBe(0);
    const got = JSON.parse(await readFile(report, 'utf8'));
    expect(got.TF_VAR_db_password).toEqual(seen(DB_TEST));
    expect(got.TF_VAR_api_key).toEqual(seen('S3CRET-test-api'));
    // test has no reference for databases.main.password: its variable is left to the files.
    expect(got.TF_VAR_databases).toBeUndefined();
    noSecretIn(result.out, result.err);
  });

  it('passes the arguments after -- word for word, and the rest of the environment', async () => {
    const dir = await temp.fixture('args', FILES);
    const report = join(dir, 'args.json');
    const script = "require('node:fs').writeFileSync(process.argv[1], JSON.stringify({ args: process.argv.slice(2), home: process.env.SOME_SETTING }))";
    const result = await run(['exec', 'prod', '--', process.execPath, '-e', script, report, '--stack', 'x', '$HOME', 'a b', '--json', '010', '0x1'], { cwd: dir, env: { SOME_SETTING: 'kept' } });
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(await readFile(report, 'utf8'))).toEqual({ args: ['--stack', 'x', '$HOME', 'a b', '--json', '010', '0x1'], home: 'kept' });
  });

  it('exits with the command\'s exit code, and 128 + n when a signal ends it', async () => {
    const dir = await temp.fixture('codes', FILES);
    expect((await run(['exec', 'prod', '--', process.execPath, '-e', 'process.exit(3)'], { cwd: dir })).code).toBe(3);
    expect((await run(['exec', 'prod', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGTERM')"], { cwd: dir })).code).toBe(128 + 15);
  });

  it('a secret that cannot be read: exit 1 with the reference and the store\'s code, the command never started', async () => {
    const dir = await temp.fixture('unreadable', FILES);
    const marker = join(dir, 'started');
    const result = await run(['exec', 'test', '--', process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x')`], { cwd: dir, env: {} });
    expect(result.code).toBe(1);
    expect(existsSync(marker)).toBe(false);
    expect(result.err).toMatch(/^tfsync: ref\+envsubst:\/\/\$DB_PASSWORD_test: the environment variable DB_PASSWORD_test is not set/);
    expect(result.out).toBe('');
  });

  it('an unknown environment is the usual error, with a did-you-mean', async () => {
    const dir = await temp.fixture('unknown', FILES);
    const result = await run(['exec', 'prd', '--', process.execPath, '-e', '0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.err).toContain('unknown environment "prd"');
    expect(result.err).toContain('did you mean "prod"?');
  });

  it('refuses a run without a command, and a shared layer', async () => {
    const dir = await temp.fixture('usage', FILES);
    const none = await run(['exec', 'prod', '--'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.err).toContain('exec: name the command to run after --');
    const bare = await run(['exec', 'prod', 'terraform', 'plan'], { cwd: dir });
    expect(bare.code).toBe(1);
    expect(bare.err).toContain('exec: put -- before the command: tfsync exec prod -- terraform plan');
    const shared = await run(['exec', '@shared', '--', process.execPath], { cwd: dir });
    expect(shared.code).toBe(1);
    expect(shared.err).toContain('@shared is a layer environments share');
  });

  it('a command that is not on PATH: command-not-found', async () => {
    const dir = await temp.fixture('missing', FILES);
    const result = await run(['exec', 'prod', '--', 'tfsync-no-such-command-here'], { cwd: dir, env: { PATH: dir } });
    expect(result.code).toBe(1);
    expect(result.err).toContain('exec: tfsync-no-such-command-here: command not found');
    noSecretIn(result.out, result.err);
  });

  it('refuses a reference for a whole variable beside one inside it', async () => {
    const config = JSON.parse(FILES['tfsync.json']);
    config.secrets.databases = 'ref+file://secrets/prod.json';
    const dir = await temp.fixture('both', { ...FILES, 'tfsync.json': JSON.stringify(config) });
    const result = await run(['exec', 'prod', '--', process.execPath, '-e', '0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.err).toContain('secrets: "databases" has a reference for the whole variable and for databases.main.password inside it');
  });

  it('a secret that has nowhere to go in its variable\'s value stops the run before any store is asked', async () => {
    const config = JSON.parse(FILES['tfsync.json']);
    // No such file: had the store been asked, the error would be secret-not-found.
    config.secrets = { 'databases.main.engine.password': { prod: 'ref+file://secrets/none' } };
    const dir = await temp.fixture('placement', { ...FILES, 'tfsync.json': JSON.stringify(config) });
    const result = await run(['exec', 'prod', '--', process.execPath, '-e', '0'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.err).toContain('secrets: "databases.main.engine.password" cannot be put into the variable\'s value: there is no object at "password"');
    expect(result.err).not.toContain('does not exist');
  });

  it('with stacks: needs --stack where several have the environment, and fills {stack}', async () => {
    const config = JSON.parse(commonPlusStack['tfsync.json']!);
    config.secrets = { db_password: 'ref+envsubst://$DB_{env}_{stack}' };
    const dir = await temp.fixture('stacks', { ...commonPlusStack, 'tfsync.json': JSON.stringify(config) });
    const both = await run(['exec', 'dev', '--', process.execPath, '-e', '0'], { cwd: dir });
    expect(both.code).toBe(1);
    expect(both.err).toContain('2 stacks have environment "dev" (api, web): name one with --stack');
    const report = join(dir, 'report.json');
    const api = await run(['exec', 'dev', '--stack', 'api', '--', process.execPath, '-e', REPORT, report], { cwd: dir, env: { DB_dev_api: DB_PROD } });
    expect(api.code, api.err).toBe(0);
    expect(JSON.parse(await readFile(report, 'utf8')).TF_VAR_db_password).toEqual(seen(DB_PROD));
    // The api stack's dev file sets db_password too: it would win over TF_VAR_ if passed.
    expect(api.err).toContain('TF_VAR_db_password has the lowest precedence in Terraform');
  });

  it.skipIf(!isBuilt('cli/main.js'))('the built CLI: the command has the terminal\'s stdout and stderr, tfsync its exit code (skipped until built)', async () => {
    const dir = await temp.fixture('built', FILES);
    const script = "console.log('out ' + process.env.TF_VAR_db_password.length); console.error('err'); process.exit(7)";
    const result = spawnSync(process.execPath, [MAIN, 'exec', 'prod', '--', process.execPath, '-e', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' }, timeout: 60_000 });
    expect(result.status).toBe(7);
    expect(result.stdout).toBe(`out ${DB_PROD.length}\n`);
    expect(result.stderr).toMatch(/err\n$/);
    noSecretIn(result.stdout, result.stderr);
  }, 60_000);

  it.skipIf(!isBuilt('cli/main.js'))('the built CLI passes a SIGTERM sent to tfsync on to the command, and exits as the command did (skipped until built)', async () => {
    const dir = await temp.fixture('sigterm', FILES);
    const ready = join(dir, 'ready');
    const caught = join(dir, 'caught');
    // The command says it is ready, then waits; on SIGTERM it records it and exits 143 as Terraform's default handler would.
    const script = `const fs = require('node:fs'); process.on('SIGTERM', () => { fs.writeFileSync(${JSON.stringify(caught)}, 'x'); process.exit(143); }); fs.writeFileSync(${JSON.stringify(ready)}, 'x'); setInterval(() => {}, 1000);`;
    const tfsync = spawn(process.execPath, [MAIN, 'exec', 'prod', '--', process.execPath, '-e', script], { cwd: dir, env: { PATH: process.env.PATH, NO_COLOR: '1' }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => tfsync.on('exit', (code) => resolve(code)));
    while (!existsSync(ready)) await new Promise((resolve) => setTimeout(resolve, 50));
    tfsync.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(existsSync(caught)).toBe(true);
  }, 60_000);
});
