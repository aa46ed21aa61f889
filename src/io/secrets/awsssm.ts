/**
 * `ref+awsssm://PATH/TO/PARAM[?region=]#/key`: an SSM Parameter Store parameter through
 * @aws-sdk/client-ssm (an optional peer dependency), read with decryption. As in vals, the name is
 * the path with a leading `/`. Existence is DescribeParameters (no value); a write is a
 * SecureString PutParameter with Overwrite.
 */
import type { SecretRef } from '../../model/secret-refs.js';
import type { BackendContext, SecretBackend } from './backend.js';
import { awsFailure, clientOptions, importSdk } from './aws-client.js';

const PACKAGE = '@aws-sdk/client-ssm';
const NOT_FOUND = ['ParameterNotFound', 'ParameterVersionNotFound'];

const nameOf = (ref: SecretRef) => `/${ref.path.replace(/^\/+/, '')}`;

export function createBackend(ctx: BackendContext): SecretBackend {
  const sdk = () => importSdk(PACKAGE, () => import('@aws-sdk/client-ssm'));
  const withClient = async <T>(ref: SecretRef, fn: (m: Awaited<ReturnType<typeof sdk>>, client: InstanceType<Awaited<ReturnType<typeof sdk>>['SSMClient']>) => Promise<T>): Promise<T> => {
    const m = await sdk();
    const client = new m.SSMClient(clientOptions(ref, ctx, 'SSM'));
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
        const out = await client.send(new m.GetParameterCommand({ Name: nameOf(ref), WithDecryption: true }));
        return out.Parameter?.Value ?? '';
      }),
    exists: (ref) =>
      withClient(ref, async (m, client) => {
        const out = await client.send(
          new m.DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [nameOf(ref)] }] }),
        );
        return (out.Parameters ?? []).some((p) => p.Name === nameOf(ref));
      }),
    write: (ref, secret) =>
      withClient(ref, async (m, client) => {
        await client.send(new m.PutParameterCommand({ Name: nameOf(ref), Value: secret, Type: 'SecureString', Overwrite: true }));
      }),
  };
}
