/**
 * `promote --json`: the plan as the document scripts rely on (DESIGN.md, "JSON shapes"):
 * `{ "files": [ { "file", "changes": [ { "name", "op", "from", "to" } ] } ], "written": bool }`,
 * a change of one leaf inside a variable with its `path` (`tags.Team`; `from`/`to` the leaf's),
 * plus `source`, `target` and the overrides `kept`. A value that is not there (`from` of a create,
 * `to` of a delete) is null; sensitive values are "(sensitive)".
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { stringifyJson } from '../../hcl/json-text.js';
import { maskValue } from '../../sync/mask.js';
import { changeLabel, type Plan } from '../../sync/plan.js';
import { copyAction, type SecretCopy } from '../../sync/secret-plan.js';

export interface PlanJsonOptions {
  showSensitive: boolean;
  written: boolean;
  /** The secret copies of the plan (promote-secrets.ts): references and states, never a value. */
  secrets?: readonly SecretCopy[];
  /** The copies made. */
  copied?: readonly SecretCopy[];
}

export function renderPlanJson(plan: Plan, { showSensitive, written, secrets = [], copied = [] }: PlanJsonOptions): string {
  const shown = (value: JsonValue | undefined, sensitive: boolean) => maskValue(value, sensitive, showSensitive) ?? null;
  const document = {
    source: plan.source,
    target: plan.target,
    files: plan.files.map((file) => ({
      file: file.layer.file,
      changes: file.changes.map((c) => ({ name: c.name, ...(c.path ? { path: changeLabel(c) } : {}), op: c.op, from: shown(c.from, c.sensitive), to: shown(c.to, c.sensitive) })),
    })),
    kept: plan.overrides
      .filter((o) => !o.pruned)
      .map((o) => ({ name: o.name, ...(o.path ? { path: changeLabel(o) } : {}), file: o.file, value: shown(o.value, o.sensitive) })),
    ...(secrets.length > 0
      ? {
          secrets: secrets.map((c) => ({
            variable: c.variable,
            from: c.from,
            to: c.to,
            state: c.state,
            ...(c.code !== undefined ? { code: c.code } : {}),
            action: copyAction(c),
            copied: copied.includes(c),
          })),
        }
      : {}),
    written,
  };
  return `${stringifyJson(document, 2)}\n`;
}
