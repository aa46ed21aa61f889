/**
 * `ref+pass://path[#/key]` through the `pass` CLI (and `ref+gopass://` through `gopass`, which
 * takes the same commands). As pass users expect, the secret is the entry's first line; with a
 * key, the whole entry is read as JSON or `NAME=value` lines. Existence is answered from the
 * store's folder (`path.gpg`), without decrypting; writes go through `insert` on stdin.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { BackendError, type BackendContext, type SecretBackend } from './backend.js';
import { runTool, toolOutput } from './run-tool.js';
import type { SecretRef } from '../../model/secret-refs.js';

const NOT_FOUND = /not in the password store|is not in|entry .* not found|does not exist/i;

function entry(ref: SecretRef): string {
  if (ref.path.split('/').includes('..') || ref.path.startsWith('-')) throw new BackendError(`${ref.text}: not a password-store entry name`, 'syntax');
  return ref.path.replace(/^\/+/, '');
}

export function createBackend(ctx: BackendContext, tool: 'pass' | 'gopass' = 'pass'): SecretBackend {
  return {
    async read(ref) {
      const text = await toolOutput(tool, ['show', entry(ref)], ctx, NOT_FOUND);
      return ref.key.length === 0 ? (text.split(/\r?\n/)[0] ?? '') : text;
    },
    async exists(ref) {
      if (tool === 'pass') {
        const store = ctx.env.PASSWORD_STORE_DIR ?? join(ctx.env.HOME ?? homedir(), '.password-store');
        return (await stat(resolve(store, `${entry(ref)}.gpg`)).catch(() => undefined))?.isFile() ?? false;
      }
      const run = await runTool(tool, ['list', '--flat'], ctx);
      if (run.code !== 0) throw new BackendError(`gopass list exited with ${run.code}`, `exit ${run.code}`);
      return run.stdout.split(/\r?\n/).includes(entry(ref));
    },
    async write(ref, secret) {
      const args = tool === 'pass' ? ['insert', '--multiline', '--force', entry(ref)] : ['insert', '--force', entry(ref)];
      await toolOutput(tool, args, ctx, NOT_FOUND, secret.endsWith('\n') ? secret : `${secret}\n`);
    },
  };
}
