/**
 * Terraform type constraints as data, and as JSON Schemas that accept exactly the JSON values
 * (in the official parser's form) Terraform would convert to the type:
 *
 * - `string` takes strings, numbers and bools (Terraform converts them to text);
 * - `number` takes numbers and strings that parse as decimal numbers ("42", "1.5e3");
 * - `bool` takes bools and the strings "true", "false", "1", "0" (cty's conversions);
 * - `list(T)` and `set(T)` take arrays of T, `tuple([A, B])` arrays of exactly those items,
 *   `map(T)` objects whose values are T;
 * - `object({ a = T, b = optional(T) })` takes objects with every required attribute. Attributes
 *   the type does not name are accepted, because Terraform accepts them too and drops them; as
 *   that is usually a misspelt attribute, `extraAttributes` finds them for a warning.
 * - `any` takes anything. (`list(any)` really wants elements of one common type; that unification
 *   is not modelled, so a mixed list passes here and fails in Terraform.)
 *
 * Null is accepted inside collections and objects, where Terraform accepts it too; at the top
 * only when the caller says so (nullable variables). A string holding `${` or `%{` is an
 * expression the official parser left unevaluated: its type is unknown, so every position accepts
 * one. The schemas use draft-07 keywords plus `title`, which names the expected type in messages.
 */
import { evaluate, type JsonValue } from '../hcl/evaluate.js';
import { parse } from '../hcl/parser.js';
import type { Expression } from '../hcl/syntax.js';

type Primitive = 'string' | 'number' | 'bool' | 'any';

export type TypeSpec =
  | { kind: Primitive }
  | { kind: 'list' | 'set' | 'map'; element: TypeSpec }
  | { kind: 'tuple'; items: TypeSpec[] }
  | { kind: 'object'; attributes: Map<string, ObjectAttribute> };

export interface ObjectAttribute {
  type: TypeSpec;
  optional: boolean;
}

/** A type, or why the expression is not one tfsync understands. */
export type ParsedType = { ok: true; type: TypeSpec } | { ok: false; message: string };

export type JsonSchema = { [keyword: string]: unknown };

const PRIMITIVES: ReadonlySet<string> = new Set<Primitive>(['string', 'number', 'bool', 'any']);
const CALL = /^([A-Za-z_][\w-]*)\s*\(([\s\S]*)\)$/;

/**
 * The type a type expression denotes. The parser keeps no arguments for calls (`list(string)` is
 * an `other` expression with a range), so a call's arguments are parsed again from the source.
 */
export function parseTypeExpression(expr: Expression, text: string): ParsedType {
  try {
    return { ok: true, type: typeOf(expr, text, false) as TypeSpec };
  } catch (err) {
    if (err instanceof TypeSyntaxError) return { ok: false, message: err.message };
    throw err;
  }
}

/** The type a type expression's source text (a declaration's `type`) denotes. */
export function parseTypeSource(source: string): ParsedType {
  const text = `type = ${source}\n`;
  const syntax = parse(text);
  const item = syntax.body.items[0];
  if (syntax.diagnostics.length > 0 || syntax.body.items.length !== 1 || item?.type !== 'attribute') {
    return { ok: false, message: `cannot read the type expression ${source}` };
  }
  return parseTypeExpression(item.expr, text);
}

class TypeSyntaxError extends Error {}

/** The type of `expr`; `optional(...)` (an object attribute's) comes back as an ObjectAttribute. */
function typeOf(expr: Expression, text: string, inObject: boolean): TypeSpec | ObjectAttribute {
  const source = text.slice(expr.range.start, expr.range.end);
  if (expr.type === 'traversal' && PRIMITIVES.has(source)) return { kind: source as Primitive };
  const call = expr.type === 'other' ? CALL.exec(source) : null;
  if (!call) throw new TypeSyntaxError(`${JSON.stringify(source)} is not a type tfsync knows`);
  const name = call[1]!;
  const args = callArguments(call[2]!);
  if (!args) throw new TypeSyntaxError(`cannot read the arguments of ${name}(...)`);
  const one = () => {
    if (args.items.length !== 1) throw new TypeSyntaxError(`${name}(...) takes exactly one argument`);
    return args.items[0]!;
  };
  switch (name) {
    case 'list':
    case 'set':
    case 'map':
      return { kind: name, element: plain(typeOf(one(), args.text, false), name) };
    case 'tuple': {
      const list = one();
      if (list.type !== 'tuple') throw new TypeSyntaxError('tuple(...) takes a list of types: tuple([string, number])');
      return { kind: 'tuple', items: list.items.map((item) => plain(typeOf(item, args.text, false), name)) };
    }
    case 'object':
      return objectType(one(), args.text);
    case 'optional': {
      if (!inObject) throw new TypeSyntaxError('optional(...) is only allowed for an attribute of object(...)');
      if (args.items.length < 1 || args.items.length > 2) throw new TypeSyntaxError('optional(...) takes a type and an optional default');
      return { type: plain(typeOf(args.items[0]!, args.text, false), name), optional: true };
    }
    default:
      throw new TypeSyntaxError(`${name}(...) is not a type constructor tfsync knows`);
  }
}

