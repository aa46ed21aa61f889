/**
 * Promotion and secrets, the pure part: which secrets `promote SRC DST` (and `backport`) copies
 * from SRC's store to DST's, what the plan says of each, and what a user must do by hand where
 * DST's store cannot be written by tfsync. The shell (src/cli/promote-secrets.ts) asks the stores.
 *
 * A secret is copied for a selected syncable sensitive variable with a reference in both
 * environments, when SRC gives Terraform the secret (no file of SRC sets the variable: a file's
 * value is promoted as a value, by the file plan) and the two references differ; and so is one
 * a key-path entry gives a value inside a selected variable (`databases.main.password`), unless
 * SRC's file sets that value.
 */
import { valueAt } from '../hcl/path-locate.js';
import type { EffectiveValue } from '../model/layers.js';
import { parseSecretRef, secretEntryPath, secretRefText, type SecretReferences } from '../model/secret-ref.js';
import type { Plan } from './plan.js';

/**
 * What the stores said, before anything is written. `differs`, `same`, `missing-in-target` by
 * fingerprint; with --dry-run (existence only, never a value) `not-compared` or `missing-in-target`;
 * `missing-in-source`: SRC's store has no such secret, nothing to copy; `error`: a store failed.
 */
export type SecretCopyState = 'differs' | 'same' | 'missing-in-target' | 'missing-in-source' | 'not-compared' | 'error';

export interface SecretCopy {
  variable: string;
  /** SRC's reference and DST's, placeholders filled in. */
  from: string;
  to: string;
  state: SecretCopyState;
  /** For `error`: the store's error code. */
  code?: string;
  /** DST's backend has write(): tfsync copies it; else the plan says what to do by hand. */
  writable: boolean;
}

/** What the promotion does with one secret: copy it, nothing (the same, or nothing to copy), or leave it to the user. */
export function copyAction(copy: SecretCopy): 'copy' | 'none' | 'manual' {
  if (copy.state === 'same' || copy.state === 'missing-in-source' || copy.state === 'error') return 'none';
  return copy.writable ? 'copy' : 'manual';
}

/**
 * The copies the plan calls for, before the stores are asked (`state` not-compared, `writable`
 * false until the shell knows). `sourceValues` are SRC's effective values.
 */
export function plannedCopies(plan: Plan, references: SecretReferences, sourceValues: readonly EffectiveValue[], stack?: string): SecretCopy[] {
  if (plan.source.startsWith('@') || plan.target.startsWith('@')) return [];
  const byName = new Map(sourceValues.map((v) => [v.name, v]));
  const copies: SecretCopy[] = [];
  for (const name of plan.variables) {
    const v = byName.get(name);
    if (!v?.sensitive) continue;
    // A file of SRC sets it: Terraform gets that value, and the file plan promotes it.
    if (v.origin !== null && v.origin.layer !== 'default') continue;
    const from = secretRefText(references, name, plan.source, stack);
    const to = secretRefText(references, name, plan.target, stack);
    if (from === undefined || to === undefined || from === to) continue;
    copies.push({ variable: name, from, to, state: 'not-compared', writable: false });
  }
  // Values inside a selected variable that key-path entries give references (`databases.main.password`).
  const selected = new Set(plan.variables);
  for (const entry of Object.keys(references)) {
    const path = secretEntryPath(entry);
    if (path === undefined || path.parts.length === 0 || !selected.has(path.name)) continue;
    const v = byName.get(path.name);
    // SRC's file sets the value itself: the file plan promotes it.
    if (v?.origin && v.origin.layer !== 'default' && valueAt(v.value, path.parts) !== undefined) continue;
    const from = secretRefText(references, entry, plan.source, stack);
    const to = secretRefText(references, entry, plan.target, stack);
    if (from === undefined || to === undefined || from === to) continue;
    copies.push({ variable: entry, from, to, state: 'not-compared', writable: false });
  }
  return copies;
}

/**
 * What to do by hand where tfsync cannot write DST's store: a command or a step, never the value
 * (the user fetches it from SRC's store themselves).
 */
export function manualCopyHint(copy: Pick<SecretCopy, 'from' | 'to'>, target: string): string {
  const to = parseSecretRef(copy.to);
  const from = parseSecretRef(copy.from);
  const variable = (path: string) => path.replace(/[${}]/g, '');
  const fetch = from.backend === 'envsubst' ? `the value of ${variable(from.path)}` : `the value of ${copy.from}`;
  switch (to.backend) {
    case 'envsubst':
      return `set the environment variable ${variable(to.path)} to ${fetch} where ${target}'s commands run`;
    case 'file':
    case 'age':
    case 'sops':
      return `put ${fetch} into ${to.path}${to.key.length > 0 ? ` at key ${to.key.join('/')}` : ''}${to.backend === 'file' ? '' : `, encrypted (${to.backend === 'age' ? 'age -e -R RECIPIENTS' : `sops edit ${to.path}`})`}`;
    case 'op':
      return `store ${fetch} in 1Password at op://${to.path} (op item edit)`;
    default:
      return `store ${fetch} at ${copy.to} with ${to.backend}'s own tool`;
  }
}
