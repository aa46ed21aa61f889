/**
 * `tfsync validate` checks `secrets` against the repository: an entry naming no declared variable
 * (a key path: its variable) is an error with a did-you-mean; a reference for a variable that is not
 * sensitive is a warning; an environment no file gives is an error. Each at its place in tfsync.json.
 */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-validate-secrets-');

const VARIABLES = `variable "image_tag" {
  default = "v1"
}
variable "db_password" {
  sensitive = true
}
variable "api_token" {
  default = ""
}
variable "databases" {
  type = map(object({ engine = string, password = string }))
}
`;

function files(secrets: unknown, sensitive: string[] = []) {
  return {
    'tfsync.json': `${JSON.stringify({ variables: 'variables.tf', environments: 'envs/*.tfvars', syncable: ['image_tag'], environmentSpecific: ['db_password', 'api_token', 'databases'], sensitive, secrets }, null, 2)}\n`,
    'variables.tf': VARIABLES,
    'envs/prod.tfvars': 'databases = { main = { engine = "pg", password = "" } }\n',
    'envs/test.tfvars': 'databases = { main = { engine = "pg", password = "" } }\n',
  };
}

interface JsonFinding {
  severity: string;
  code: string;
  message: string;
  line: number;
  column?: number;
  hint?: string;
}

async function validate(name: string, secrets: unknown, sensitive?: string[]) {
  const dir = await temp.fixture(name, files(secrets, sensitive));
  const result = await run(['validate', '--json'], { cwd: dir });
  const doc = JSON.parse(result.out) as { valid: boolean; findings: JsonFinding[] };
  return { code: result.code, findings: doc.findings.filter((f) => f.code.startsWith('secret-')), text: (await run(['validate'], { cwd: dir })).out };
}

/** 1-based line:column of `needle` in the fixture's tfsync.json. */
function at(secrets: unknown, needle: string, sensitive?: string[]): { line: number; column: number } {
  const text = files(secrets, sensitive)['tfsync.json'];
  const before = text.slice(0, text.indexOf(needle)).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('validate with secrets', () => {
  it('accepts references for sensitive variables, key paths and known environments', async () => {
    const secrets = {
      db_password: { '*': 'ref+envsubst://$DB_PASSWORD', prod: 'ref+file://secrets/prod-db' },
      'databases.main.password': 'ref+file://secrets/{env}.json#/main',
    };
    const { code, findings } = await validate('clean', secrets, ['databases.*.password']);
    expect(findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('an entry naming no declared variable is an error with a did-you-mean, at the entry', async () => {
    const secrets = { db_pasword: 'ref+envsubst://$DB_PASSWORD' };
    const { code, findings, text } = await validate('undeclared', secrets);
    expect(code).toBe(1);
    expect(findings).toEqual([
      { severity: 'error', code: 'secret-unknown-variable', message: 'secrets: "db_pasword" names no declared variable', ...at(secrets, '"ref+'), file: 'tfsync.json', variable: 'db_pasword', hint: 'did you mean "db_password"?' },
    ]);
    expect(text).toContain('error: secrets: "db_pasword" names no declared variable');
  });

  it('a key path whose variable is not declared is an error naming the variable', async () => {
    const secrets = { 'database.main.password': 'ref+envsubst://$X' };
    const { code, findings } = await validate('undeclared-path', secrets, ['database.*.password']);
    expect(code).toBe(1);
    expect(findings).toMatchObject([{ code: 'secret-unknown-variable', message: 'secrets: "database.main.password" names no declared variable ("database" is not declared)', hint: 'did you mean "databases"?' }]);
  });

  it('a key that is no key path is an error', async () => {
    const { code, findings } = await validate('bad-path', { 'databases..password': 'ref+envsubst://$X' });
    expect(code).toBe(1);
    expect(findings).toMatchObject([{ severity: 'error', code: 'secret-unknown-variable', message: expect.stringContaining('invalid key path "databases..password"') }]);
  });

  it('a reference for a variable that is not sensitive is a warning saying to mark it sensitive (an error with --strict)', async () => {
    const secrets = { db_password: 'ref+envsubst://$DB', api_token: 'ref+envsubst://$API_TOKEN', 'databases.main.password': 'ref+envsubst://$X' };
    const { code, findings } = await validate('not-sensitive', secrets);
    expect(code).toBe(0);
    expect(findings).toMatchObject([
      { severity: 'warning', code: 'secret-not-sensitive', message: 'secrets: "api_token" is not sensitive: secrets are for sensitive variables', ...at(secrets, '"ref+envsubst://$API'), hint: expect.stringMatching(/^mark it sensitive: `sensitive = true` in its declaration \(variables\.tf:7\)/) },
      { severity: 'warning', code: 'secret-not-sensitive', message: 'secrets: "databases.main.password" is not sensitive: secrets are for sensitive variables' },
    ]);
    const dir = await temp.fixture('not-sensitive-strict', files(secrets));
    expect((await run(['validate', '--strict'], { cwd: dir })).code).toBe(1);
  });

  it('a required variable with a reference in an environment is not missing there; without one it is', async () => {
    const dir = await temp.fixture('required', files({ db_password: { prod: 'ref+envsubst://$DB' } }));
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toContain('required variable "db_password" has no value in test');
    expect(out).not.toContain('has no value in prod');
  });

  it('a key path is sensitive when a sensitive entry covers it, or its whole variable is', async () => {
    const { findings } = await validate('path-sensitive', { 'databases.main.password': 'ref+envsubst://$X' }, ['databases.*.password']);
    expect(findings).toEqual([]);
    const whole = await validate('whole-sensitive', { 'databases.main.password': 'ref+envsubst://$X' }, ['databases']);
    expect(whole.findings).toEqual([]);
    const other = await validate('other-leaf', { 'databases.main.engine': 'ref+envsubst://$X' }, ['databases.*.password']);
    expect(other.findings).toMatchObject([{ code: 'secret-not-sensitive' }]);
  });

  it('a reference for a whole variable beside one inside it is an error at the inner one', async () => {
    const secrets = { databases: 'ref+envsubst://$ALL', 'databases.main.password': 'ref+envsubst://$X' };
    const { code, findings } = await validate('overlap', secrets, ['databases']);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', code: 'secret-overlap', message: 'secrets: "databases.main.password" is inside "databases", which has a reference of its own', ...at(secrets, '"ref+envsubst://$X', ['databases']) }),
    ]);
  });

  it('an environment that is not one of the repository\'s is an error at its reference, with a did-you-mean', async () => {
    const secrets = { db_password: { '*': 'ref+envsubst://$A', prd: 'ref+envsubst://$B', staging: 'ref+envsubst://$C' } };
    const { code, findings } = await validate('unknown-env', secrets);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', code: 'secret-unknown-environment', message: 'secrets: "db_password" has a reference for "prd", which is not an environment of this repository', ...at(secrets, '"ref+envsubst://$B'), hint: 'did you mean "prod"?' }),
      expect.objectContaining({ code: 'secret-unknown-environment', message: expect.stringContaining('"staging"'), hint: 'the environments are prod, test; "*" stands for every one without its own' }),
    ]);
  });
});
