/**
 * What the two AWS backends (Secrets Manager, SSM Parameter Store) share: loading the AWS SDK v3
 * client, an optional peer dependency, only when a reference uses it (and saying which package to
 * install when it is absent); one client per service, region, endpoint and profile; and the SDK's
 * errors as SecretError with AWS's own error code.
 *
 * Configuration comes from the context's environment, the one tfsync was given: `?region=`, else
 * AWS_REGION / AWS_DEFAULT_REGION; `AWS_ENDPOINT_URL_<SERVICE>` or AWS_ENDPOINT_URL (recent SDKs read
 * them from process.env themselves; passing them keeps a context that is not process.env honest);
 * static keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, else the SDK's usual
 * credential chain (`?profile=`, AWS_PROFILE, SSO, instance roles, ...). Retries are the SDK's
 * (AWS_MAX_ATTEMPTS, default 3, with backoff).
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretContext } from './backend.js';

export type AwsPackage = '@aws-sdk/client-secrets-manager' | '@aws-sdk/client-ssm';

/** Imports one SDK package. Injectable so that a test can make it "not installed". */
export type AwsModuleLoader = (name: AwsPackage) => Promise<unknown>;

// Literal specifiers: TypeScript checks them, and esbuild (scripts/bundle-cli.mjs) keeps `@aws-sdk/*`
// external, so the built CLI imports them from node_modules at the moment a reference needs them.
export const importAwsPackage: AwsModuleLoader = (name) =>
  name === '@aws-sdk/client-ssm' ? import('@aws-sdk/client-ssm') : import('@aws-sdk/client-secrets-manager');

/** The package, or secret-backend-missing naming the npm command that installs it. */
export async function loadAwsPackage<T>(ref: SecretRef, load: AwsModuleLoader, name: AwsPackage): Promise<T> {
  // The SDK warns on stderr, once per process, that its releases after January 2027 need Node 22.
  // That notice is for whoever pins the SDK, not for a tfsync command's output (and under `exec`
  // stderr is the child's): tfsync itself supports Node >= 20.19. A user's own setting wins.
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  try {
    return (await load(name)) as T;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /cannot find (module|package)/i.test(String((error as Error).message))) {
      throw new SecretError(ref, 'secret-backend-missing', `${ref.backend} needs the AWS SDK's ${name === '@aws-sdk/client-ssm' ? 'SSM' : 'Secrets Manager'} client, an optional dependency that is not installed`, `npm install ${name}`);
    }
    throw new SecretError(ref, 'secret-backend-failed', `${name} could not be loaded (${(error as Error).name})`);
  }
}

