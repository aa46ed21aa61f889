/**
 * `tfsync check --json`: `{ inStep, reference, sharedFile, environments: [ { environment, file, drift, missing } ] }`.
 * A map that drifts in some leaves has `paths`: one `{ path, status, sensitive, shared, value }`
 * per leaf, `status` "different", "only-shared" or "only-environment", `value.origin` the line of
 * the environment's file that sets the leaf (or the object that lacks it).
 * Every environment checked is listed, in step or not; values go through maskValue, and "no value"
 * is `"value": null, "origin": null` (a real null always has an origin), as in render/json.ts.
 * `secrets`: one `{ environment, stack?, variable, reference, status, code? }` per reference an
 * environment needs or has (secret-check.ts; `reference` null for "missing-reference"), never a
 * value; `plaintext`: `{ variable, file, line }` per sensitive value written in a tracked file.
 */
import { formatKeyPath } from '../../hcl/key-path.js';
import type { JsonValue } from '../../hcl/evaluate.js';
import { jsonOrigin } from './json.js';
import { stringifyJson } from '../../hcl/json-text.js';
import type { CheckResult, CheckValue } from '../../sync/check.js';
import { maskValue } from '../../sync/mask.js';

export function renderCheckJson(result: CheckResult, { showSensitive }: { showSensitive: boolean }): string {
  const side = (side: CheckValue, sensitive: boolean) => ({
    value: maskValue(side.value, sensitive, showSensitive) ?? null,
    origin: jsonOrigin(side.origin),
  });
  const doc = {
    inStep: result.inStep,
    // "environments": no shared file yet, so each value was compared with the other environments'.
    reference: result.reference,
    ...(result.shared ? { sharedFile: result.shared } : {}),
    environments: result.environments.map((env) => ({
      ...(env.stack !== undefined ? { stack: env.stack } : {}),
      environment: env.environment,
      file: env.file,
      drift: env.drift.map((d) => ({
        name: d.name,
        sensitive: d.sensitive,
        shared: side(d.shared, d.sensitive),
        value: side(d.value, d.sensitive),
        ...(d.leaves.length > 0
          ? {
              paths: d.leaves.map((leaf) => ({
                path: formatKeyPath(leaf.path),
                status: leafStatus(leaf.shared, leaf.value),
                sensitive: leaf.sensitive,
                shared: { value: maskValue(leaf.shared, leaf.sensitive, showSensitive) ?? null },
                value: { value: maskValue(leaf.value, leaf.sensitive, showSensitive) ?? null, origin: { file: d.value.origin!.file, line: leaf.line } },
              })),
            }
          : {}),
      })),
      missing: env.missing.map((m) => ({ name: m.name, declaration: { file: m.declaration.file, line: m.declaration.line } })),
    })),
    secrets: result.environments.flatMap((env) =>
      (env.secrets ?? []).map((s) => ({
        environment: env.environment,
        ...(env.stack !== undefined ? { stack: env.stack } : {}),
        variable: s.variable,
        reference: s.reference ?? null,
        status: s.status,
        ...(s.code !== undefined ? { code: s.code } : {}),
      })),
    ),
    plaintext: (result.plaintext ?? []).map((p) => ({ variable: p.variable, file: p.file, line: p.line, severity: result.strict ? 'error' : 'warning' })),
  };
  return `${stringifyJson(doc, 2)}\n`;
}

function leafStatus(shared: JsonValue | undefined, value: JsonValue | undefined): string {
  if (shared === undefined) return 'only-environment';
  return value === undefined ? 'only-shared' : 'different';
}

