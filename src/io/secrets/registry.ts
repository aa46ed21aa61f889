/**
 * The backends by name, each imported only when a reference uses it: a command that resolves no
 * secret loads none of them (and none of the AWS SDK), and keeps its start-up time.
 */
import type { SecretBackendName } from '../../model/secret-ref.js';
import type { SecretBackend } from './backend.js';

// Partial while the backends land one by one; every name of SECRET_BACKENDS gets its loader.
const loaders: Partial<Record<SecretBackendName, () => Promise<SecretBackend>>> = {
  envsubst: async () => (await import('./envsubst-backend.js')).envsubstBackend,
  pass: async () => (await import('./pass-backend.js')).passBackend,
  gopass: async () => (await import('./pass-backend.js')).gopassBackend,
  age: async () => (await import('./age-backend.js')).ageBackend,
  file: async () => (await import('./file-backend.js')).fileBackend,
};

const loaded = new Map<SecretBackendName, Promise<SecretBackend>>();

export function loadBackend(name: SecretBackendName): Promise<SecretBackend> {
  let backend = loaded.get(name);
  if (!backend) loaded.set(name, (backend = loaders[name]!()));
  return backend;
}
