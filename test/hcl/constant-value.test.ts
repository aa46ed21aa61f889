/**
 * Constant expressions as hclsyntax evaluates them with no context (evaluate.ts's constantValue,
 * constant-ops.ts), Terraform's refusal of references and calls in variables files
 * (tfvars-validity.ts), exact big integers and their JSON text (json-text.ts), and equality with
 * declared sets (value-equality.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constantValue, evaluate, type JsonValue } from '../../src/hcl/evaluate.js';
import { stringifyJson } from '../../src/hcl/json-text.js';
import { parse } from '../../src/hcl/parser.js';
import { officialFormValues, parseTfvars } from '../../src/hcl/tfvars.js';
import { officialValues } from '../../src/io/official-parser.js';
import { parseTypeSource, type TypeSpec } from '../../src/model/type-schema.js';
import { sameValue } from '../../src/sync/value-equality.js';

function valueOf(source: string): { value: JsonValue; constant: boolean } {
  const text = `x = ${source}\n`;
  const file = parse(text, { tfvars: true });
  expect(file.diagnostics).toEqual([]);
  const item = file.body.items[0]!;
  if (item.type !== 'attribute') throw new Error('not an attribute');
  return constantValue(item.expr, text);
}

describe('constantValue', () => {
  it.each<[string, JsonValue]>([
    ['24 * 60', 1440],
    ['true ? 1 : 2', 1],
    ['false ? 1 : 2', 2],
    ['"a" == "a"', true],
    ['1 == "1"', false],
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 2 - 3', 5],
    ['7 / 2', 3.5],
    ['-7 % 3', -1],
    ['1 < 2 && 2 <= 2', true],
    ['!true || 3 > 4', false],
    ['"2" * 3', 6],
    ['true ? 1 : "a"', '1'],
    ['"n=${2 * 3}"', 'n=6'],
    ['"${1 + 1}"', 2],
    ['[1, 2 + 3, { a = 2 * 2 }]', [1, 5, { a: 4 }]],
    ['9007199254740993', 9007199254740993n],
    ['9007199254740993 + 1', 9007199254740994n],
    ['-9007199254740993', -9007199254740993n],
    ['9007199254740993 - 2', 9007199254740991],
    ['1e20', 100000000000000000000n],
    ['"${9007199254740993}"', 9007199254740993n],
    ['"v${9007199254740993}"', 'v9007199254740993'],
  ])('%s is %o', (source, expected) => {
    expect(valueOf(source)).toEqual({ value: expected, constant: true });
  });

  it.each([
    ['us-east-1', '${us-east-1}'],
    ['var.other', '${var.other}'],
    ['upper("x")', '${upper("x")}'],
    ['1 / 0', '${1 / 0}'],
    ['true && 1', '${true && 1}'],
    ['1 + var.x', '${1 + var.x}'],
  ])('%s is not a constant: kept as %s', (source, kept) => {
    expect(valueOf(source)).toEqual({ value: kept, constant: false });
  });

  it('leaves the official parser form alone (evaluate)', () => {
    const text = 'a = 24 * 60\nb = 9007199254740993\nc = (1)\n';
    expect(Object.fromEntries(officialFormValues(text))).toEqual({ a: '${24 * 60}', b: 9007199254740992, c: '${(1)}' });
  });

  it('officialFormValues agrees with the official parser on operators and big numbers', async () => {
    const text = 'a = 24 * 60\nb = 9007199254740993\nc = true ? 1 : 2\nd = "a" == "a" && !false\ne = -(3)\nf = 1 + 2 * 3 - 4 / 2 % 5\n';
    expect(await officialValues('x.tfvars', text)).toEqual(Object.fromEntries(officialFormValues(text)));
  });

  it('never throws, on any expression made of literals, operators and references', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -1000, max: 1000 }).map(String),
      fc.constantFrom('true', 'false', 'null', '"a"', '"2"', 'var.x', '1e400', '9007199254740993', '0.5', 'upper("a")'),
    );
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
        tie('e').map((e) => `(${e})`),
        tie('e').map((e) => `-${e}`),
        tie('e').map((e) => `!${e}`),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
        tie('e').map((e) => `"s${'${'}${e}}"`),
      ),
    }));
    fc.assert(
      fc.property(expr.e, (source) => {
        const text = `x = ${source}\n`;
        const file = parse(text, { tfvars: true });
        const item = file.body.items[0];
        if (file.diagnostics.length > 0 || item?.type !== 'attribute') return;
        const result = constantValue(item.expr, text);
        expect(() => stringifyJson(result.value)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('agrees with exact integer arithmetic (BigInt) on random literal arithmetic', () => {
    type Tree = { text: string; value: bigint };
    const literal = fc.bigInt({ min: 0n, max: 10n ** 20n }).map((n): Tree => ({ text: n.toString(), value: n }));
    const tree = fc.letrec<{ t: Tree }>((tie) => ({
      t: fc.oneof(
        { depthSize: 'small' },
        literal,
        fc.tuple(tie('t'), fc.constantFrom('+', '-', '*'), tie('t')).map(([a, op, b]): Tree => ({
          text: `(${a.text} ${op} ${b.text})`,
          value: op === '+' ? a.value + b.value : op === '-' ? a.value - b.value : a.value * b.value,
        })),
        tie('t').map((a): Tree => ({ text: `-${a.text}`, value: -a.value })),
      ),
    }));
    fc.assert(
      fc.property(tree.t, ({ text, value }) => {
        const got = valueOf(text);
        expect(got.constant).toBe(true);
        expect(typeof got.value === 'bigint' || typeof got.value === 'number').toBe(true);
        expect(BigInt(got.value as number | bigint)).toBe(value);
        // One form per value: a number when it is safe, a bigint beyond.
        expect(typeof got.value).toBe(value >= -(2n ** 53n) + 1n && value <= 2n ** 53n - 1n ? 'number' : 'bigint');
      }),
      { numRuns: 1000 },
    );
  });

  it('agrees with JavaScript on random comparisons and logic of small numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: -50, max: 50 }),
        fc.constantFrom('<', '<=', '>', '>=', '==', '!='),
        fc.boolean(),
        (a, b, op, flag) => {
          const compared = { '<': a < b, '<=': a <= b, '>': a > b, '>=': a >= b, '==': a === b, '!=': a !== b }[op]!;
          expect(valueOf(`${a} ${op} ${b} ${flag ? '&&' : '||'} ${flag}`).value).toBe(flag ? compared && flag : compared || flag);
          expect(valueOf(`${a} ${op} ${b} ? "yes" : "no"`).value).toBe(compared ? 'yes' : 'no');
        },
      ),
    );
  });
});

describe('variables files refuse references and calls (Terraform)', () => {
  it('reports each at its place, in Terraform words', () => {
    const doc = parseTfvars('region = us-east-1\nx = var.other\ny = upper("x")\nz = { k = [local.a] }\nok = 24 * 60\n');
    expect(doc.diagnostics.map((d) => [d.code, doc.text.slice(d.range.start, d.range.end)])).toEqual([
      // HCL names may hold dashes: us-east-1 is one reference.
      ['variables-not-allowed', 'us-east-1'],
      ['variables-not-allowed', 'var.other'],
      ['functions-not-allowed', 'upper("x")'],
      ['variables-not-allowed', 'local.a'],
    ]);
    expect(doc.diagnostics[0]!.message).toMatch(/^Variables not allowed/);
    expect(doc.diagnostics[2]!.message).toMatch(/^Function calls not allowed/);
    expect(doc.byName.get('ok')!.value).toBe(1440);
  });

  it('does not refuse bare object keys or what Terraform may accept', () => {
    const doc = parseTfvars('a = { name = 1, "q" = 2 }\nb = [for s in ["a"] : s]\nc = "%{ if true }x%{ endif }"\n');
    expect(doc.diagnostics).toEqual([]);
  });

  it('reads integers of .tfvars.json files exactly, and their strings literally', () => {
    const doc = parseTfvars('{ "a": 9007199254740993, "b": -1e20, "c": "${var.x}", "d": 1.5 }', { json: true });
    expect(doc.diagnostics).toEqual([]);
    expect(Object.fromEntries(doc.attributes.map((a) => [a.name, a.value]))).toEqual({ a: 9007199254740993n, b: -100000000000000000000n, c: '${var.x}', d: 1.5 });
  });
});

describe('stringifyJson', () => {
  it('is JSON.stringify on values without bigints', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(stringifyJson(value, indent)).toBe(JSON.stringify(value, null, indent));
      }),
    );
  });

  it('writes bigints with every digit, where JSON.stringify throws', () => {
    const doc = { a: [9007199254740993n, { b: -(10n ** 30n) }], c: undefined, d: 'x' };
    expect(() => JSON.stringify(doc)).toThrow();
    expect(stringifyJson(doc, 2)).toBe('{\n  "a": [\n    9007199254740993,\n    {\n      "b": -1000000000000000000000000000000\n    }\n  ],\n  "d": "x"\n}');
    expect(stringifyJson([1n], '')).toBe('[1]');
  });
});

describe('sameValue', () => {
  const type = (source: string): TypeSpec => {
    const parsed = parseTypeSource(source);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.type;
  };

  it('compares a set without order or repeats, a list with both', () => {
    expect(sameValue(['bob', 'alice'], ['alice', 'bob'], type('set(string)'))).toBe(true);
    expect(sameValue(['a', 'a', 'b'], ['b', 'a'], type('set(string)'))).toBe(true);
    expect(sameValue(['bob', 'alice'], ['alice', 'bob'], type('list(string)'))).toBe(false);
    expect(sameValue(['bob', 'alice'], ['alice', 'bob'])).toBe(false);
    expect(sameValue(['a'], ['a', 'b'], type('set(string)'))).toBe(false);
  });

  it('finds sets nested in objects, maps and lists', () => {
    const t = type('map(object({ ids = set(number), order = list(string) }))');
    expect(sameValue({ x: { ids: [2, 1], order: ['a', 'b'] } }, { x: { order: ['a', 'b'], ids: [1, 2] } }, t)).toBe(true);
    expect(sameValue({ x: { ids: [2, 1], order: ['b', 'a'] } }, { x: { order: ['a', 'b'], ids: [1, 2] } }, t)).toBe(false);
    expect(sameValue([[3, 1], [2]], [[1, 3], [2]], type('list(set(number))'))).toBe(true);
    expect(sameValue([[3, 1], [2]], [[2], [1, 3]], type('list(set(number))'))).toBe(false);
    expect(sameValue([[3, 1], [2]], [[2], [1, 3]], type('set(set(number))'))).toBe(true);
  });

  it('compares numbers by value, beyond 2^53 too', () => {
    expect(sameValue(9007199254740993n, 9007199254740992n)).toBe(false);
    expect(sameValue(9007199254740993n, 9007199254740993n)).toBe(true);
    expect(sameValue([9007199254740993n], [9007199254740992n], type('set(number)'))).toBe(false);
    expect(sameValue([2n ** 60n, 1], [1, 2n ** 60n], type('set(number)'))).toBe(true);
    expect(sameValue(1, 1.0)).toBe(true);
    expect(sameValue(1, '1')).toBe(false);
  });

  it('agrees with evaluate on what the official parser gives (the form stays its own)', () => {
    const text = 'x = [1, 2]\n';
    const item = parse(text, { tfvars: true }).body.items[0]!;
    if (item.type !== 'attribute') throw new Error('not an attribute');
    expect(sameValue(evaluate(item.expr, text), constantValue(item.expr, text).value)).toBe(true);
  });
});
