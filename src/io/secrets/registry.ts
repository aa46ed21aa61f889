/**
 * The backends by name, each imported only when a reference uses it: a command that resolves no
 * secret loads none of them (and none of the AWS SDK), and keeps its start-up time.
 */
import type { SecretBackendName } from '../../model/secret-ref.js';
import type { SecretBackend } from './backend.js';

// A Record over every name: a backend added to SECRET_BACKENDS without a loader does not compile.
const loaders: Record<SecretBackendName, () => Promise<SecretBackend>> = {
  envsubst: async () => (await import('./envsubst-backend.js')).envsubstBackend,
  file: async () => (await import('./file-backend.js')).fileBackend,
  pass: async () => (await import('./pass-backend.js')).passBackend,
  gopass: async () => (await import('./pass-backend.js')).gopassBackend,
  age: async () => (await import('./age-backend.js')).ageBackend,
  vault: async () => (await import('./vault-backend.js')).vaultBackend,
  awssecrets: async () => (await import('./awssecrets-backend.js')).awsSecretsBackend,
  awsssm: async () => (await import('./awsssm-backend.js')).awsSsmBackend,
  op: async () => (await import('./op-backend.js')).opBackend,
  sops: async () => (await import('./sops-backend.js')).sopsBackend,
};

const loaded = new Map<SecretBackendName, Promise<SecretBackend>>();

export function loadBackend(name: SecretBackendName): Promise<SecretBackend> {
  let backend = loaded.get(name);
  if (!backend) loaded.set(name, (backend = loaders[name]()));
  return backend;
}
