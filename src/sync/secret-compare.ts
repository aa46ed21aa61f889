/**
 * Whether environments hold the same secret, decided without showing one: `diff` and promotion
 * compare keyed fingerprints (HMAC-SHA256 under a key made fresh for each run, src/cli/secret-
 * fingerprints.ts), never values. Pure: which value each environment gives Terraform (a file's,
 * else its reference's, else a default), and what the fingerprints say.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { valueAt } from '../hcl/path-locate.js';
import { secretEntryPath, secretRefText, type SecretReferences } from '../model/secret-ref.js';
import type { DiffValue, EnvironmentDiff } from './diff.js';

/**
 * Where one environment's value comes from. A file beats a reference (Terraform's `-var-file` beats
 * the `TF_VAR_` that `exec` sets), and a reference beats the declaration's default.
 */
export type SecretSource = { kind: 'value'; value: JsonValue } | { kind: 'reference'; reference: string } | { kind: 'none' };

export type SecretCompareStatus = 'same' | 'differs' | 'missing' | 'error';

export interface SecretComparison {
  variable: string;
  /** Syncable: promotion copies it, and a difference counts for `diff --detailed-exitcode`. */
  syncable: boolean;
  status: SecretCompareStatus;
  /** For `missing`: the environments with no value (no reference, or the store has none), in order. */
  missingIn?: string[];
  /** For `error`: the code of the first store that failed. */
  code?: string;
}

/** One fingerprint, or why there is none: `missing` (the store has no such secret), or an error code. */
export type Fingerprint = { hmac: string } | { missing: true } | { code: string };

/** The sources of one sensitive variable in each environment, in the diff's order. */
export interface SecretSources {
  variable: string;
  syncable: boolean;
  sources: SecretSource[];
}

/**
 * What diff compares by fingerprint: each sensitive variable with a reference in at least one of
 * the environments (a variable every environment sets in a file is compared by the sections, as
 * ever), and each value inside a variable a key-path entry gives a reference
 * (`databases.main.password`), labelled by its path. `@shared` and the other `@` layers have no
 * references of their own. In `secrets` order for key paths, by name for variables.
 */
export function secretSources(diff: EnvironmentDiff, references: SecretReferences): SecretSources[] {
  const refOf = (entry: string, env: string) => (env.startsWith('@') ? undefined : secretRefText(references, entry, env, diff.stack));
  const whole = diff.variables
    .filter((v) => v.sensitive && diff.environments.some((env) => refOf(v.name, env) !== undefined))
    .map((v) => ({ variable: v.name, syncable: v.class === 'syncable', sources: diff.environments.map((env) => sourceOf(v.values[env]!, refOf(v.name, env))) }));
  const byName = new Map(diff.variables.map((v) => [v.name, v]));
  const inside = Object.keys(references).flatMap((entry) => {
    const path = secretEntryPath(entry);
    const v = path && path.parts.length > 0 ? byName.get(path.name) : undefined;
    if (!v || !diff.environments.some((env) => refOf(entry, env) !== undefined)) return [];
    const sources = diff.environments.map((env) => {
      const value = v.values[env]!;
      return sourceOf({ ...value, value: valueAt(value.value, path!.parts) }, refOf(entry, env));
    });
    return [{ variable: entry, syncable: v.class === 'syncable', sources }];
  });
  return [...whole, ...inside];
}

/** A value (or a leaf of one) as Terraform gets it under exec: a file's beats a reference, a reference a default. */
function sourceOf(entry: Pick<DiffValue, 'value' | 'origin'>, reference: string | undefined): SecretSource {
  const inFile = entry.origin !== null && entry.origin.layer !== 'default' && entry.value !== undefined;
  if (inFile) return { kind: 'value', value: entry.value! };
  if (reference !== undefined) return { kind: 'reference', reference };
  return entry.value !== undefined ? { kind: 'value', value: entry.value } : { kind: 'none' };
}

/** What the fingerprints of one variable in each environment say. */
export function compareFingerprints(environments: readonly string[], sources: SecretSources, prints: readonly Fingerprint[]): SecretComparison {
  const base = { variable: sources.variable, syncable: sources.syncable };
  const failed = prints.find((p): p is { code: string } => 'code' in p);
  if (failed) return { ...base, status: 'error', code: failed.code };
  const missingIn = environments.filter((_, i) => 'missing' in prints[i]!);
  if (missingIn.length > 0) return { ...base, status: 'missing', missingIn };
  const first = (prints[0] as { hmac: string }).hmac;
  return { ...base, status: prints.every((p) => (p as { hmac: string }).hmac === first) ? 'same' : 'differs' };
}

/** The text a value is fingerprinted as: a string as Terraform gets it from `TF_VAR_`, anything else as JSON. */
export function fingerprintText(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