export interface AwsClientConfig {
  region?: string;
  endpoint?: string;
  profile?: string;
  maxAttempts?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** The client configuration of `ref` for a service (`SECRETS_MANAGER`, `SSM`: the suffix of AWS_ENDPOINT_URL_*). */
export function awsClientConfig(ref: SecretRef, ctx: SecretContext, service: 'SECRETS_MANAGER' | 'SSM'): AwsClientConfig {
  const env = ctx.env;
  const config: AwsClientConfig = {};
  const region = ref.params['region'] || env['AWS_REGION'] || env['AWS_DEFAULT_REGION'];
  if (region) config.region = region;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] || env['AWS_ENDPOINT_URL'];
  if (endpoint && !env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS']) config.endpoint = endpoint;
  const profile = ref.params['profile'];
  if (profile) config.profile = profile;
  else if (env['AWS_ACCESS_KEY_ID'] && env['AWS_SECRET_ACCESS_KEY']) {
    config.credentials = { accessKeyId: env['AWS_ACCESS_KEY_ID'], secretAccessKey: env['AWS_SECRET_ACCESS_KEY'], ...(env['AWS_SESSION_TOKEN'] ? { sessionToken: env['AWS_SESSION_TOKEN'] } : {}) };
  }
  const attempts = Number(env['AWS_MAX_ATTEMPTS']);
  if (Number.isInteger(attempts) && attempts > 0) config.maxAttempts = attempts;
  return config;
}

const clients = new Map<string, unknown>();

/** One client per configuration: credentials are resolved once, connections kept alive. */
export function cachedClient<C>(service: string, config: AwsClientConfig, make: () => C): C {
  const key = JSON.stringify([service, config.region, config.endpoint, config.profile, config.maxAttempts, config.credentials?.accessKeyId, config.credentials?.secretAccessKey, config.credentials?.sessionToken]);
  let client = clients.get(key) as C | undefined;
  if (!client) clients.set(key, (client = make()));
  return client;
}

/** What the backends send through: an SDK v3 client. */
interface AwsClient {
  send(command: never, options: { abortSignal: AbortSignal }): Promise<unknown>;
}

/** Sends one command per call under the context's timeout, the SDK's failure as a SecretError. */
export function awsSender(ref: SecretRef, ctx: SecretContext, client: AwsClient, service: string): <T>(operation: string, command: unknown) => Promise<T> {
  return async <T>(operation: string, command: unknown): Promise<T> => {
    try {
      return (await client.send(command as never, { abortSignal: AbortSignal.timeout(ctx.timeoutMs) })) as T;
    } catch (error) {
      throw awsFailure(ref, ctx, service, operation, error);
    }
  };
}

const NOT_FOUND = new Set(['ResourceNotFoundException', 'ParameterNotFound', 'ParameterVersionNotFound']);
const DENIED = /^(AccessDenied\w*|UnrecognizedClientException|InvalidSignatureException|SignatureDoesNotMatch|ExpiredToken\w*|InvalidClientTokenId|UnauthorizedOperation|KMSAccessDenied\w*)$/;
const THROTTLED = /^(Throttling\w*|ThrottledException|TooManyRequestsException|RequestLimitExceeded|ProvisionedThroughputExceeded\w*|SlowDown)$/;

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * The SDK's failure as a SecretError naming AWS's error code: not found, denied (including
 * credentials the chain could not find or AWS refused), throttled after the SDK's retries, the
 * endpoint unreachable, or otherwise failed. AWS's message is redacted like any store's.
 */
export function awsFailure(ref: SecretRef, ctx: SecretContext, service: string, operation: string, error: unknown): SecretError {
  const e = (error ?? {}) as SdkError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const attempts = e.$metadata?.attempts;
  const message = e.message ? ` [${e.message}]` : '';
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return new SecretError(ref, 'secret-access-denied', `no AWS credentials for ${operation} (${name})`, 'set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run aws sso login');
  }
  if (name === 'AbortError' || name === 'TimeoutError') return new SecretError(ref, 'secret-timeout', `no answer from ${service} within ${ctx.timeoutMs} ms`);
  const network = e.code ?? (error as { cause?: { code?: string } }).cause?.code;
  if (status === undefined && network && /^E[A-Z]+$/.test(network)) {
    return new SecretError(ref, 'secret-backend-failed', `cannot reach the ${service} endpoint (${network})`, 'check AWS_ENDPOINT_URL, the region and the network');
  }
  const answered = `${service} answered ${name}${status ? ` (HTTP ${status})` : ''} to ${operation}`;
  if (NOT_FOUND.has(name)) return new SecretError(ref, 'secret-not-found', `${answered}${message}`);
  if (DENIED.test(name)) return new SecretError(ref, 'secret-access-denied', `${answered}${message}`, 'check the AWS credentials and that their policy allows this secret');
  if (THROTTLED.test(name)) {
    return new SecretError(ref, 'secret-backend-failed', `${answered}, still after ${attempts ?? 'the SDK\'s'} attempts${message}`, 'AWS is throttling this account: run again later, or raise AWS_MAX_ATTEMPTS');
  }
  return new SecretError(ref, 'secret-backend-failed', `${answered}${message}`);
}
