/**
 * Each backend's module, imported the first time a reference uses it (and kept for the run), so
 * that a command touching no secret loads none of them, and one using pass loads no AWS SDK.
 */
import type { BackendName } from '../../model/secret-refs.js';
import type { BackendContext, SecretBackend } from './backend.js';

const loaders: Record<BackendName, (ctx: BackendContext) => Promise<SecretBackend>> = {
  awssecrets: async (ctx) => (await import('./awssecrets.js')).createBackend(ctx),
  awsssm: async (ctx) => (await import('./awsssm.js')).createBackend(ctx),
  vault: async (ctx) => (await import('./vault.js')).createBackend(ctx),
  op: async (ctx) => (await import('./op.js')).createBackend(ctx),
  sops: async (ctx) => (await import('./sops.js')).createBackend(ctx),
  file: async (ctx) => (await import('./file.js')).createBackend(ctx),
  envsubst: async (ctx) => (await import('./envsubst.js')).createBackend(ctx),
  pass: async (ctx) => (await import('./pass.js')).createBackend(ctx, 'pass'),
  gopass: async (ctx) => (await import('./pass.js')).createBackend(ctx, 'gopass'),
  age: async (ctx) => (await import('./age.js')).createBackend(ctx),
};

/** The backends of one run, each made once. */
export class Backends {
  private readonly made = new Map<BackendName, Promise<SecretBackend>>();
  constructor(readonly ctx: BackendContext) {}

  get(name: BackendName): Promise<SecretBackend> {
    let backend = this.made.get(name);
    if (!backend) this.made.set(name, (backend = loaders[name](this.ctx)));
    return backend;
  }
}
