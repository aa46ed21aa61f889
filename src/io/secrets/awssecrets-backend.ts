/**
 * `ref+awssecrets://NAME[?region=&version_stage=&version_id=&profile=][#/key]`: AWS Secrets Manager
 * through `@aws-sdk/client-secrets-manager` (an optional peer dependency, imported only here and only
 * when a reference uses it). NAME is the secret's name or ARN, as vals takes it. With `#/key` the
 * secret string is JSON and the key is one of its fields.
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { jsonObject, pickKey, SecretError, type SecretBackend, type SecretContext } from './backend.js';
import { awsClientConfig, awsSender, cachedClient, importAwsPackage, loadAwsPackage, type AwsModuleLoader } from './aws-sdk.js';
import { setKeyPath } from './set-key.js';

type Sdk = typeof import('@aws-sdk/client-secrets-manager');

const SERVICE = 'Secrets Manager';

export function createAwsSecretsBackend(load: AwsModuleLoader = importAwsPackage): SecretBackend {
  async function connect(ref: SecretRef, ctx: SecretContext) {
    const sdk = await loadAwsPackage<Sdk>(ref, load, '@aws-sdk/client-secrets-manager');
    const config = awsClientConfig(ref, ctx, 'SECRETS_MANAGER');
    const client = cachedClient('secretsmanager', config, () => new sdk.SecretsManagerClient(config));
    return { sdk, send: awsSender(ref, ctx, client, SERVICE) };
  }

  /** The secret string of the version asked (AWSCURRENT unless `version_stage`/`version_id` say otherwise). */
  async function secretString(ref: SecretRef, ctx: SecretContext): Promise<string> {
    const { sdk, send } = await connect(ref, ctx);
    const out = await send<{ SecretString?: string; SecretBinary?: Uint8Array }>(
      'GetSecretValue',
      new sdk.GetSecretValueCommand({
        SecretId: ref.path,
        ...(ref.params['version_stage'] ? { VersionStage: ref.params['version_stage'] } : {}),
        ...(ref.params['version_id'] ? { VersionId: ref.params['version_id'] } : {}),
      }),
    );
    if (out.SecretString !== undefined) return out.SecretString;
    if (out.SecretBinary !== undefined) return Buffer.from(out.SecretBinary).toString('utf8');
    throw new SecretError(ref, 'secret-not-found', 'the secret has neither a SecretString nor a SecretBinary');
  }

  return {
    name: 'awssecrets',

    async read(ref, ctx) {
      const text = await secretString(ref, ctx);
      if (ref.key.length === 0) return text;
      return pickKey(ref, jsonObject(text));
    },

    /** DescribeSecret: the secret's metadata, no value. A secret scheduled for deletion does not exist; `#/key` is not checked. */
    async exists(ref, ctx) {
      const { sdk, send } = await connect(ref, ctx);
      try {
        const out = await send<{ DeletedDate?: Date }>('DescribeSecret', new sdk.DescribeSecretCommand({ SecretId: ref.path }));
        return out.DeletedDate === undefined;
      } catch (error) {
        if ((error as SecretError).options?.code === 'secret-not-found') return false;
        throw error;
      }
    },

    /**
     * PutSecretValue (a new AWSCURRENT version), or CreateSecret when there is no secret of that
     * name yet. With `#/key`: the current JSON is read, the key set, the whole put back. Secrets
     * Manager has no check-and-set: a change made between the read and the put is overwritten.
     */
    async write(ref, value, ctx) {
      if (ref.params['version_id'] || ref.params['version_stage']) {
        throw new SecretError(ref, 'secret-not-writable', 'a reference pinned to a version cannot be written', 'drop version_id/version_stage: writes make the AWSCURRENT version');
      }
      let text = value;
      if (ref.key.length > 0) {
        let current: Record<string, unknown> = {};
        try {
          const existing = await secretString(ref, ctx);
          const parsed = jsonObject(existing);
          if (parsed === undefined) throw new SecretError(ref, 'secret-not-writable', 'the secret is not a JSON object, so #/key cannot be set in it');
          current = parsed;
        } catch (error) {
          if ((error as SecretError).options?.code !== 'secret-not-found') throw error;
        }
        text = JSON.stringify(setKeyPath(ref, current, value));
      }
      const { sdk, send } = await connect(ref, ctx);
      try {
        await send('PutSecretValue', new sdk.PutSecretValueCommand({ SecretId: ref.path, SecretString: text }));
      } catch (error) {
        if ((error as SecretError).options?.code !== 'secret-not-found') throw error;
        await send('CreateSecret', new sdk.CreateSecretCommand({ Name: ref.path, SecretString: text }));
      }
    },
  };
}

export const awsSecretsBackend = createAwsSecretsBackend();