function plain(type: TypeSpec | ObjectAttribute, within: string): TypeSpec {
  if ('optional' in type) throw new TypeSyntaxError(`optional(...) is not allowed inside ${within}(...)`);
  return type;
}

function objectType(expr: Expression, text: string): TypeSpec {
  if (expr.type !== 'object') throw new TypeSyntaxError('object(...) takes a map of attribute types: object({ name = string })');
  const attributes = new Map<string, ObjectAttribute>();
  for (const item of expr.items) {
    const key = item.key.type === 'traversal' ? text.slice(item.key.range.start, item.key.range.end) : evaluate(item.key, text);
    if (typeof key !== 'string' || key.includes('${')) throw new TypeSyntaxError('an object attribute name must be a name or a quoted string');
    const type = typeOf(item.value, text, true);
    attributes.set(key, 'optional' in type ? type : { type, optional: false });
  }
  return { kind: 'object', attributes };
}

/** A call's arguments, parsed as the items of a tuple so that commas and nesting come for free. */
function callArguments(argsText: string): { items: Expression[]; text: string } | undefined {
  const text = `args = [\n${argsText}\n]\n`;
  const syntax = parse(text);
  const item = syntax.body.items[0];
  if (syntax.diagnostics.length > 0 || syntax.body.items.length !== 1 || item?.type !== 'attribute' || item.expr.type !== 'tuple') {
    return undefined;
  }
  return { items: item.expr.items, text };
}

