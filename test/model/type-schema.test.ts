import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { parseVariables } from '../../src/hcl/variables.js';
import {
  extraAttributes, formatPath, formatType, isExpressionString, parseTypeExpression, parseTypeSource, pathSteps, typeSchema, type TypeSpec,
} from '../../src/model/type-schema.js';

const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });

function typeOf(source: string): TypeSpec {
  const parsed = parseTypeSource(source);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.type;
}

/** Whether Terraform (as modelled) accepts the value for the type. */
function accepts(source: string, value: JsonValue, nullable = true): boolean {
  return ajv.validate(typeSchema(typeOf(source), { nullable }), value) as boolean;
}

describe('parseTypeSource', () => {
  it('reads every type form and writes it back', () => {
    for (const source of [
      'string',
      'number',
      'bool',
      'any',
      'list(string)',
      'set(number)',
      'map(bool)',
      'tuple([string, number, bool])',
      'object({ a = string, b = optional(number) })',
      'list(object({ name = string, tags = map(string) }))',
      'map(list(tuple([string])))',
      'object({})',
    ]) {
      expect(formatType(typeOf(source))).toBe(source);
    }
  });

  it('reads quoted attribute names, spacing, trailing commas, comments and optional defaults', () => {
    const type = typeOf(`object({
      type            = string                     # "efs" or "ebs"
      "size gb"       = optional(number)           // ebs only
      throughput_mode = optional(string, "bursting"),
      nested = list (object({ x = bool }))
    })`);
    expect(formatType(type)).toBe('object({ type = string, size gb = optional(number), throughput_mode = optional(string), nested = list(object({ x = bool })) })');
  });

  it('refuses what is not a type, saying why', () => {
    const problems: Record<string, string> = {
      strin: '"strin" is not a type tfsync knows',
      '"string"': '"\\"string\\"" is not a type tfsync knows',
      list: '"list" is not a type tfsync knows',
      'list(string, number)': 'list(...) takes exactly one argument',
      'optional(string)': 'optional(...) is only allowed for an attribute of object(...)',
      'list(optional(string))': 'optional(...) is only allowed for an attribute of object(...)',
      'tuple(string)': 'tuple(...) takes a list of types: tuple([string, number])',
      'object(string)': 'object(...) takes a map of attribute types: object({ name = string })',
      'object({ a = optional(string, 1, 2) })': 'optional(...) takes a type and an optional default',
      'foo(string)': 'foo(...) is not a type constructor tfsync knows',
      'var.x': '"var.x" is not a type tfsync knows',
      'list(string) + 1': '"list(string) + 1" is not a type tfsync knows',
      'list(string) + f(x)': '"list(string) + f(x)" is not a type tfsync knows',
      'list(': 'cannot read the type expression list(',
    };
    for (const [source, message] of Object.entries(problems)) {
      expect(parseTypeSource(source), source).toEqual({ ok: false, message });
    }
  });

  it('reads the syntax node of a declaration, with the text it points into', () => {
    const { variables, syntax } = parseVariables('variable "x" {\n  type = map(list(number))\n}\n');
    const parsed = parseTypeExpression(variables[0]!.typeExpr!, syntax.text);
    expect(parsed.ok && formatType(parsed.type)).toBe('map(list(number))');
  });
});

describe('typeSchema: primitive conversions', () => {
  it('string takes strings, numbers and bools, which Terraform converts', () => {
    for (const v of ['x', '', 1.5, true, false]) expect(accepts('string', v), JSON.stringify(v)).toBe(true);
    for (const v of [[], {}, ['x']]) expect(accepts('string', v), JSON.stringify(v)).toBe(false);
  });

  it('number takes numbers and strings that parse as decimal numbers', () => {
    for (const v of [0, -1.5, 1e21, '42', '-1.5', '+3', '.5', '5.', '1e3', '2E-2']) expect(accepts('number', v), JSON.stringify(v)).toBe(true);
    for (const v of ['abc', '', ' 1', '1 ', '0x10', '1_000', 'Inf', true, [], {}]) expect(accepts('number', v), JSON.stringify(v)).toBe(false);
  });

  it('bool takes bools and the strings cty converts: true, false, 1, 0', () => {
    for (const v of [true, false, 'true', 'false', '1', '0']) expect(accepts('bool', v), JSON.stringify(v)).toBe(true);
    for (const v of ['yes', 'True', 'TRUE', 1, 0, '', []]) expect(accepts('bool', v), JSON.stringify(v)).toBe(false);
  });

  it('any takes anything', () => {
    for (const v of [1, 'x', null, [1, 'a'], { a: [{}] }]) expect(accepts('any', v)).toBe(true);
  });
});

