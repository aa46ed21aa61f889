/**
 * The JSON documents scripts rely on (see DESIGN.md, "JSON shapes"). Keys are written in a fixed
 * order, sensitive values go through maskValue (and print as "(sensitive)"), and a variable with no
 * value has `"value": null, "origin": null`: a real null value always has an origin.
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { stringifyJson } from '../../hcl/json-text.js';
import { formatKeyPath } from '../../hcl/key-path.js';
import type { EffectiveValue, Origin } from '../../model/layers.js';
import type { LeafValue } from '../../model/leaf-values.js';
import type { EnvironmentDiff } from '../../sync/diff.js';
import { maskValue, type ShownValue } from '../../sync/mask.js';

export interface JsonOptions {
  showSensitive: boolean;
}

/** `tfsync diff --json`: only the variables that differ unless `all`. */
export function renderDiffJson(diff: EnvironmentDiff, options: JsonOptions & { all: boolean }): string {
  return stringify(diffDocument(diff, options));
}

/**
 * `tfsync diff --json` over several stacks: the same document, every variable with its `stack`,
 * and the summary's counts added up.
 */
export function renderStackDiffsJson(diffs: EnvironmentDiff[], options: JsonOptions & { all: boolean }): string {
  const docs = diffs.map((d) => diffDocument(d, options));
  const summary: Record<string, { differ: number; identical: number }> = {};
  for (const doc of docs) {
    for (const [name, counts] of Object.entries(doc.summary)) {
      const sum = (summary[name] ??= { differ: 0, identical: 0 });
      sum.differ += counts.differ;
      sum.identical += counts.identical;
    }
  }
  const secrets = docs.flatMap((d) => d.secrets ?? []);
  return stringify({ environments: docs[0]?.environments ?? [], variables: docs.flatMap((d) => d.variables), summary, ...(secrets.length > 0 ? { secrets } : {}) });
}

function diffDocument(diff: EnvironmentDiff, { showSensitive, all }: JsonOptions & { all: boolean }) {
  const variables = diff.variables
    .filter((v) => all || v.status !== 'same')
    .map((v) => ({
      ...(diff.stack !== undefined ? { stack: diff.stack } : {}),
      name: v.name,
      class: v.class,
      sensitive: v.sensitive,
      status: v.status,
      values: Object.fromEntries(
        diff.environments.map((env) => {
          const entry = v.values[env]!;
          return [env, { value: jsonValue(maskValue(entry.value, v.sensitive, showSensitive)), origin: jsonOrigin(entry.origin) }];
        }),
      ),
      // Leaf by leaf, each with its full path (the variable's name first).
      paths: v.paths.map((leaf) => ({
        path: formatKeyPath(leaf.path),
        status: leaf.status,
        ...(leaf.class !== undefined ? { class: leaf.class } : {}),
        values: Object.fromEntries(diff.environments.map((env, i) => [env, jsonValue(maskValue(leaf.values[i], v.sensitive, showSensitive))])),
      })),
    }));
  const summary = Object.fromEntries(diff.sections.map((s) => [s.name, { differ: s.differ, identical: s.identical }]));
  // Compared by keyed fingerprint: a status, never a value nor a fingerprint.
  const secrets = diff.secrets?.map((s) => ({
    ...(diff.stack !== undefined ? { stack: diff.stack } : {}),
    variable: s.variable,
    status: s.status,
    ...(s.missingIn ? { missingIn: s.missingIn } : {}),
    ...(s.code !== undefined ? { code: s.code } : {}),
  }));
  return { environments: diff.environments, variables, summary, ...(secrets && secrets.length > 0 ? { secrets } : {}) };
}

/** `tfsync show ENV --json`. */
export function renderShowJson(environment: string, values: EffectiveValue[], options: JsonOptions): string {
  return renderStacksShowJson(environment, [{ values }], options);
}

/** `tfsync show ENV --json` over stacks: every variable with its `stack` (general form with `stacks`). */
export function renderStacksShowJson(environment: string, stacks: Array<{ stack?: string; values: EffectiveValue[] }>, { showSensitive }: JsonOptions): string {
  return stringify({
    environment,
    variables: stacks.flatMap(({ stack, values }) => values.map((v) => ({
      ...(stack !== undefined ? { stack } : {}),
      name: v.name,
      class: v.class,
      sensitive: v.sensitive,
      value: jsonValue(maskValue(v.value, v.sensitive, showSensitive)),
      origin: jsonOrigin(v.origin),
      required: v.required,
      ...(v.external ? { external: true } : {}),
      ...(v.unknown ? { unknown: true } : {}),
    }))),
  });
}

/** `tfsync show ENV NAME.path --json`: `{ environment, variables: [ { name, path, class, sensitive, value, origin } ] }`. */
export function renderShowPathsJson(environment: string, stacks: Array<{ stack?: string; leaves: LeafValue[] }>, { showSensitive }: JsonOptions): string {
  return stringify({
    environment,
    variables: stacks.flatMap(({ stack, leaves }) => leaves.map((leaf) => ({
      ...(stack !== undefined ? { stack } : {}),
      name: leaf.name,
      path: leaf.path,
      class: leaf.class,
      sensitive: leaf.sensitive,
      value: jsonValue(maskValue(leaf.value, leaf.sensitive, showSensitive)),
      origin: jsonOrigin(leaf.origin),
    }))),
  });
}

/**
 * `tfsync show ENV --format tfvars-json`: a `.tfvars.json` of the effective values, usable with
 * `terraform -var-file`. A masked value would be a wrong value there, so sensitive variables are
 * left out instead, and named in `omitted` for a warning.
 */
export function renderTfvarsJson(values: EffectiveValue[], { showSensitive }: JsonOptions): { text: string; omitted: string[] } {
  const doc: Record<string, JsonValue> = {};
  const omitted: string[] = [];
  for (const v of values) {
    if (v.value === undefined) continue;
    if (v.sensitive && !showSensitive) omitted.push(v.name);
    else doc[v.name] = v.value;
  }
  return { text: stringify(doc), omitted };
}

function jsonValue(shown: ShownValue): ShownValue | null {
  return shown === undefined ? null : shown;
}

/** An origin in JSON documents; `name` (the layer's name in tfsync.json) only in the general form. */
export function jsonOrigin(origin: Origin | null) {
  return origin === null ? null : { layer: origin.layer, file: origin.file, line: origin.line, ...(origin.name !== undefined ? { name: origin.name } : {}) };
}

function stringify(doc: unknown): string {
  return `${stringifyJson(doc, 2)}\n`;
}
