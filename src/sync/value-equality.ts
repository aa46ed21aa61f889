/** The one equality of values every comparison uses (diff, check, plan, validate, set, verification). */
import { numberText } from '../hcl/constant-ops.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { parseTypeSource, type TypeSpec } from '../model/type-schema.js';

/**
 * Equality of values as Terraform sees them: equal JSON, with object keys in any order, numbers by
 * value (an integer beyond 2^53 is a bigint, exact against another; see equalJson for a number). Given the
 * declared type, a `set(...)` anywhere in it compares without order or repeats, as Terraform's
 * sets do (`["b", "a"]` equals `["a", "b"]`). An absent value equals only another absent value.
 */
export function sameValue(a: JsonValue | undefined, b: JsonValue | undefined, type?: TypeSpec): boolean {
  if (type && hasSet(type)) return a === undefined || b === undefined ? a === b : canonical(a, type) === canonical(b, type);
  return equalJson(a, b);
}

function equalJson(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  // Two bigints compare exactly; a bigint and a number (beyond 2^53, a number is already rounded:
  // it came from elsewhere than tfsync's parser) are equal when the bigint rounds to it.
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return (typeof a === 'number' || typeof b === 'number') && Number(a) === Number(b);
  }
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equalJson(item, b[i]));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equalJson(a[k], b[k]));
}

/**
 * The type a declaration's `type` source denotes, when it holds a set (the only case where the
 * type changes equality); undefined otherwise. Parsed once per distinct source.
 */
export function equalityType(declaration: { type?: string } | undefined): TypeSpec | undefined {
  const source = declaration?.type;
  if (source === undefined || !/\bset\s*\(/.test(source)) return undefined;
  let type = parsedTypes.get(source);
  if (type === undefined && !parsedTypes.has(source)) {
    const parsed = parseTypeSource(source);
    type = parsed.ok && hasSet(parsed.type) ? parsed.type : undefined;
    parsedTypes.set(source, type);
  }
  return type;
}

const parsedTypes = new Map<string, TypeSpec | undefined>();

/** The type of the value at an object key or list index inside a value of `type`. */
export function childType(type: TypeSpec | undefined, step: string | number): TypeSpec | undefined {
  if (!type) return undefined;
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
      return type.element;
    case 'tuple':
      return typeof step === 'number' ? type.items[step] : undefined;
    case 'object':
      return typeof step === 'string' ? type.attributes.get(step)?.type : undefined;
    default:
      return undefined;
  }
}

function hasSet(type: TypeSpec): boolean {
  switch (type.kind) {
    case 'set':
      return true;
    case 'list':
    case 'map':
      return hasSet(type.element);
    case 'tuple':
      return type.items.some(hasSet);
    case 'object':
      return [...type.attributes.values()].some((a) => hasSet(a.type));
    default:
      return false;
  }
}

/** One text per value: object keys sorted, numbers by value, a set's members sorted and once each. */
function canonical(value: JsonValue, type: TypeSpec | undefined): string {
  if (typeof value === 'number' || typeof value === 'bigint') return numberText(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.map((item, i) => canonical(item, childType(type, i)));
    return `[${(type?.kind === 'set' ? [...new Set(items)].sort() : items).join(',')}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k]!, childType(type, k))}`).join(',')}}`;
}
