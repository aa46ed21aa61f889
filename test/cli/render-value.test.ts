import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { inlineValue, valueLines, wholeInterpolation } from '../../src/cli/render/value.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';

/** The rendering of the value an expression has when read from a tfvars file. */
const shown = (expr: string) => inlineValue(parseTfvars(`x = ${expr}\n`).byName.get('x')!.value);

describe('inlineValue', () => {
  it.each([
    ['"plain"', '"plain"'],
    ['42', '42'],
    ['-1.5', '-1.5'],
    ['true', 'true'],
    ['null', 'null'],
    ['["a", "b"]', '["a", "b"]'],
    ['[]', '[]'],
    ['{}', '{}'],
    ['{ a = 1, "b.c" = "x" }', '{ a = 1, "b.c" = "x" }'],
    ['var.region', 'var.region'],
    ['"${var.region}"', 'var.region'],
    ['"${a}-${b}"', '"${a}-${b}"'],
    ['"$${literal}"', '"$${literal}"'],
    ['"%{if x}y%{endif}"', '"%{if x}y%{endif}"'],
    ['"${join(",", ["${a}}"])}"', 'join(",", ["${a}}"])'],
    ['merge(\n  local.a,\n  { x = 1 },\n)', 'merge(local.a, { x = 1 })'],
    ['"q\\" b\\\\s \\t"', '"q\\" b\\\\s \\t"'],
    ['<<EOT\nline1\nline2\nEOT', '"line1\\nline2\\n"'],
  ])('%s → %s', (expr, expected) => {
    expect(shown(expr)).toBe(expected);
  });

  it('escapes every control character, so none reaches a terminal', () => {
    expect(inlineValue('a\u001b[31mb\u0085c\u007f')).toBe('"a\\u001b[31mb\\u0085c\\u007f"');
    expect(inlineValue('${x\u001b}')).toBe('"${x\\u001b}"');
  });
});

describe('valueLines', () => {
  it('keeps short collections on one line', () => {
    expect(valueLines(['a', 'b'])).toEqual(['["a", "b"]']);
  });

  it('spreads long lists and maps over indented lines, terraform fmt style', () => {
    const list = Array.from({ length: 8 }, (_, i) => `m5.${i}xlarge`);
    expect(valueLines(list)).toEqual(['[', ...list.map((s) => `  "${s}",`), ']']);
    expect(valueLines({ project: 'englacial-long-name', funding: 'NSF-2149001', lifetime: 'until-2026-06' })).toEqual([
      '{',
      '  project  = "englacial-long-name"',
      '  funding  = "NSF-2149001"',
      '  lifetime = "until-2026-06"',
      '}',
    ]);
  });

  it('nests, spreading only what does not fit', () => {
    const value = { short: [1, 2], long: Array.from({ length: 12 }, (_, i) => `item-${i}`) };
    const lines = valueLines(value);
    expect(lines[0]).toBe('{');
    expect(lines[1]).toBe('  short = [1, 2]');
    expect(lines[2]).toBe('  long  = [');
    expect(lines[3]).toBe('    "item-0",');
    expect(lines.at(-2)).toBe('  ]');
    expect(lines.at(-1)).toBe('}');
  });

  it('never breaks a string, however long', () => {
    expect(valueLines('x'.repeat(200))).toHaveLength(1);
  });
});

describe('wholeInterpolation', () => {
  it.each([
    ['${a}', 'a'],
    ['${a}${b}', undefined],
    ['${a}-${b}', undefined],
    ['${ {a = 1}.a }', ' {a = 1}.a '],
    ['${"}"}', '"}"'],
    ['${"\\"}"}', '"\\"}"'],
    ['x${a}', undefined],
    ['${a', undefined],
  ])('%s', (s, expected) => {
    expect(wholeInterpolation(s)).toBe(expected);
  });
});

describe('valueLines against the one-line form (property)', () => {
  const json: fc.Arbitrary<JsonValue> = fc.letrec<{ value: JsonValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
    ),
  })).value;

  it('is the one-line form exactly when that fits the width, and spreads a collection that does not', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 2, max: 120 }), (value, width) => {
        const inline = inlineValue(value);
        const lines = valueLines(value, width);
        const collection = value !== null && typeof value === 'object' && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
        if (inline.length <= width || !collection) expect(lines).toEqual([inline]);
        else expect(lines.length).toBeGreaterThan(1);
      }),
      { numRuns: 500 },
    );
  });
});