describe('typeSchema: collections and structures', () => {
  it('list and set take arrays of the element type, converting each', () => {
    expect(accepts('list(string)', ['a', 1, true])).toBe(true);
    expect(accepts('list(string)', [])).toBe(true);
    expect(accepts('list(string)', ['a', ['b']])).toBe(false);
    expect(accepts('list(string)', { a: 'x' })).toBe(false);
    expect(accepts('list(string)', 'a')).toBe(false);
    expect(accepts('set(number)', [1, '2'])).toBe(true);
    expect(accepts('set(number)', [1, 'two'])).toBe(false);
    expect(accepts('list(list(number))', [[1], [2, '3']])).toBe(true);
  });

  it('tuple takes arrays of exactly its items', () => {
    expect(accepts('tuple([string, number])', ['a', 1])).toBe(true);
    expect(accepts('tuple([string, number])', [1, '2'])).toBe(true);
    expect(accepts('tuple([string, number])', ['a'])).toBe(false);
    expect(accepts('tuple([string, number])', ['a', 1, 2])).toBe(false);
    expect(accepts('tuple([string, number])', ['a', 'x'])).toBe(false);
  });

  it('map takes objects whose values are the element type', () => {
    expect(accepts('map(number)', { a: 1, b: '2' })).toBe(true);
    expect(accepts('map(number)', {})).toBe(true);
    expect(accepts('map(number)', { a: 'x' })).toBe(false);
    expect(accepts('map(number)', [1])).toBe(false);
  });

  it('object needs its required attributes, not its optional ones, and tolerates others', () => {
    const type = 'object({ type = string, size = optional(number), backup = optional(bool, true) })';
    expect(accepts(type, { type: 'efs' })).toBe(true);
    expect(accepts(type, { type: 'ebs', size: '100', backup: 'false' })).toBe(true);
    expect(accepts(type, { type: 'efs', unknown: [1] })).toBe(true);
    expect(accepts(type, { size: 1 })).toBe(false);
    expect(accepts(type, { type: 'efs', size: 'big' })).toBe(false);
    expect(accepts(type, ['efs'])).toBe(false);
  });
});

describe('typeSchema: null and expressions', () => {
  it('takes null at the top only when nullable, and inside always', () => {
    expect(accepts('string', null, true)).toBe(true);
    expect(accepts('string', null, false)).toBe(false);
    expect(accepts('list(string)', null, false)).toBe(false);
    expect(accepts('list(string)', ['a', null], false)).toBe(true);
    expect(accepts('object({ a = string })', { a: null }, false)).toBe(true);
    expect(accepts('map(number)', { a: null }, false)).toBe(true);
  });

  it('takes an unevaluated expression in any position, whatever the type', () => {
    expect(accepts('number', '${var.x}')).toBe(true);
    expect(accepts('bool', 'prefix-${local.y}')).toBe(true);
    expect(accepts('list(number)', [1, '${var.n}'])).toBe(true);
    expect(accepts('list(number)', '${concat(a, b)}')).toBe(true);
    expect(accepts('object({ a = number })', { a: '%{if x}1%{endif}' })).toBe(true);
    expect(accepts('map(string)', '${var.tags}')).toBe(true);
    expect(accepts('list(number)', [1, 'x'])).toBe(false);
  });

  it('isExpressionString spots interpolations and directives', () => {
    expect(isExpressionString('${var.x}')).toBe(true);
    expect(isExpressionString('a-%{if x}b%{endif}')).toBe(true);
    expect(isExpressionString('plain $ and { }')).toBe(false);
    expect(isExpressionString(['${x}'])).toBe(false);
  });
});

describe('paths', () => {
  it('follows a JSON pointer through the type: indexes, map keys, attributes', () => {
    const type = typeOf('list(object({ tags = map(string), pair = tuple([string, number]) }))');
    expect(pathSteps(type, '')).toEqual([]);
    expect(pathSteps(type, '/2/tags/a~1b')).toEqual([{ index: 2 }, { key: 'tags', of: 'object' }, { key: 'a/b', of: 'map' }]);
    expect(pathSteps(type, '/0/pair/1')).toEqual([{ index: 0 }, { key: 'pair', of: 'object' }, { index: 1 }]);
  });

  it('writes a path as Terraform does, hiding map keys on request', () => {
    const steps = [{ index: 2 }, { key: 'tags', of: 'object' as const }, { key: 'team name', of: 'map' as const }];
    expect(formatPath('nodes', steps)).toBe('nodes[2].tags["team name"]');
    expect(formatPath('nodes', steps, { hideKeys: true })).toBe('nodes[2].tags[…]');
    expect(formatPath('x', [])).toBe('x');
  });
});

describe('extraAttributes', () => {
  it('finds attributes an object type does not declare, at any depth', () => {
    const type = typeOf('list(object({ name = string, opts = optional(object({ a = number })) }))');
    const value: JsonValue = [{ name: 'x', nmae: 'y' }, { name: 'z', opts: { a: 1, b: 2 } }];
    expect(extraAttributes(type, value)).toEqual([
      { steps: [{ index: 0 }], attribute: 'nmae', known: ['name', 'opts'] },
      { steps: [{ index: 1 }, { key: 'opts', of: 'object' }], attribute: 'b', known: ['a'] },
    ]);
  });

  it('finds none in maps, expressions or values of the wrong shape', () => {
    expect(extraAttributes(typeOf('map(string)'), { anything: 'x' })).toEqual([]);
    expect(extraAttributes(typeOf('object({ a = string })'), '${var.o}')).toEqual([]);
    expect(extraAttributes(typeOf('object({ a = string })'), ['a'])).toEqual([]);
  });
});
