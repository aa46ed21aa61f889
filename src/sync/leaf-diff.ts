/**
 * Differences inside values, per key path: two environments whose 40-entry `tags` differ in one
 * entry differ at `tags.Environment`, not in the whole map. Objects are compared key by key and
 * lists of equal length item by item; anything else that differs is one leaf.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { childPath, type KeyPath } from '../hcl/key-path.js';
import type { TypeSpec } from '../model/type-schema.js';
import { childType, sameValue } from './value-equality.js';

export interface LeafDifference {
  path: KeyPath;
  /** With two environments A and B: `only-A` when A has a value there and B none. */
  status: 'different' | `only-${string}`;
  /** One per environment, in order; undefined where it has no value at the path. */
  values: Array<JsonValue | undefined>;
}

/** The leaves where `values` (one per environment, of the variable `name`) differ, in key order. */
export function leafDifferences(
  name: string,
  values: ReadonlyArray<JsonValue | undefined>,
  environments: readonly string[],
  /** The declared type, when it holds a set (see equalityType): a set is one leaf, compared without order. */
  type?: TypeSpec,
): LeafDifference[] {
  const out: LeafDifference[] = [];
  walk({ name, parts: [] }, values, environments, out, type);
  return out;
}

function walk(path: KeyPath, values: ReadonlyArray<JsonValue | undefined>, environments: readonly string[], out: LeafDifference[], type?: TypeSpec): void {
  const first = values[0];
  if (values.every((v) => sameValue(v, first, type))) return;
  if (type?.kind === 'set') {
    // A set's members have no positions: the set is the leaf.
    out.push({ path, status: statusOf(values, environments), values: [...values] });
    return;
  }
  if (values.every(isObject)) {
    const keys = new Set<string>();
    for (const v of values) for (const key of Object.keys(v)) keys.add(key);
    for (const key of keys) {
      const children = values.map((v) => (Object.hasOwn(v, key) ? v[key] : undefined));
      walk(childPath(path, { kind: 'key', key }), children, environments, out, childType(type, key));
    }
    return;
  }
  if (values.every((v): v is JsonValue[] => Array.isArray(v) && v.length === (first as JsonValue[]).length)) {
    for (let i = 0; i < (first as JsonValue[]).length; i++) walk(childPath(path, { kind: 'index', index: i }), values.map((v) => v[i]), environments, out, childType(type, i));
    return;
  }
  out.push({ path, status: statusOf(values, environments), values: [...values] });
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function statusOf(values: ReadonlyArray<JsonValue | undefined>, environments: readonly string[]): LeafDifference['status'] {
  if (values.length === 2) {
    const [a, b] = values;
    if (a !== undefined && b === undefined) return `only-${environments[0]!}`;
    if (a === undefined && b !== undefined) return `only-${environments[1]!}`;
  }
  return 'different';
}
