/**
 * `tfsync show ENV --format tfvars-json --resolve-secrets [--output FILE]`: every value with the
 * secrets read from their stores, to a pipe or to FILE (mode 0600, made private before a byte is
 * written, never through a symbolic link, no temporary file or backup beside it), never to a
 * terminal (secret-to-terminal). Without --resolve-secrets, show is what it was.
 */
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-show-secrets-');

const DB = 'S3CRET-db-5a1e';
const API = 'S3CRET-api-77c2';
const MAIN_PW = 'S3CRET-main-0b9d';
const IN_FILE = 'S3CRET-in-file-31f0';

const FILES = {
  'tfsync.json': `${JSON.stringify({
    variables: 'variables.tf',
    environments: 'envs/*.tfvars',
    syncable: ['image_tag'],
    environmentSpecific: ['db_password', 'api_key', 'databases', 'legacy_token'],
    sensitive: ['databases.*.password', 'legacy_token'],
    secrets: {
      db_password: 'ref+envsubst://$DB_PASSWORD',
      api_key: 'ref+file://secrets/{env}.json#/api_key',
      'databases.main.password': 'ref+file://secrets/main-pw',
    },
  }, null, 2)}\n`,
  'variables.tf': 'variable "image_tag" {}\nvariable "db_password" {\n  sensitive = true\n}\nvariable "api_key" {\n  sensitive = true\n}\nvariable "databases" {}\nvariable "legacy_token" {}\n',
  'envs/prod.tfvars': `image_tag = "v2"\nlegacy_token = "${IN_FILE}"\ndatabases = {\n  main = { engine = "postgres" }\n}\n`,
  'secrets/prod.json': JSON.stringify({ api_key: API }),
  'secrets/main-pw': `${MAIN_PW}\n`,
};

const ENV = { DB_PASSWORD: DB };
const ALL = { image_tag: 'v2', legacy_token: IN_FILE, databases: { main: { engine: 'postgres', password: MAIN_PW } }, db_password: DB, api_key: API };
const SECRETS = [DB, API, MAIN_PW, IN_FILE];

function noSecretIn(...texts: string[]) {
  for (const text of texts) for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('show --resolve-secrets', () => {
  it('writes every value, secrets included, to a pipe', async () => {
    const dir = await temp.fixture('pipe', FILES);
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets'], { cwd: dir, env: ENV });
    expect(code, err).toBe(0);
    expect(JSON.parse(out)).toEqual(ALL);
    noSecretIn(err);
  });

  it('refuses a terminal with secret-to-terminal, before reading any secret', async () => {
    const dir = await temp.fixture('tty', FILES);
    // No DB_PASSWORD: had it tried to read, the error would be secret-not-found.
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets'], { cwd: dir, env: {}, answer: '' });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^tfsync: --resolve-secrets does not write secrets to a terminal\nhint: write them to a file with --output FILE/);
    noSecretIn(err);
  });

  it('writes --output FILE with mode 0600 from a terminal too, printing nothing of it', async () => {
    const dir = await temp.fixture('output', FILES);
    const before = await readdir(dir);
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'prod.auto.tfvars.json'], { cwd: dir, env: ENV, answer: '' });
    expect(code, err).toBe(0);
    expect(out + err).toBe('');
    const file = join(dir, 'prod.auto.tfvars.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(ALL);
    // The file and nothing else: no temporary file, no backup.
    expect((await readdir(dir)).sort()).toEqual([...before, 'prod.auto.tfvars.json'].sort());
  });

  it('makes an existing file private before writing into it, and leaves no backup', async () => {
    const dir = await temp.fixture('existing', { ...FILES, 'out/vars.json': 'old text that is longer than nothing at all\n' });
    const file = join(dir, 'out/vars.json');
    await chmod(file, 0o644);
    const { code, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'out/vars.json'], { cwd: dir, env: ENV });
    expect(code, err).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(ALL);
    expect(await readdir(join(dir, 'out'))).toEqual(['vars.json']);
  });

  it('refuses to write through a symbolic link, leaving its target as it was', async () => {
    const dir = await temp.fixture('symlink', { ...FILES, 'target.json': 'untouched\n' });
    await symlink(join(dir, 'target.json'), join(dir, 'link.json'));
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'link.json'], { cwd: dir, env: ENV });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('tfsync: link.json: is a symbolic link, which secrets are not written through; nothing written');
    expect(await readFile(join(dir, 'target.json'), 'utf8')).toBe('untouched\n');
    expect((await lstat(join(dir, 'link.json'))).isSymbolicLink()).toBe(true);
    noSecretIn(out, err);
  });

  it('refuses a folder, and a folder that does not exist', async () => {
    const dir = await temp.fixture('folder', FILES);
    await mkdir(join(dir, 'a-folder'));
    const folder = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'a-folder'], { cwd: dir, env: ENV });
    expect(folder.code).toBe(1);
    expect(folder.err).toContain('a-folder: is a folder; nothing written');
    const missing = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'no/such/dir.json'], { cwd: dir, env: ENV });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no/such/dir.json: cannot be created (ENOENT); nothing written');
  });

  it('a secret that cannot be read: exit 1 with the reference, no file written', async () => {
    const dir = await temp.fixture('unreadable', FILES);
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets', '--output', 'x.json'], { cwd: dir, env: {} });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('ref+envsubst://$DB_PASSWORD: the environment variable DB_PASSWORD is not set');
    await expect(stat(join(dir, 'x.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    noSecretIn(err);
  });

  it.each([
    [['--resolve-secrets'], '--resolve-secrets writes a .tfvars.json: it needs --format tfvars-json'],
    [['--format', 'json', '--resolve-secrets'], 'it needs --format tfvars-json, not json'],
    [['--json', '--resolve-secrets'], 'it needs --format tfvars-json, not json'],
    [['--format', 'tfvars-json', '--output', 'x.json'], '--output goes with --resolve-secrets'],
  ])('%j is a usage error', async (options, message) => {
    const dir = await temp.fixture(`usage-${options.join('')}`, FILES);
    const { code, err } = await run(['show', 'prod', ...options], { cwd: dir, env: ENV });
    expect(code).toBe(1);
    expect(err).toContain(message);
    noSecretIn(err);
    await expect(stat(join(dir, 'x.json'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a shared layer, which has no references of its own', async () => {
    const dir = await temp.fixture('shared', FILES);
    const { code, err } = await run(['show', '@shared', '--format', 'tfvars-json', '--resolve-secrets'], { cwd: dir, env: ENV });
    expect(code).toBe(1);
    expect(err).toContain("--resolve-secrets shows one environment's secrets; @shared is a layer environments share");
  });

  it('without --resolve-secrets, tfvars-json leaves the sensitive values out as before and reads no store', async () => {
    const dir = await temp.fixture('plain', FILES);
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json'], { cwd: dir, env: {} });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ image_tag: 'v2' });
    expect(err).toContain('left out sensitive variables');
    noSecretIn(out, err);
  });

  it('an environment without references gets the files\' values, sensitive ones included', async () => {
    const config = JSON.parse(FILES['tfsync.json']);
    config.secrets = {};
    const dir = await temp.fixture('no-refs', { ...FILES, 'tfsync.json': JSON.stringify(config) });
    const { code, out } = await run(['show', 'prod', '--format', 'tfvars-json', '--resolve-secrets'], { cwd: dir, env: {} });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toEqual({ image_tag: 'v2', legacy_token: IN_FILE, databases: { main: { engine: 'postgres' } } });
  });
});
