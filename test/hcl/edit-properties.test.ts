/**
 * Properties of the rewrite contract over random tfvars documents: an edit changes the value it
 * targets and no other, and every byte outside the edited span stays as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits, type Edit } from '../../src/hcl/edits.js';
import { constantValue, type JsonValue } from '../../src/hcl/evaluate.js';
import { sameValue } from '../../src/sync/value-equality.js';
import { stringifyJson } from '../../src/hcl/json-text.js';
import { parse } from '../../src/hcl/parser.js';
import { formatValue } from '../../src/hcl/format-value.js';
import { insertAttribute, removeAttribute, updateValue } from '../../src/hcl/value-edits.js';
import { escapeTemplateMarkers } from '../../src/hcl/template-text.js';
import { isSyntaxError } from '../../src/hcl/tfvars-validity.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';
import { decodeText, encodeText } from '../../src/io/read-text.js';
import { officialValues } from '../../src/io/official-parser.js';
import { verifyRewrite } from '../../src/io/verify.js';

// --- JSON values in the official parser's JSON form ---------------------------------------------

/** Literal text as the JSON form writes it (markers escaped), never ending in a lone `$` or `%`. */
const literalText = fc
  .string({ unit: 'grapheme', maxLength: 8 })
  .map((s) => escapeTemplateMarkers(s.normalize('NFC')).replace(/[$%]+$/, ''));
const templatePart = fc.constantFrom('${var.x}', '${local.list[0]}', '%{if var.on}yes%{else}no%{endif}', '${upper("a")}');
const jsonString = fc
  .array(fc.tuple(literalText, fc.option(templatePart, { freq: 4 })), { maxLength: 3 })
  .map((pieces) => pieces.map(([text, part]) => text + (part ?? '')).join(''))
  .filter((s) => s === s.normalize('NFC'));
const jsonNumber = fc.oneof(
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
);
const jsonKey = jsonString.filter((k) => k !== '__proto__');
const { json: jsonValue } = fc.letrec<{ json: JsonValue }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    jsonNumber,
    jsonString,
    fc.array(tie('json'), { maxLength: 4 }),
    fc.dictionary(jsonKey, tie('json'), { maxKeys: 4 }),
  ),
}));

// --- expressions and documents -----------------------------------------------------------------

const RAW_EXPRESSIONS = [
  'var.region',
  'max(1, 2)',
  '"${var.env}-notebooks"',
  '<<EOT\nline one\n  line two\nEOT',
  '<<-EOT\n    indented\n    EOT',
  '[\n  "a", # first\n  "b",\n]',
  '{\n  k = 1\n  "q" : [2, 3]\n}',
  '[\n  for s in var.names : upper(s)\n]',
  String.raw`"a|b & c\\d $e /f/"`,
  '-17',
  '2.5E+2',
  'true ? 1 : 2',
];
const expression = fc.oneof(jsonValue.map(formatValue), fc.constantFrom(...RAW_EXPRESSIONS));

const name = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,7}$/);

interface Line {
  name: string;
  expr: string;
  indent: string;
  equals: string;
  comment: string;
  lead: string;
  gap: string;
}

const line = fc.record({
  name,
  expr: expression,
  indent: fc.constantFrom('', '', '  ', '\t'),
  equals: fc.constantFrom(' = ', '=', ' =', '= ', '\t= ', ' =   '),
  comment: fc.constantFrom('', '', ' # note', ' // note', ' /* note */', '\t# note'),
  lead: fc.constantFrom('', '', '# about this one\n', '// two\n// lines\n'),
  gap: fc.constantFrom('', '', '\n', '/*\nname = 99\n*/\n', '# SYNCED FEATURES\n'),
});

const endsWithHeredoc = (expr: string) => /\n[ \t]*EOT$/.test(expr);

interface Doc {
  text: string;
  eol: string;
  bom: boolean;
}

