/**
 * Writing one `#/a/b` field of a structured secret (a Vault secret's data, a JSON secret in AWS
 * Secrets Manager): the other fields are kept, maps are made on the way, and a path that runs
 * through a value that is not a map is refused rather than overwritten.
 */
import type { SecretRef } from '../../model/secret-ref.js';
import { SecretError } from './backend.js';

/** `data` with `value` at the reference's key path (mutated and returned). */
export function setKeyPath(ref: SecretRef, data: Record<string, unknown>, value: string): Record<string, unknown> {
  let node = data;
  for (const key of ref.key.slice(0, -1)) {
    const next = node[key];
    if (next === undefined) node = node[key] = {};
    else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
    else throw new SecretError(ref, 'secret-not-writable', `the secret's key "${key}" is not a map`);
  }
  node[ref.key.at(-1)!] = value;
  return data;
}
