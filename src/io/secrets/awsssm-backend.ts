/**
 * `ref+awsssm://PATH[?region=&profile=&version=][#/a/b]`: an AWS SSM Parameter Store parameter through
 * `@aws-sdk/client-ssm` (an optional peer dependency, imported only when a reference uses it).
 *
 * Names follow vals: a path without a leading `/` gets one (`ref+awsssm://myteam/db` is `/myteam/db`;
 * `ref+awsssm:///myteam/db` says the same). vals reads `PREFIX#/a/b` as the parameter `a/b` under the
 * prefix; tfsync reads that one parameter, `/PREFIX/a/b`, directly (GetParameter, not a listing of the
 * prefix). SecureString values are decrypted.
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError, type SecretBackend, type SecretContext } from './backend.js';
import { awsClientConfig, awsSender, cachedClient, importAwsPackage, loadAwsPackage, type AwsModuleLoader } from './aws-sdk.js';

type Sdk = typeof import('@aws-sdk/client-ssm');

const SERVICE = 'SSM';

/** The parameter's name: a leading `/` added as vals does, `#/a/b` appended as a sub-path. */
export function parameterName(ref: SecretRef): string {
  const base = ref.path.startsWith('/') ? ref.path : `/${ref.path}`;
  return ref.key.length === 0 ? base : `${base.replace(/\/+$/, '')}/${ref.key.join('/')}`;
}

export function createAwsSsmBackend(load: AwsModuleLoader = importAwsPackage): SecretBackend {
  async function connect(ref: SecretRef, ctx: SecretContext) {
    const sdk = await loadAwsPackage<Sdk>(ref, load, '@aws-sdk/client-ssm');
    const config = awsClientConfig(ref, ctx, 'SSM');
    const client = cachedClient('ssm', config, () => new sdk.SSMClient(config));
    return { sdk, send: awsSender(ref, ctx, client, SERVICE) };
  }

  /** The parameter's type, or undefined when it does not exist: DescribeParameters, which carries no value. */
  async function describe(ref: SecretRef, ctx: SecretContext): Promise<string | undefined> {
    const { sdk, send } = await connect(ref, ctx);
    const name = parameterName(ref);
    const out = await send<{ Parameters?: Array<{ Name?: string; Type?: string }> }>(
      'DescribeParameters',
      new sdk.DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }),
    );
    const found = out.Parameters?.find((p) => p.Name === name);
    return found ? (found.Type ?? 'String') : undefined;
  }

  return {
    name: 'awsssm',

    async read(ref, ctx) {
      const { sdk, send } = await connect(ref, ctx);
      const name = parameterName(ref);
      const out = await send<{ Parameter?: { Value?: string } }>(
        'GetParameter',
        new sdk.GetParameterCommand({ Name: ref.params['version'] ? `${name}:${ref.params['version']}` : name, WithDecryption: true }),
      );
      const value = out.Parameter?.Value;
      if (value === undefined) throw new SecretError(ref, 'secret-not-found', 'SSM answered without a value');
      return value;
    },

    async exists(ref, ctx) {
      return (await describe(ref, ctx)) !== undefined;
    },

    /** PutParameter with Overwrite: a new version, of the type the parameter has (SecureString for a new one). */
    async write(ref, value, ctx) {
      if (ref.params['version']) {
        throw new SecretError(ref, 'secret-not-writable', 'a reference pinned to a version cannot be written', 'drop ?version=: a write makes a new version');
      }
      const type = (await describe(ref, ctx)) ?? 'SecureString';
      const { sdk, send } = await connect(ref, ctx);
      await send(
        'PutParameter',
        new sdk.PutParameterCommand({ Name: parameterName(ref), Value: value, Type: type as 'String' | 'StringList' | 'SecureString', Overwrite: true }),
      );
    },
  };
}

export const awsSsmBackend = createAwsSsmBackend();