const doc: fc.Arbitrary<Doc> = fc
  .record({
    lines: fc.uniqueArray(line, { selector: (l) => l.name, minLength: 1, maxLength: 6 }),
    eol: fc.constantFrom('\n', '\r\n'),
    finalNewline: fc.boolean(),
    bom: fc.boolean(),
  })
  .map(({ lines, eol, finalNewline, bom }) => {
    const render = (l: Line, i: number) => {
      // A heredoc's closing marker must stand alone on its line: no trailing comment there.
      const comment = endsWithHeredoc(l.expr) ? '' : l.comment.replace('note', `note-${i}`);
      return `${l.gap}${l.lead}${l.indent}${l.name}${l.equals}${l.expr}${comment}\n`;
    };
    let text = lines.map(render).join('').replace(/\n/g, eol);
    if (!finalNewline && !endsWithHeredoc(lines[lines.length - 1]!.expr)) text = text.slice(0, -eol.length);
    return { text, eol, bom };
  })
  .filter(({ text }) => parseTfvars(text).diagnostics.filter(isSyntaxError).length === 0);

function valuesOf(text: string): Map<string, JsonValue> {
  const parsed = parseTfvars(text);
  // References are generated on purpose: edits are about syntax (Terraform's rule is tested apart).
  expect(parsed.diagnostics.filter(isSyntaxError)).toEqual([]);
  return new Map(parsed.attributes.map((a) => [a.name, a.value]));
}

function valueOfExpression(expr: string): JsonValue {
  const file = parse(`x = ${expr}\n`, { tfvars: true });
  const item = file.body.items[0]!;
  if (item.type !== 'attribute') throw new Error('not an attribute');
  return constantValue(item.expr, file.text).value;
}

/** The text before the first edit and after the last one is unchanged. */
function expectOnlySpanChanged(before: string, after: string, edits: Edit[]): { start: number; end: number } {
  const start = Math.min(...edits.map((e) => e.offset));
  const end = Math.max(...edits.map((e) => e.offset + e.length));
  expect(after.slice(0, start)).toBe(before.slice(0, start));
  expect(after.slice(after.length - (before.length - end))).toBe(before.slice(end));
  return { start, end };
}

function expectOthersUnchanged(before: Map<string, JsonValue>, after: Map<string, JsonValue>, except: string): void {
  for (const [key, value] of before) if (key !== except) expect(after.get(key)).toEqual(value);
}

// --- properties ---------------------------------------------------------------------------------

