/**
 * `ref+awssecrets://SECRET_ID[?region=&version_stage=&version_id=]#/key`: AWS Secrets Manager
 * through @aws-sdk/client-secrets-manager (an optional peer dependency). SECRET_ID is a name or
 * an ARN, as in vals. Existence is DescribeSecret, which returns no value; a write is
 * PutSecretValue, or CreateSecret for a secret that does not exist yet.
 */
import type { SecretRef } from '../../model/secret-refs.js';
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import { awsFailure, clientOptions, importSdk } from './aws-client.js';

const PACKAGE = '@aws-sdk/client-secrets-manager';
const NOT_FOUND = ['ResourceNotFoundException'];

export function createBackend(ctx: BackendContext): SecretBackend {
  const sdk = () => importSdk(PACKAGE, () => import('@aws-sdk/client-secrets-manager'));
  const withClient = async <T>(ref: SecretRef, fn: (m: Awaited<ReturnType<typeof sdk>>, client: InstanceType<Awaited<ReturnType<typeof sdk>>['SecretsManagerClient']>) => Promise<T>): Promise<T> => {
    const m = await sdk();
    const client = new m.SecretsManagerClient(clientOptions(ref, ctx, 'SECRETS_MANAGER'));
    try {
      return await fn(m, client);
    } catch (error) {
      throw awsFailure(ref, error, NOT_FOUND);
    } finally {
      client.destroy();
    }
  };
  return {
    read: (ref) =>
      withClient(ref, async (m, client) => {
        const out = await client.send(
          new m.GetSecretValueCommand({ SecretId: ref.path, VersionStage: ref.params['version_stage'], VersionId: ref.params['version_id'] }),
        );
        if (out.SecretString !== undefined) return out.SecretString;
        if (out.SecretBinary !== undefined) return Buffer.from(out.SecretBinary).toString('utf8');
        throw new BackendError(`${ref.text}: the secret has no value`, 'no-value', true);
      }),
    exists: (ref) =>
      withClient(ref, async (m, client) => {
        try {
          const out = await client.send(new m.DescribeSecretCommand({ SecretId: ref.path }));
          return out.DeletedDate === undefined;
        } catch (error) {
          if ((error as { name?: string }).name === 'ResourceNotFoundException') return false;
          throw error;
        }
      }),
    write: (ref, secret) =>
      withClient(ref, async (m, client) => {
        try {
          await client.send(new m.PutSecretValueCommand({ SecretId: ref.path, SecretString: secret }));
        } catch (error) {
          if ((error as { name?: string }).name !== 'ResourceNotFoundException') throw error;
          await client.send(new m.CreateSecretCommand({ Name: ref.path, SecretString: secret }));
        }
      }),
  };
}
