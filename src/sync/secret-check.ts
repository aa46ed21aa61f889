/**
 * `tfsync check` and secrets, the pure decisions: which sensitive variables of an environment need
 * a reference (Terraform needs them and no file gives them), which references to ask the stores
 * about, what each answer means, and which sensitive values sit in plain text in a values file.
 * The shell (src/cli/commands/check.ts) asks the stores (existence only, never a value) and runs
 * `git ls-files`; nothing here touches a store or a file.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { formatKeyPath, type PathPart } from '../hcl/key-path.js';
import { pathLines } from '../hcl/path-position.js';
import type { TfvarsDocument } from '../hcl/tfvars.js';
import type { Classification } from '../model/classify.js';
import type { EffectiveValue } from '../model/layers.js';
import { ruleCovers } from '../model/path-rules.js';
import { secretRefText, type SecretReferences } from '../model/secret-ref.js';
import type { CheckResult, EnvironmentCheck } from './check.js';

/**
 * `ok`: the store has it. `missing-reference`: Terraform needs it and tfsync.json has no reference.
 * `missing`: the store says it is not there. `not-checked`: the store cannot tell without the value
 * (which check never reads). `error`: the store could not be asked (credentials, network); `code`
 * says why.
 */
export type SecretStatus = 'ok' | 'missing-reference' | 'missing' | 'not-checked' | 'error';

export interface SecretCheck {
  variable: string;
  /** The reference with `{env}`/`{stack}` filled in; absent for `missing-reference`. */
  reference?: string;
  status: SecretStatus;
  /** For `error`: the error code (secret-access-denied, secret-timeout, ...). */
  code?: string;
  /** Where the variable is declared: where an annotation about a missing reference points. */
  declaration?: { file: string; line: number };
}

/** A sensitive value written in a values file tfsync reads (and git tracks, in a git work tree). */
export interface PlaintextSecret {
  /** The variable, or the key path of the leaf (`databases.api.password`). */
  variable: string;
  file: string;
  line: number;
}

/** Whether a finding is drift: Terraform would not get the value. */
export function secretDrifts(s: SecretCheck): boolean {
  return s.status === 'missing' || s.status === 'missing-reference';
}

/**
 * The references one environment's check asks about, and the sensitive variables it needs and has
 * no reference for. Needed: sensitive, required (declared without a default, not `external`) and
 * set by no layer. Every other reference that applies to the environment is asked about too: `exec`
 * resolves every one of them and fails on a missing one. `references` keys may be key paths; one
 * applies where its variable is known.
 */
export function secretsToCheck(values: readonly EffectiveValue[], references: SecretReferences, environment: string, stack: string | undefined, declarations: ReadonlyMap<string, { file: string; line: number }>): SecretCheck[] {
  const known = new Set(values.map((v) => v.name));
  const out: SecretCheck[] = [];
  const declaration = (name: string) => {
    const d = declarations.get(name);
    return d ? { declaration: { file: d.file, line: d.line } } : {};
  };
  const applying = Object.keys(references)
    .sort()
    .flatMap((key) => {
      const reference = secretRefText(references, key, environment, stack);
      return reference === undefined || !known.has(rootName(key)) ? [] : [{ key, reference }];
    });
  // A reference on a key path inside the variable supplies it too (exec builds its value).
  const supplied = new Set(applying.map((a) => rootName(a.key)));
  for (const v of values) {
    if (v.sensitive && v.required && !v.unknown && !supplied.has(v.name)) out.push({ variable: v.name, status: 'missing-reference', ...declaration(v.name) });
  }
  for (const { key, reference } of applying) out.push({ variable: key, reference, status: 'not-checked', ...declaration(rootName(key)) });
  return out.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
}

/** The variable a `secrets` key names: itself, or the first step of a key path. */
export function rootName(key: string): string {
  return /^[^.[]*/.exec(key)![0];
}

/** What a store's answer (or failure) to "does it exist?" makes of a finding. */
export function answered(s: SecretCheck, answer: { exists: boolean | undefined } | { code: string }): SecretCheck {
  if ('code' in answer) return { ...s, status: 'error', code: answer.code };
  return { ...s, status: answer.exists === undefined ? 'not-checked' : answer.exists ? 'ok' : 'missing' };
}

/**
 * The check with each environment's secret findings in: a required variable a reference supplies
 * is no longer `missing` (exec gives it to Terraform), nor is one reported as needing a reference
 * (said once, as the more specific finding), and a missing reference or secret puts the
 * environment out of step. `plaintext` is carried for the renderers; it is a warning, never drift.
 */
export function withSecrets(result: CheckResult, secrets: ReadonlyMap<EnvironmentCheck, SecretCheck[]>, plaintext: PlaintextSecret[], strict: boolean): CheckResult {
  const environments = result.environments.map((env) => {
    const found = secrets.get(env) ?? [];
    if (found.length === 0) return env;
    // Supplied by a reference, or reported as needing one: either way a secret finding, not `missing`.
    const supplied = new Set(found.map((s) => rootName(s.variable)));
    return { ...env, missing: env.missing.filter((m) => !supplied.has(m.name)), secrets: found };
  });
  const inStep = environments.every((e) => e.drift.length === 0 && e.missing.length === 0 && !(e.secrets ?? []).some(secretDrifts));
  return { ...result, inStep, environments, plaintext, strict };
}

/** Whether some store could not be asked: the check is incomplete (exit 1). */
export function secretErrors(result: CheckResult): SecretCheck[] {
  return result.environments.flatMap((e) => (e.secrets ?? []).filter((s) => s.status === 'error'));
}

/**
 * The sensitive values a values file writes in plain text, each with its line: a whole sensitive
 * variable, or (for `sensitive` entries with key paths) each leaf they cover. `null` and `""` are
 * no secret (a placeholder says "not here"), and a computed value (a Terragrunt expression) is not
 * a value at all.
 */
export function plaintextSecrets(doc: TfvarsDocument, file: string, classificationOf: (name: string) => Classification): PlaintextSecret[] {
  const out: PlaintextSecret[] = [];
  for (const a of doc.attributes) {
    const c = classificationOf(a.name);
    if (!c.sensitive || a.computed) continue;
    if (!c.sensitivePaths) {
      if (holdsValue(a.value)) out.push({ variable: a.name, file, line: a.line });
      continue;
    }
    const line = pathLines(doc, a);
    for (const parts of leaves(a.value, [])) {
      if (c.sensitivePaths.some((r) => ruleCovers(r, parts))) out.push({ variable: formatKeyPath({ name: a.name, parts }), file, line: line(parts) });
    }
  }
  return out;
}

function holdsValue(value: JsonValue): boolean {
  return value !== null && value !== '';
}

/** Every scalar leaf of a value that holds something, with its path and its label (`a.b[0]`). */
function leaves(value: JsonValue, parts: PathPart[]): PathPart[][] {
  if (Array.isArray(value)) return value.flatMap((v, index) => leaves(v, [...parts, { kind: 'index', index }]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, v]) => leaves(v, [...parts, { kind: 'key', key }]));
  return holdsValue(value) ? [parts] : [];
}
