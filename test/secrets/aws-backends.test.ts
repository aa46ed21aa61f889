/**
 * The AWS Secrets Manager and SSM Parameter Store backends, driven through the real SDK v3 clients
 * against a loopback server speaking the AWS JSON 1.1 protocol (AWS_ENDPOINT_URL, static fake keys):
 * the operations and their inputs, AWS's error codes mapped to tfsync's (not found, denied, throttled
 * after the SDK's retries), existence asked without values, round-trip writes, and a missing SDK
 * package reported with the npm command that installs it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSecretRef } from '../../src/model/secret-ref.js';
import type { SecretContext } from '../../src/io/secrets/backend.js';
import { awsSecretsBackend, createAwsSecretsBackend } from '../../src/io/secrets/awssecrets-backend.js';
import { awsSsmBackend, createAwsSsmBackend, parameterName } from '../../src/io/secrets/awsssm-backend.js';
import { readSecret, secretContext, secretExists } from '../../src/io/secrets/resolve.js';
import { FakeAws } from '../helpers/fake-aws.js';

const KEY_ID = 'AKIDFAKE0000EXAMPLE';
const DB_PASSWORD = 'sm-db-password-41c7e2';
const API_KEY = 'ssm-api-key-9b1d05';
let aws: FakeAws;
let home: string;

beforeAll(async () => {
  aws = await new FakeAws(KEY_ID).start();
  home = await mkdtemp(join(tmpdir(), 'tfsync-aws-home-'));
});
afterAll(async () => {
  await aws.stop();
  await rm(home, { recursive: true, force: true });
});
beforeEach(() => {
  aws.reset();
  aws.putSecret('prod/app', JSON.stringify({ db_password: DB_PASSWORD, user: 'app' }));
  aws.putParameter('/myteam/prod/api_key', API_KEY);
});

function ctx(env: Record<string, string | undefined> = {}): SecretContext {
  return secretContext(
    {
      AWS_ACCESS_KEY_ID: KEY_ID,
      AWS_SECRET_ACCESS_KEY: 'fake-secret-access-key',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: aws.url,
      HOME: home,
      TFSYNC_SECRET_TIMEOUT_MS: '30000',
      ...env,
    },
    home,
  );
}
const ref = parseSecretRef;

async function failureOf(promise: Promise<unknown>): Promise<{ message: string; options: { code?: string; hint?: string } }> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error) => error,
  );
}
const targets = () => aws.requests.map((r) => r.target);

describe('Secrets Manager', () => {
  it('reads the secret string, or its JSON #/key, with GetSecretValue over the JSON 1.1 protocol, signed', async () => {
    expect(await readSecret(ref('ref+awssecrets://prod/app#/db_password'), ctx())).toBe(DB_PASSWORD);
    expect(JSON.parse(await readSecret(ref('ref+awssecrets://prod/app'), ctx()))).toEqual({ db_password: DB_PASSWORD, user: 'app' });
    expect(targets()).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.GetSecretValue']);
    expect(aws.requests[0]!.contentType).toBe('application/x-amz-json-1.1');
    expect(aws.requests[0]!.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${KEY_ID}/\\d{8}/us-east-1/secretsmanager/aws4_request`));
    expect(aws.requests[0]!.body).toEqual({ SecretId: 'prod/app' });
  });

  it('?region= signs for that region; version_stage and version_id are sent as asked', async () => {
    aws.putSecret('prod/app', JSON.stringify({ db_password: 'rotated' }));
    expect(await readSecret(ref('ref+awssecrets://prod/app?region=eu-west-1&version_stage=AWSPREVIOUS#/db_password'), ctx())).toBe(DB_PASSWORD);
    expect(aws.requests[0]!.authorization).toContain('/eu-west-1/secretsmanager/');
    expect(aws.requests[0]!.body).toEqual({ SecretId: 'prod/app', VersionStage: 'AWSPREVIOUS' });
    const firstId = aws.secrets.get('prod/app')!.versions[0]!.id;
    expect(await readSecret(ref(`ref+awssecrets://prod/app?version_id=${firstId}#/db_password`), ctx())).toBe(DB_PASSWORD);
  });

  it('ResourceNotFoundException, a missing key and a key of a non-JSON secret are secret-not-found', async () => {
    const missing = await failureOf(readSecret(ref('ref+awssecrets://staging/app#/db_password'), ctx()));
    expect(missing.options.code).toBe('secret-not-found');
    expect(missing.message).toContain('ResourceNotFoundException');
    expect((await failureOf(readSecret(ref('ref+awssecrets://prod/app#/nope'), ctx()))).options.code).toBe('secret-not-found');
    aws.putSecret('plain', 'not-json-value-123');
    const plain = await failureOf(readSecret(ref('ref+awssecrets://plain#/k'), ctx()));
    expect(plain.options.code).toBe('secret-not-found');
    expect(plain.message).not.toContain('not-json-value-123');
  });

  it('AccessDeniedException and refused keys are secret-access-denied, naming the code', async () => {
    aws.denied.add('prod/app');
    const denied = await failureOf(readSecret(ref('ref+awssecrets://prod/app#/db_password'), ctx()));
    expect(denied.options.code).toBe('secret-access-denied');
    expect(denied.message).toContain('AccessDeniedException');
    const unknown = await failureOf(readSecret(ref('ref+awssecrets://other'), ctx({ AWS_ACCESS_KEY_ID: 'AKIDWRONG' })));
    expect(unknown.options.code).toBe('secret-access-denied');
    expect(unknown.message).toContain('UnrecognizedClientException');
  });

  it('throttling is retried by the SDK: two throttled answers then the value', async () => {
    aws.failNext(400, 'ThrottlingException', 'Rate exceeded', 2);
    expect(await readSecret(ref('ref+awssecrets://prod/app#/user'), ctx())).toBe('app');
    expect(targets()).toEqual(Array(3).fill('secretsmanager.GetSecretValue'));
  }, 60_000);

  it('throttling that outlasts the retries: secret-backend-failed naming ThrottlingException and the attempts', async () => {
    aws.failNext(400, 'ThrottlingException', 'Rate exceeded', 10);
    const error = await failureOf(readSecret(ref('ref+awssecrets://prod/app#/user'), ctx()));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.message).toContain('ThrottlingException');
    expect(error.message).toContain('after 3 attempts');
    expect(aws.requests).toHaveLength(3);
  }, 60_000);

  it("an error message echoing a value is redacted; an endpoint nothing answers at is 'cannot reach'", async () => {
    aws.failNext(400, 'InvalidParameterException', `bad SecretString "${DB_PASSWORD}" near value=${DB_PASSWORD}`);
    const echoed = await failureOf(readSecret(ref('ref+awssecrets://prod/app'), ctx()));
    expect(echoed.options.code).toBe('secret-backend-failed');
    expect(echoed.message).toContain('InvalidParameterException');
    expect(echoed.message).not.toContain(DB_PASSWORD);
    const down = await failureOf(readSecret(ref('ref+awssecrets://prod/app'), ctx({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' })));
    expect(down.options.code).toBe('secret-backend-failed');
    expect(down.message).toContain('cannot reach');
  }, 60_000);

  it('exists asks DescribeSecret, never the value; a secret scheduled for deletion does not exist', async () => {
    expect(await secretExists(ref('ref+awssecrets://prod/app#/db_password'), ctx())).toBe(true);
    expect(await secretExists(ref('ref+awssecrets://staging/app'), ctx())).toBe(false);
    aws.secrets.get('prod/app')!.deleted = true;
    expect(await secretExists(ref('ref+awssecrets://prod/app'), ctx())).toBe(false);
    expect(targets()).toEqual(Array(3).fill('secretsmanager.DescribeSecret'));
  });

  it('writes: PutSecretValue of the string; with #/key the JSON merged; CreateSecret for a new name; round trips', async () => {
    await awsSecretsBackend.write!(ref('ref+awssecrets://prod/app#/db_password'), 'rotated-sm', ctx());
    expect(JSON.parse(aws.currentSecret('prod/app')!)).toEqual({ db_password: 'rotated-sm', user: 'app' });
    expect(targets()).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue']);
    expect(await readSecret(ref('ref+awssecrets://prod/app#/db_password'), ctx())).toBe('rotated-sm');

    aws.requests.length = 0;
    await awsSecretsBackend.write!(ref('ref+awssecrets://staging/app#/db/password'), 'new-one', ctx());
    expect(targets()).toEqual(['secretsmanager.GetSecretValue', 'secretsmanager.PutSecretValue', 'secretsmanager.CreateSecret']);
    expect(JSON.parse(aws.currentSecret('staging/app')!)).toEqual({ db: { password: 'new-one' } });

    await awsSecretsBackend.write!(ref('ref+awssecrets://token'), 'whole-string', ctx());
    expect(aws.currentSecret('token')).toBe('whole-string');
  });

  it('refuses to write a version-pinned reference, or a key into a secret that is not a JSON object', async () => {
    expect((await failureOf(awsSecretsBackend.write!(ref('ref+awssecrets://prod/app?version_stage=AWSPREVIOUS'), 'x', ctx()))).options.code).toBe('secret-not-writable');
    aws.putSecret('plain', 'plain-text');
    expect((await failureOf(awsSecretsBackend.write!(ref('ref+awssecrets://plain#/k'), 'x', ctx()))).options.code).toBe('secret-not-writable');
    expect(aws.currentSecret('plain')).toBe('plain-text');
  });

  it('without @aws-sdk/client-secrets-manager installed: secret-backend-missing naming the npm command', async () => {
    const backend = createAwsSecretsBackend(async (name) => {
      throw Object.assign(new Error(`Cannot find package '${name}' imported from /app/dist/cli/chunks/x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    const error = await failureOf(backend.read(ref('ref+awssecrets://prod/app'), ctx()));
    expect(error.options.code).toBe('secret-backend-missing');
    expect(error.message).toContain('Secrets Manager client');
    expect(error.options.hint).toBe('npm install @aws-sdk/client-secrets-manager');
    expect(aws.requests).toEqual([]);
  });
});

describe('SSM Parameter Store', () => {
  it('names get a leading / as in vals; #/a/b is a sub-path; ?version= a version selector', () => {
    expect(parameterName(ref('ref+awsssm://myteam/db'))).toBe('/myteam/db');
    expect(parameterName(ref('ref+awsssm:///myteam/db'))).toBe('/myteam/db');
    expect(parameterName(ref('ref+awsssm://myteam/prod#/api_key'))).toBe('/myteam/prod/api_key');
  });

  it('reads with GetParameter WithDecryption, signed for ssm', async () => {
    expect(await readSecret(ref('ref+awsssm://myteam/prod/api_key'), ctx())).toBe(API_KEY);
    expect(await readSecret(ref('ref+awsssm://myteam/prod#/api_key'), ctx())).toBe(API_KEY);
    aws.putParameter('/myteam/prod/api_key', 'second');
    expect(await readSecret(ref('ref+awsssm://myteam/prod/api_key?version=1'), ctx())).toBe(API_KEY);
    expect(aws.requests.map((r) => [r.target, r.body])).toEqual([
      ['AmazonSSM.GetParameter', { Name: '/myteam/prod/api_key', WithDecryption: true }],
      ['AmazonSSM.GetParameter', { Name: '/myteam/prod/api_key', WithDecryption: true }],
      ['AmazonSSM.GetParameter', { Name: '/myteam/prod/api_key:1', WithDecryption: true }],
    ]);
    expect(aws.requests[0]!.authorization).toContain('/us-east-1/ssm/aws4_request');
  });

  it('ParameterNotFound is secret-not-found; AccessDeniedException secret-access-denied', async () => {
    const missing = await failureOf(readSecret(ref('ref+awsssm://myteam/staging/api_key'), ctx()));
    expect(missing.options.code).toBe('secret-not-found');
    expect(missing.message).toContain('ParameterNotFound');
    aws.denied.add('/myteam/prod/api_key');
    expect((await failureOf(readSecret(ref('ref+awsssm://myteam/prod/api_key'), ctx()))).options.code).toBe('secret-access-denied');
  });

  it('throttling outlasting the retries is secret-backend-failed naming the code', async () => {
    aws.failNext(400, 'ThrottlingException', 'Rate exceeded', 10);
    const error = await failureOf(readSecret(ref('ref+awsssm://myteam/prod/api_key'), ctx()));
    expect(error.options.code).toBe('secret-backend-failed');
    expect(error.message).toContain('ThrottlingException');
    expect(aws.requests).toHaveLength(3);
  }, 60_000);

  it('exists asks DescribeParameters with a Name Equals filter, never the value', async () => {
    expect(await secretExists(ref('ref+awsssm://myteam/prod/api_key'), ctx())).toBe(true);
    expect(await secretExists(ref('ref+awsssm://myteam/staging/api_key'), ctx())).toBe(false);
    expect(aws.requests.map((r) => [r.target, r.body])).toEqual([
      ['AmazonSSM.DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/myteam/prod/api_key'] }] }],
      ['AmazonSSM.DescribeParameters', { ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/myteam/staging/api_key'] }] }],
    ]);
  });

  it('writes with PutParameter Overwrite, keeping an existing type and making new ones SecureString; round trips', async () => {
    aws.putParameter('/myteam/prod/region', 'eu-west-1', 'String');
    await awsSsmBackend.write!(ref('ref+awsssm://myteam/prod/region'), 'eu-central-1', ctx());
    await awsSsmBackend.write!(ref('ref+awsssm://myteam/staging/api_key'), 'staging-key', ctx());
    const puts = aws.requests.filter((r) => r.target === 'AmazonSSM.PutParameter').map((r) => r.body);
    expect(puts).toEqual([
      { Name: '/myteam/prod/region', Value: 'eu-central-1', Type: 'String', Overwrite: true },
      { Name: '/myteam/staging/api_key', Value: 'staging-key', Type: 'SecureString', Overwrite: true },
    ]);
    expect(await readSecret(ref('ref+awsssm://myteam/staging/api_key'), ctx())).toBe('staging-key');
    expect(aws.parameters.get('/myteam/staging/api_key')!.type).toBe('SecureString');
    expect((await failureOf(awsSsmBackend.write!(ref('ref+awsssm://myteam/prod/region?version=1'), 'x', ctx()))).options.code).toBe('secret-not-writable');
  });

  it('without @aws-sdk/client-ssm installed: secret-backend-missing naming the npm command', async () => {
    const backend = createAwsSsmBackend(async () => {
      throw Object.assign(new Error("Cannot find package '@aws-sdk/client-ssm'"), { code: 'ERR_MODULE_NOT_FOUND' });
    });
    const error = await failureOf(backend.exists!(ref('ref+awsssm://myteam/prod/api_key'), ctx()));
    expect(error.options.code).toBe('secret-backend-missing');
    expect(error.options.hint).toBe('npm install @aws-sdk/client-ssm');
  });
});

describe('configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('?profile= takes the credentials of that profile from the shared credentials file (the usual chain)', async () => {
    const file = join(home, 'credentials');
    await writeFile(file, `[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = x\n[ci]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = y\n`);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', file);
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'no-config'));
    const env = { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined };
    expect(await readSecret(ref('ref+awssecrets://prod/app?profile=ci#/user'), ctx(env))).toBe('app');
    expect(aws.requests[0]!.authorization).toContain(`Credential=${KEY_ID}/`);
  });

  it('the SDK itself reads AWS_ENDPOINT_URL from the process environment (verified for the installed version)', async () => {
    vi.stubEnv('AWS_ENDPOINT_URL', aws.url);
    expect(await readSecret(ref('ref+awsssm://myteam/prod/api_key?region=us-west-2'), ctx({ AWS_ENDPOINT_URL: undefined }))).toBe(API_KEY);
    expect(aws.requests).toHaveLength(1);
  });

  it('no credentials anywhere in the chain: secret-access-denied with a hint, and AWS is not asked', async () => {
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(home, 'none'));
    vi.stubEnv('AWS_CONFIG_FILE', join(home, 'none'));
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) vi.stubEnv(name, undefined);
    const error = await failureOf(readSecret(ref('ref+awssecrets://prod/app?region=ap-south-1'), ctx({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined })));
    expect(error.options.code).toBe('secret-access-denied');
    expect(error.options.hint).toContain('AWS_PROFILE');
    expect(aws.requests).toEqual([]);
  }, 60_000);

  it('AWS_ENDPOINT_URL_SSM wins over AWS_ENDPOINT_URL for SSM', async () => {
    expect(await readSecret(ref('ref+awsssm://myteam/prod/api_key?region=us-west-1'), ctx({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ENDPOINT_URL_SSM: aws.url }))).toBe(API_KEY);
  });
});
