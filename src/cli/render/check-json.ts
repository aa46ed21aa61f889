/**
 * `tfsync check --json`: `{ inStep, reference, sharedFile, environments: [ { environment, file, drift, missing } ] }`.
 * Every environment checked is listed, in step or not; values go through maskValue, and "no value"
 * is `"value": null, "origin": null` (a real null always has an origin), as in render/json.ts.
 */
import { jsonOrigin } from './json.js';
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
      drift: env.drift.map((d) => ({ name: d.name, sensitive: d.sensitive, shared: side(d.shared, d.sensitive), value: side(d.value, d.sensitive) })),
      missing: env.missing.map((m) => ({ name: m.name, declaration: { file: m.declaration.file, line: m.declaration.line } })),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

