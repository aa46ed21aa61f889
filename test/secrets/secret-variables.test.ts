/**
 * Which TF_VAR_ variables an environment's secrets make (sync/secret-variables.ts, pure): one per
 * variable, a whole variable's secret as it is, key paths put into the variable's effective value
 * as JSON (the repository's value left as it was); and the shapes that cannot take a secret,
 * refused before any secret is read.
 */
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import type { EffectiveValue } from '../../src/model/layers.js';
import type { SecretReferences } from '../../src/model/secret-ref.js';
import { checkSecretPlacement, secretVariables, tfVarValues } from '../../src/sync/secret-variables.js';

const value = (name: string, v: JsonValue | undefined, extra: Partial<EffectiveValue> = {}): EffectiveValue => ({
  name,
  class: 'environment-specific',
  sensitive: false,
  value: v,
  origin: v === undefined ? null : { layer: 'environment', file: 'envs/prod.tfvars', line: 1 },
  required: false,
  ...extra,
});

const refs: SecretReferences = {
  db_password: { '*': 'ref+envsubst://$DB_{env}' },
  'databases.main.password': { prod: 'ref+file://main' },
  'databases.main.extra.token': { prod: 'ref+file://token' },
  'subnets[1].key': { prod: 'ref+file://key' },
};

describe('secretVariables', () => {
  it('groups an environment\'s references by variable, in tfsync.json order, placeholders filled', () => {
    const vars = secretVariables(refs, 'prod');
    expect(vars.map((v) => [v.name, v.refs.map((r) => [r.entry, r.ref.text])])).toEqual([
      ['db_password', [['db_password', 'ref+envsubst://$DB_prod']]],
      ['databases', [['databases.main.password', 'ref+file://main'], ['databases.main.extra.token', 'ref+file://token']]],
      ['subnets', [['subnets[1].key', 'ref+file://key']]],
    ]);
    expect(secretVariables(refs, 'test').map((v) => v.name)).toEqual(['db_password']);
  });

  it('refuses a whole variable beside a value inside it', () => {
    expect(() => secretVariables({ a: { '*': 'ref+file://x' }, 'a.b': { '*': 'ref+file://y' } }, 'prod')).toThrow('secrets: "a" has a reference for the whole variable and for a.b inside it');
  });
});

describe('tfVarValues', () => {
  const effective = [
    value('databases', { main: { engine: 'pg' }, audit: { engine: 'mysql' } }),
    value('subnets', [{ cidr: 'a' }, { cidr: 'b' }]),
  ];
  const secrets = new Map([
    ['db_password', 'p"w\n'],
    ['databases.main.password', 'S1'],
    ['databases.main.extra.token', 'S2'],
    ['subnets[1].key', 'S3'],
  ]);

  it('a whole variable as its text, key paths into the files\' value as JSON, objects made on the way', () => {
    const env = tfVarValues(secretVariables(refs, 'prod'), secrets, effective);
    expect(env['TF_VAR_db_password']).toBe('p"w\n');
    expect(JSON.parse(env['TF_VAR_databases']!)).toEqual({ main: { engine: 'pg', password: 'S1', extra: { token: 'S2' } }, audit: { engine: 'mysql' } });
    expect(JSON.parse(env['TF_VAR_subnets']!)).toEqual([{ cidr: 'a' }, { cidr: 'b', key: 'S3' }]);
    // The repository's values are not changed.
    expect(effective[0]!.value).toEqual({ main: { engine: 'pg' }, audit: { engine: 'mysql' } });
  });

  it('a variable no file sets starts from an empty object', () => {
    const env = tfVarValues(secretVariables({ 'creds.password': { '*': 'ref+file://x' } }, 'prod'), new Map([['creds.password', 'S']]), []);
    expect(JSON.parse(env['TF_VAR_creds']!)).toEqual({ password: 'S' });
  });
});

describe('checkSecretPlacement: before any secret is read', () => {
  const vars = (entry: string) => secretVariables({ [entry]: { '*': 'ref+file://x' } }, 'prod');

  it.each([
    ['a key into a string', 'databases.main.password', [value('databases', { main: 'text' })], 'there is no object at "password"'],
    ['a key into a list', 'databases.main', [value('databases', [1])], 'there is no object at "main"'],
    ['an index past the end', 'subnets[5].key', [value('subnets', [{}])], 'there is no item [5]'],
    ['an index into an object', 'subnets[0]', [value('subnets', { a: 1 })], 'there is no item [0]'],
  ])('refuses %s', (_, entry, effective, message) => {
    expect(() => checkSecretPlacement(vars(entry), effective)).toThrow(`secrets: "${entry}" cannot be put into the variable's value: ${message}`);
  });

  it('refuses an expression tfsync does not evaluate, naming where it is', () => {
    expect(() => checkSecretPlacement(vars('inputs.password'), [value('inputs', 'dependency.x.outputs', { computed: true })])).toThrow('secrets: "inputs" is an expression tfsync does not evaluate (envs/prod.tfvars:1)');
  });

  it('accepts what tfVarValues can build', () => {
    expect(() => checkSecretPlacement(vars('databases.main.password'), [value('databases', { main: {} })])).not.toThrow();
  });
});
