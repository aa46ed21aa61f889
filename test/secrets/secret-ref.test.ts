/**
 * Secret references as tfsync.json writes them: helmfile vals' `ref+BACKEND://PATH[?PARAMS][#/KEY]`
 * for every backend tfsync has, what each part parses to, the errors (code secret-ref-invalid, an
 * unknown backend naming the supported ones), and the reference an environment (and stack) gets.
 */
import { describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { parseSecretRef, SECRET_BACKENDS, secretRefFor, secretRefText, type SecretReferences } from '../../src/model/secret-ref.js';

function parseError(text: string): TfsyncError {
  try {
    parseSecretRef(text);
  } catch (error) {
    if (error instanceof TfsyncError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

describe('parseSecretRef', () => {
  it.each([
    ['ref+envsubst://$DB_PASSWORD', 'envsubst', '$DB_PASSWORD'],
    ['ref+file://secrets/db.txt', 'file', 'secrets/db.txt'],
    ['ref+file:///etc/tfsync/db.json#/password', 'file', '/etc/tfsync/db.json'],
    ['ref+pass://infra/prod/db_password', 'pass', 'infra/prod/db_password'],
    ['ref+gopass://infra/prod/db_password', 'gopass', 'infra/prod/db_password'],
    ['ref+age://secrets/prod.env.age#/DB_PASSWORD', 'age', 'secrets/prod.env.age'],
    ['ref+vault://secret/data/prod/app#/db_password', 'vault', 'secret/data/prod/app'],
    ['ref+awssecrets://prod/app#/db_password', 'awssecrets', 'prod/app'],
    ['ref+awsssm:///prod/app/db_password', 'awsssm', '/prod/app/db_password'],
    ['ref+op://Infra/Prod DB/password', 'op', 'Infra/Prod DB/password'],
    ['ref+sops://secrets/prod.enc.yaml#/db/password', 'sops', 'secrets/prod.enc.yaml'],
  ])('%s is the %s backend, path %s', (text, backend, path) => {
    const ref = parseSecretRef(text);
    expect(ref).toMatchObject({ backend, path, text });
  });

  it('covers every backend tfsync has', () => {
    const examples = SECRET_BACKENDS.map((b) => parseSecretRef(`ref+${b}://x`).backend);
    expect(examples).toEqual([...SECRET_BACKENDS]);
    expect(SECRET_BACKENDS).toEqual(expect.arrayContaining(['envsubst', 'file', 'pass', 'gopass', 'age', 'vault', 'awssecrets', 'awsssm', 'op', 'sops']));
  });

  it('reads query parameters, decoded, with + as a space and a bare name as empty', () => {
    const ref = parseSecretRef('ref+awssecrets://prod/app?region=eu-west-1&version_stage=AWS%20PREVIOUS&profile=a+b&flag#/db_password');
    expect(ref.params).toEqual({ region: 'eu-west-1', version_stage: 'AWS PREVIOUS', profile: 'a b', flag: '' });
    expect(ref.path).toBe('prod/app');
    expect(ref.key).toEqual(['db_password']);
  });

  it('splits #/a/b into keys, and reads no key from "#", "#/" or none', () => {
    expect(parseSecretRef('ref+vault://secret/data/app#/db/password').key).toEqual(['db', 'password']);
    expect(parseSecretRef('ref+vault://secret/data/app#').key).toEqual([]);
    expect(parseSecretRef('ref+vault://secret/data/app#/').key).toEqual([]);
    expect(parseSecretRef('ref+vault://secret/data/app').key).toEqual([]);
  });

  it('decodes percent-escapes in the path, the parameters and the keys', () => {
    const ref = parseSecretRef('ref+file://my%20secrets/db%23.json?x%3Dy=1%262#/a%2Fb/c%20d');
    expect(ref.path).toBe('my secrets/db#.json');
    expect(ref.params).toEqual({ 'x=y': '1&2' });
    expect(ref.key).toEqual(['a/b', 'c d']);
  });

  it.each([
    ['db_password', 'is not a secret reference'],
    ['ref+pass:/infra/db', 'is not a secret reference'],
    ['ref+PASS://infra/db', 'is not a secret reference'],
    ['ref+pass://', 'has no path after "://"'],
    ['ref+pass://?x=1', 'has no path after "://"'],
    ['ref+file://a%zz', 'malformed percent-escape in its path'],
    ['ref+vault://a?x=%', 'malformed percent-escape in its parameters'],
    ['ref+vault://a#/%e0', 'malformed percent-escape in its key'],
    ['ref+vault://a#key', 'the key after "#" starts with "/" (#/key)'],
  ])('refuses %j: %s', (text, message) => {
    const error = parseError(text);
    expect(error.code).toBe('secret-ref-invalid');
    expect(error.message).toContain(message);
    expect(error.message).toContain(JSON.stringify(text));
  });

  it('names the supported backends for an unknown one, with a did-you-mean for a typo', () => {
    const typo = parseError('ref+awssecret://prod/app');
    expect(typo.code).toBe('secret-ref-invalid');
    expect(typo.message).toContain('unknown backend "awssecret"');
    expect(typo.hint).toContain('awssecrets');
    expect(typo.hint).toMatch(/did you mean/i);
    expect(typo.hint).toContain(`the backends are ${SECRET_BACKENDS.join(', ')}`);
    const unknown = parseError('ref+keychain://x');
    expect(unknown.hint).not.toMatch(/did you mean/i);
    expect(unknown.hint).toContain(SECRET_BACKENDS.join(', '));
  });
});

describe('secretRefText and secretRefFor', () => {
  const refs: SecretReferences = {
    db_password: { '*': 'ref+awssecrets://{env}/app#/db_password' },
    datadog_api_key: { '*': 'ref+pass://infra/{env}/{stack}/datadog', prod: 'ref+vault://secret/data/prod/datadog#/api_key' },
    'databases.main.password': { dev: 'ref+envsubst://$MAIN_DB_PASSWORD' },
  };

  it('fills {env} and {stack} into the "*" reference', () => {
    expect(secretRefText(refs, 'db_password', 'dev')).toBe('ref+awssecrets://dev/app#/db_password');
    expect(secretRefText(refs, 'datadog_api_key', 'dev', 'network')).toBe('ref+pass://infra/dev/network/datadog');
  });

  it('prefers an environment\'s own reference to "*"', () => {
    expect(secretRefText(refs, 'datadog_api_key', 'prod', 'network')).toBe('ref+vault://secret/data/prod/datadog#/api_key');
  });

  it('{stack} is empty without a stack', () => {
    expect(secretRefText(refs, 'datadog_api_key', 'test')).toBe('ref+pass://infra/test//datadog');
  });

  it('has none for a variable without references, or an environment neither named nor covered by "*"', () => {
    expect(secretRefText(refs, 'api_token', 'dev')).toBeUndefined();
    expect(secretRefText(refs, 'databases.main.password', 'prod')).toBeUndefined();
    expect(secretRefFor(refs, 'databases.main.password', 'prod')).toBeUndefined();
  });

  it('parses the filled-in reference, whose text is what messages show', () => {
    expect(secretRefFor(refs, 'db_password', 'prod')).toEqual({
      backend: 'awssecrets',
      path: 'prod/app',
      params: {},
      key: ['db_password'],
      text: 'ref+awssecrets://prod/app#/db_password',
    });
    expect(secretRefFor(refs, 'databases.main.password', 'dev')).toMatchObject({ backend: 'envsubst', path: '$MAIN_DB_PASSWORD' });
  });
});