/** The type as Terraform writes it: `list(string)`, `object({ a = string, b = optional(number) })`. */
export function formatType(type: TypeSpec): string {
  switch (type.kind) {
    case 'list':
    case 'set':
    case 'map':
      return `${type.kind}(${formatType(type.element)})`;
    case 'tuple':
      return `tuple([${type.items.map(formatType).join(', ')}])`;
    case 'object': {
      const attributes = [...type.attributes].map(([name, a]) => {
        const inner = formatType(a.type);
        return `${name} = ${a.optional ? `optional(${inner})` : inner}`;
      });
      return attributes.length === 0 ? 'object({})' : `object({ ${attributes.join(', ')} })`;
    }
    default:
      return type.kind;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON Schema

/** Any string holding an interpolation or a directive: an expression the parser did not evaluate. */
export const EXPRESSION = '\\$\\{|%\\{';
const NUMBER = '^[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?$';
const BOOL = '^(?:true|false|1|0)$';

/** Whether a value is (or, at the top, is entirely decided by) an expression tfsync cannot evaluate. */
export function isExpressionString(value: JsonValue): boolean {
  return typeof value === 'string' && new RegExp(EXPRESSION, 'u').test(value);
}

/**
 * The JSON Schema of the values Terraform accepts for a type. `nullable`: whether null is
 * accepted at the top (inside, it always is).
 */
export function typeSchema(type: TypeSpec, { nullable }: { nullable: boolean }): JsonSchema {
  const schema = nodeSchema(type);
  if (nullable || !Array.isArray(schema.type)) return schema;
  return { ...schema, type: (schema.type as string[]).filter((t) => t !== 'null') };
}

function nodeSchema(type: TypeSpec): JsonSchema {
  switch (type.kind) {
    case 'any':
      return { title: 'any value' };
    case 'string':
      return { title: 'a string', type: ['string', 'number', 'boolean', 'null'] };
    case 'number':
      return { title: 'a number', type: ['number', 'string', 'null'], pattern: `${NUMBER}|${EXPRESSION}` };
    case 'bool':
      return { title: 'a bool', type: ['boolean', 'string', 'null'], pattern: `${BOOL}|${EXPRESSION}` };
    case 'list':
    case 'set':
      return { title: `a ${type.kind}`, type: ['array', 'string', 'null'], pattern: EXPRESSION, items: nodeSchema(type.element) };
    case 'map':
      return { title: 'a map', type: ['object', 'string', 'null'], pattern: EXPRESSION, additionalProperties: nodeSchema(type.element) };
    case 'tuple':
      return {
        title: `a tuple of ${type.items.length} ${type.items.length === 1 ? 'item' : 'items'}`,
        type: ['array', 'string', 'null'],
        pattern: EXPRESSION,
        items: type.items.map(nodeSchema),
        minItems: type.items.length,
        additionalItems: false,
      };
    case 'object': {
      const properties: JsonSchema = {};
      for (const [name, a] of type.attributes) properties[name] = nodeSchema(a.type);
      const required = [...type.attributes].filter(([, a]) => !a.optional).map(([name]) => name);
      return { title: 'an object', type: ['object', 'string', 'null'], pattern: EXPRESSION, properties, required };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Paths and dropped attributes

/** One step into a value: an index of a list, set or tuple, a key of a map, an attribute of an object. */
export type PathStep = { index: number } | { key: string; of: 'map' | 'object' };

/** `tags["a b"]`, `nodes[2].size`: a path inside a variable's value, as Terraform writes one. */
export function formatPath(name: string, steps: readonly PathStep[], { hideKeys = false } = {}): string {
  let out = name;
  for (const step of steps) {
    if ('index' in step) out += `[${step.index}]`;
    else if (step.of === 'map' && hideKeys) out += '[…]';
    else out += /^[A-Za-z_][\w-]*$/u.test(step.key) ? `.${step.key}` : `[${JSON.stringify(step.key)}]`;
  }
  return out;
}

/**
 * The steps of a JSON pointer (ajv's instancePath) into a value of the type: which segments are
 * indexes, map keys or attributes follows from the type.
 */
export function pathSteps(type: TypeSpec, pointer: string): PathStep[] {
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const steps: PathStep[] = [];
  let current: TypeSpec | undefined = type;
  for (const segment of segments) {
    switch (current?.kind) {
      case 'list':
      case 'set':
        steps.push({ index: Number(segment) });
        current = current.element;
        break;
      case 'tuple':
        steps.push({ index: Number(segment) });
        current = current.items[Number(segment)];
        break;
      case 'map':
        steps.push({ key: segment, of: 'map' });
        current = current.element;
        break;
      case 'object':
        steps.push({ key: segment, of: 'object' });
        current = current.attributes.get(segment)?.type;
        break;
      default:
        // Below `any`: nothing is checked there, but say where anyway.
        steps.push(/^\d+$/.test(segment) ? { index: Number(segment) } : { key: segment, of: 'map' });
        current = undefined;
    }
  }
  return steps;
}

export interface DroppedAttribute {
  /** Where the object is. */
  steps: PathStep[];
  attribute: string;
  /** The attributes the object type declares. */
  known: string[];
}

/** Attributes of object values that the object type does not declare: Terraform silently drops them. */
export function extraAttributes(type: TypeSpec, value: JsonValue): DroppedAttribute[] {
  const found: DroppedAttribute[] = [];
  const walk = (t: TypeSpec, v: JsonValue, steps: PathStep[]) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (t.kind === 'list' || t.kind === 'set') v.forEach((item, index) => walk(t.element, item, [...steps, { index }]));
      if (t.kind === 'tuple') v.forEach((item, index) => t.items[index] && walk(t.items[index], item, [...steps, { index }]));
      return;
    }
    if (t.kind === 'map') {
      for (const [key, item] of Object.entries(v)) walk(t.element, item, [...steps, { key, of: 'map' }]);
    } else if (t.kind === 'object') {
      for (const [key, item] of Object.entries(v)) {
        const a = t.attributes.get(key);
        if (a) walk(a.type, item, [...steps, { key, of: 'object' }]);
        else found.push({ steps, attribute: key, known: [...t.attributes.keys()] });
      }
    }
  };
  walk(type, value, []);
  return found;
}
