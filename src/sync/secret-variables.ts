/**
 * Which secrets an environment's Terraform run gets, and as what: the `TF_VAR_<name>` variables
 * `tfsync exec` sets. Pure: the references are chosen here, read by the shell (src/io/secrets),
 * and the values put back here.
 *
 * A reference on a whole variable is its TF_VAR_ value as it is. References on key paths inside
 * one variable (`databases.main.password`) make one TF_VAR_databases: the variable's effective
 * value from the files with each secret leaf put in, as JSON (Terraform reads a complex TF_VAR_
 * value as HCL, and JSON is HCL).
 */
import { TfsyncError } from '../errors.js';
import { parseKeyPath, type PathPart } from '../hcl/key-path.js';
import { setProperty, type JsonValue } from '../hcl/evaluate.js';
import { stringifyJson } from '../hcl/json-text.js';
import type { EffectiveValue } from '../model/layers.js';
import { parseSecretRef, secretRefText, type SecretRef, type SecretReferences } from '../model/secret-ref.js';

export interface SecretVariable {
  /** The Terraform variable. */
  name: string;
  /** Its secrets by the `secrets` entry that names them (the variable, or a key path into it). */
  refs: Array<{ entry: string; parts: PathPart[]; ref: SecretRef }>;
}

/** The variables with a reference in `env` (and `stack`), in the order tfsync.json lists them. */
export function secretVariables(secrets: SecretReferences, env: string, stack?: string): SecretVariable[] {
  const byName = new Map<string, SecretVariable>();
  for (const entry of Object.keys(secrets)) {
    const text = secretRefText(secrets, entry, env, stack);
    if (text === undefined) continue;
    const { name, parts } = parseKeyPath(entry);
    if (parts.some((p) => p.kind === 'any')) {
      throw new TfsyncError(`secrets: "${entry}" has a wildcard: a reference is for one variable or one value inside it`, { code: 'config-invalid' });
    }
    const variable = byName.get(name) ?? { name, refs: [] };
    variable.refs.push({ entry, parts, ref: parseSecretRef(text) });
    byName.set(name, variable);
  }
  for (const v of byName.values()) {
    const whole = v.refs.find((r) => r.parts.length === 0);
    if (whole && v.refs.length > 1) {
      throw new TfsyncError(`secrets: "${v.name}" has a reference for the whole variable and for ${v.refs.find((r) => r !== whole)!.entry} inside it`, {
        code: 'config-invalid',
        hint: 'give either the whole variable or values inside it a reference, not both',
      });
    }
  }
  return [...byName.values()];
}

/**
 * `TF_VAR_<name>` for each variable: `values` holds each entry's secret (by entry), `effective`
 * the environment's values from its files (for key paths). No value appears in an error.
 */
export function tfVarValues(variables: readonly SecretVariable[], values: ReadonlyMap<string, string>, effective: readonly EffectiveValue[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of secretValues(variables, values, effective)) env[`TF_VAR_${name}`] = typeof value === 'string' ? value : stringifyJson(value);
  return env;
}

/**
 * Each variable's value with its secrets in: a whole variable's secret as the text it is, a
 * variable with key paths as its effective value with each secret leaf put in.
 */
export function secretValues(variables: readonly SecretVariable[], values: ReadonlyMap<string, string>, effective: readonly EffectiveValue[]): Map<string, JsonValue> {
  const out = new Map<string, JsonValue>();
  for (const v of variables) {
    const secret = (entry: string) => values.get(entry)!;
    if (v.refs.length === 1 && v.refs[0]!.parts.length === 0) {
      out.set(v.name, secret(v.refs[0]!.entry));
      continue;
    }
    const current = effective.find((e) => e.name === v.name);
    if (current?.computed) {
      throw new TfsyncError(`secrets: "${v.name}" is an expression tfsync does not evaluate (${current.origin?.file}:${current.origin?.line}), so the secrets inside it cannot be put in`, {
        code: 'secret-ref-invalid',
      });
    }
    // A copy: the effective values belong to the repository.
    let root: JsonValue = structuredClone(current?.value ?? {});
    for (const { entry, parts } of v.refs) root = putLeaf(root, parts, secret(entry), entry);
    out.set(v.name, root);
  }
  return out;
}

/**
 * Throws what secretValues would for the shape of the values (a leaf with no object to go into,
 * an expression), before any secret is read: a run that cannot use the secrets does not read them.
 */
export function checkSecretPlacement(variables: readonly SecretVariable[], effective: readonly EffectiveValue[]): void {
  const placeholders = new Map(variables.flatMap((v) => v.refs.map((r) => [r.entry, ''] as const)));
  secretValues(variables, placeholders, effective);
}

/** `root` with `value` at `parts`, making the objects on the way that the files do not have. */
function putLeaf(root: JsonValue, parts: readonly PathPart[], value: string, entry: string): JsonValue {
  const fail = (what: string): never => {
    throw new TfsyncError(`secrets: "${entry}" cannot be put into the variable's value: ${what}`, { code: 'secret-ref-invalid' });
  };
  const [part, ...rest] = parts;
  if (!part) return value;
  if (part.kind === 'key') {
    if (root === null || typeof root !== 'object' || Array.isArray(root)) return fail(`there is no object at "${part.key}"`);
    const obj = root as { [key: string]: JsonValue };
    setProperty(obj, part.key, putLeaf(Object.hasOwn(obj, part.key) ? obj[part.key]! : {}, rest, value, entry));
    return obj;
  }
  if (part.kind === 'index') {
    if (!Array.isArray(root) || part.index >= root.length) return fail(`there is no item [${part.index}]`);
    root[part.index] = putLeaf(root[part.index]!, rest, value, entry);
    return root;
  }
  return fail('a wildcard');
}