describe('edit properties', () => {
  it('updateValue sets the new value, keeps the others and touches only the attribute', () => {
    fc.assert(
      fc.property(doc, fc.nat(), expression, ({ text, eol, bom }, pick, expr) => {
        const decoded = decodeText(encodeText(text, bom), 'x.tfvars');
        const parsed = parseTfvars(decoded.text);
        const target = parsed.attributes[pick % parsed.attributes.length]!;
        const edits = updateValue(parsed, target.name, expr);
        const out = applyEdits(decoded.text, edits);

        const before = valuesOf(text);
        const after = valuesOf(out);
        expect(after.get(target.name)).toEqual(valueOfExpression(expr));
        expectOthersUnchanged(before, after, target.name);
        const span = expectOnlySpanChanged(text, out, edits);
        const lineBreak = text.indexOf('\n', target.valueRange.end);
        const lineEnd = lineBreak < 0 ? text.length : lineBreak + 1;
        expect(span.start).toBeGreaterThanOrEqual(target.lineRange!.start);
        expect(span.end).toBeLessThanOrEqual(lineEnd);
        // The trailing comment survives, on the line or above it.
        const note = /note-\d+/.exec(text.slice(target.valueRange.end, lineEnd));
        if (note) expect(out).toContain(note[0]);
        if (eol === '\r\n' && text.includes(eol) && !expr.includes('EOT') && !expr.includes('for')) expect(out).not.toMatch(/(?<!\r)\n/);
        expect(encodeText(out, decoded.bom).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(bom);
      }),
    );
  });

  it('insertAttribute adds exactly the new attribute, keeping the final newline or its absence', () => {
    fc.assert(
      fc.property(doc, name, expression, fc.nat(), fc.constantFrom('end', 'line', 'value'), ({ text, eol }, newName, expr, pick, where) => {
        const parsed = parseTfvars(text);
        fc.pre(!parsed.byName.has(newName));
        const anchor = parsed.attributes[pick % parsed.attributes.length]!;
        const after = where === 'end' ? undefined : where === 'line' ? anchor.lineRange!.end : anchor.valueRange.end;
        const edits = insertAttribute(parsed, newName, expr, { after });
        const out = applyEdits(text, edits);

        const before = valuesOf(text);
        const values = valuesOf(out);
        expect(values.get(newName)).toEqual(valueOfExpression(expr));
        expectOthersUnchanged(before, values, newName);
        expect([...values.keys()].length).toBe(before.size + 1);
        expectOnlySpanChanged(text, out, edits);
        if (after === undefined && !endsWithHeredoc(expr)) expect(/\n$/.test(out)).toBe(/\n$/.test(text));
        if (eol === '\r\n' && text.includes(eol) && !expr.includes('EOT') && !expr.includes('for')) {
          expect(out).not.toMatch(/(?<!\r)\n/);
        }
      }),
    );
  });

  it('edited documents pass verification, the official parser included', async () => {
    await fc.assert(
      fc.asyncProperty(doc, fc.nat(), expression, name, expression, async ({ text }, pick, expr, newName, newExpr) => {
        const parsed = parseTfvars(text);
        fc.pre(!parsed.byName.has(newName));
        const target = parsed.attributes[pick % parsed.attributes.length]!;
        const out = applyEdits(text, [...updateValue(parsed, target.name, expr), ...insertAttribute(parsed, newName, newExpr)]);
        const expected = new Map(parsed.attributes.map((a) => [a.name, a.value]));
        expected.set(target.name, valueOfExpression(expr));
        expected.set(newName, valueOfExpression(newExpr));
        await verifyRewrite('x.tfvars', out, expected);
      }),
      { numRuns: 40 },
    );
  });

  it('removeAttribute removes the attribute and nothing else', () => {
    fc.assert(
      fc.property(doc, fc.nat(), ({ text }, pick) => {
        const parsed = parseTfvars(text);
        const target = parsed.attributes[pick % parsed.attributes.length]!;
        const out = applyEdits(text, removeAttribute(parsed, target.name));
        const before = valuesOf(text);
        const after = valuesOf(out);
        expect(after.has(target.name)).toBe(false);
        expectOthersUnchanged(before, after, target.name);
        expect(after.size).toBe(before.size - 1);
        // Its line comment goes with it.
        const lineBreak = text.indexOf('\n', target.valueRange.end);
        const note = /note-\d+/.exec(text.slice(target.valueRange.end, lineBreak < 0 ? text.length : lineBreak));
        if (note) expect(out).not.toContain(note[0]);
        // The final newline or its absence stays (a closing marker that becomes last keeps its own).
        if (after.size > 0 && !/EOT\r?\n$/.test(out)) expect(/\n$/.test(out)).toBe(/\n$/.test(text));
      }),
    );
  });

  it('formatValue writes source that evaluates back to the value', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        // Equal as values: an integer beyond 2^53 reads back exactly, as a bigint.
        const back = valueOfExpression(formatValue(value));
        expect(sameValue(back, value), `${stringifyJson(back)} vs ${stringifyJson(value)}`).toBe(true);
      }),
    );
  });

  it('formatValue agrees with the official parser', async () => {
    await fc.assert(
      fc.asyncProperty(jsonValue, async (value) => {
        const official = await officialValues('x.tfvars', `x = ${formatValue(value)}\n`);
        expect(official.x).toEqual(value);
      }),
      { numRuns: 40 },
    );
  });

  it('applyEdits applies non-overlapping edits and rejects overlapping ones', () => {
    const text = '0123456789abcdefghij';
    const editArb = fc
      .record({ offset: fc.nat({ max: text.length }), length: fc.nat({ max: 4 }), text: fc.string({ maxLength: 3 }) })
      .filter((e) => e.offset + e.length <= text.length);
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 5 }), (edits) => {
        const overlaps = edits.some((a, i) =>
          edits.some((b, j) => {
            if (i >= j) return false;
            if (a.length > 0 && b.length > 0) return Math.max(a.offset, b.offset) < Math.min(a.offset + a.length, b.offset + b.length);
            const [point, span] = a.length === 0 ? [a, b] : [b, a];
            return span.offset < point.offset && point.offset < span.offset + span.length;
          }),
        );
        if (overlaps) {
          expect(() => applyEdits(text, edits)).toThrow(/overlapping edits/);
          return;
        }
        // Reference: apply from the end backwards, insertions at one offset in their given order.
        const order = edits
          .map((e, i) => ({ ...e, i }))
          .sort((a, b) => b.offset - a.offset || Number(b.length > 0) - Number(a.length > 0) || b.i - a.i);
        let expected = text;
        for (const e of order) expected = expected.slice(0, e.offset) + e.text + expected.slice(e.offset + e.length);
        expect(applyEdits(text, edits)).toBe(expected);
      }),
    );
  });
});
