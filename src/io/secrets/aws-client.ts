/**
 * The AWS SDK v3 clients are optional peer dependencies: imported only when a reference uses
 * them, with a message naming the package to install when it is absent. They take their usual
 * credential chain, region and AWS_ENDPOINT_URL from the environment; the reference's `region`
 * wins over AWS_REGION, as in vals.
 */
import { redact, type SecretRef } from '../../model/secret-refs.js';
import { BackendError, type BackendContext } from './backend.js';

export async function importSdk<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new BackendError(`${name} is not installed: run \`npm install ${name}\` to use this backend`, 'not-installed');
    }
    throw error;
  }
}

/**
 * Client options from tfsync's environment (which tests set apart from process.env): region
 * (the reference's first), endpoint (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, as the
 * SDK reads them), static keys when set (else the SDK's own chain), attempts, timeouts.
 */
export function clientOptions(ref: SecretRef, ctx: BackendContext, service: 'SECRETS_MANAGER' | 'SSM'): Record<string, unknown> {
  const env = ctx.env;
  const region = ref.params['region'] ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const endpoint = env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN }
      : undefined;
  const attempts = Number(env.AWS_MAX_ATTEMPTS);
  return {
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(credentials ? { credentials } : {}),
    ...(attempts > 0 ? { maxAttempts: attempts } : {}),
    requestHandler: { requestTimeout: ctx.timeoutMs, connectionTimeout: ctx.timeoutMs },
  };
}

/** An SDK error as the reference and AWS's own error code (AccessDeniedException, ThrottlingException, ...). */
export function awsFailure(ref: SecretRef, error: unknown, notFoundCodes: readonly string[]): BackendError {
  if (error instanceof BackendError) return error;
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const code = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  return new BackendError(`${ref.text}: ${code}${status ? ` (HTTP ${status})` : ''}: ${redact(e.message ?? '')}`, code, notFoundCodes.includes(code));
}
