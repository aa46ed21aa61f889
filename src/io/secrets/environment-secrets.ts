/** The references of one environment, from tfsync.json's `secrets` (the shell's entry to secret-refs.ts). */
import type { Config } from '../../model/config.js';
import { referencesOf } from '../../model/secret-refs.js';
import type { NamedRef } from './resolve.js';

/** `stack` stays empty until stacks exist (issue 11); `{stack}` then resolves to nothing. */
export function environmentRefs(config: Config, env: string, stack?: string): NamedRef[] {
  return referencesOf(config.secrets, { env, stack });
}
