/**
 * A reference tfsync.json cannot mean is caught when the file loads: `tfsync validate` reports it,
 * and every other command refuses to run, each pointing at the reference with file:line:col, exit 1.
 */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-secret-config-');

const CONFIG = (secrets: unknown) =>
  `${JSON.stringify({ variables: 'variables.tf', environments: 'envs/*.tfvars', syncable: ['image_tag'], environmentSpecific: ['db_password'], secrets }, null, 2)}\n`;

const FILES = {
  'variables.tf': 'variable "image_tag" {\n  default = "v1"\n}\nvariable "db_password" {\n  sensitive = true\n}\n',
  'envs/prod.tfvars': 'image_tag = "v2"\n',
  'envs/test.tfvars': 'image_tag = "v3"\n',
};

/** The 1-based line and column of `needle` in `text`. */
function position(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

describe('a bad reference in tfsync.json', () => {
  const bad = { db_password: { '*': 'ref+pass://infra/{env}/db', prod: 'ref+awssecret://prod/app#/db' } };
  const config = CONFIG(bad);
  const at = `tfsync.json:${position(config, '"ref+awssecret:')}`;

  it('fails validate with file:line:col at the reference, the supported backends and a did-you-mean', async () => {
    const dir = await temp.fixture('validate', { ...FILES, 'tfsync.json': config });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toContain(`${at}: error: tfsync.json: /secrets/db_password/prod names an unknown backend "awssecret"`);
    expect(out).toContain('did you mean "awssecrets"?');
    expect(out).toContain('the backends are envsubst, file, pass, gopass, age, vault, awssecrets, awsssm, op, sops');
  });

  it('validate --json carries it as a config finding at that line and column', async () => {
    const dir = await temp.fixture('validate-json', { ...FILES, 'tfsync.json': config });
    const { code, out } = await run(['validate', '--json'], { cwd: dir });
    expect(code).toBe(1);
    const [line, column] = at.split(':').slice(1).map(Number);
    expect(JSON.parse(out).findings).toEqual([expect.objectContaining({ severity: 'error', code: 'config', file: 'tfsync.json', line, column })]);
  });

  it.each([
    [['show', 'prod']],
    [['show', 'prod', '--format', 'tfvars-json']],
    [['check']],
    [['diff', 'test', 'prod']],
    [['envs']],
    [['var-files', 'prod']],
    [['get', 'envs/prod.tfvars', 'image_tag']],
    [['set', 'envs/prod.tfvars', 'image_tag="v9"']],
    [['promote', 'test', 'prod', '--yes']],
    [['backport', 'prod', 'test', '--yes']],
    [['restore', 'prod', '--yes']],
  ])('stops %j before doing anything, with file:line:col, exit 1', async (argv) => {
    const dir = await temp.fixture(`cmd-${argv.join('-').replace(/\W+/g, '_')}`, { ...FILES, 'tfsync.json': config });
    const { code, out, err } = await run(argv, { cwd: dir });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^${at}: tfsync.json: /secrets/db_password/prod names an unknown backend "awssecret"`));
  });

  it.each([
    ['a placeholder other than {env} and {stack}', { db_password: 'ref+pass://infra/{environment}/db' }, 'has "{environment}": only {env} and {stack} stand for names', '"ref+pass:'],
    ['a malformed key', { db_password: 'ref+vault://secret/data/app#db' }, 'the key after "#" starts with "/"', '"ref+vault:'],
    ['no path', { db_password: { prod: 'ref+pass://' } }, 'has no path after "://"', '"ref+pass:'],
    ['a bad percent-escape', { db_password: 'ref+file://a%zz' }, 'malformed percent-escape', '"ref+file:'],
  ])('reports %s at the reference', async (_, secrets, message, needle) => {
    const text = CONFIG(secrets);
    const dir = await temp.fixture(`bad-${needle.replace(/\W+/g, '')}-${message.length}`, { ...FILES, 'tfsync.json': text });
    const { code, err } = await run(['check'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain(`tfsync.json:${position(text, needle)}: `);
    expect(err).toContain(message);
  });

  it('takes ${NAME} in a reference as the environment variable it is (envsubst), not as a placeholder', async () => {
    const dir = await temp.fixture('braced-variable', { ...FILES, 'tfsync.json': CONFIG({ db_password: { prod: 'ref+envsubst://${PROD_DB_PASSWORD}' } }) });
    const check = 'process.exit(process.env.TF_VAR_db_password === "braced-ok" ? 0 : 9)';
    const { code, err } = await run(['exec', 'prod', '--', process.execPath, '-e', check], { cwd: dir, env: { PROD_DB_PASSWORD: 'braced-ok' } });
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('the schema refuses a value that is no reference at all, at the value', async () => {
    const text = CONFIG({ db_password: 'hunter2' });
    const dir = await temp.fixture('schema', { ...FILES, 'tfsync.json': text });
    const { code, err } = await run(['show', 'prod'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain(`tfsync.json:${position(text, '"hunter2"')}`);
  });
});
