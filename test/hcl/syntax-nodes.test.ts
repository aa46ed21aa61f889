/**
 * The node shapes that code outside src/hcl relies on. Nodes keep their offsets as `start`/`end`
 * and build `range` on demand, and a plain string makes its `parts` on demand; both must read
 * exactly as the plain objects they replaced. Also the variables-file attributes, which keep
 * offsets and build their ranges and source text when read.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/hcl/evaluate.js';
import { parse, parseExpression } from '../../src/hcl/parser.js';
import { scan } from '../../src/hcl/scanner.js';
import type { Expression, TemplatePart } from '../../src/hcl/syntax.js';
import { parsePlaceDocument, placePath } from '../../src/hcl/object-place.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';

/** Every expression and template part under `expr`, depth first. */
function nodes(expr: Expression): Array<Expression | TemplatePart> {
  const out: Array<Expression | TemplatePart> = [expr];
  const add = (e: Expression | undefined) => e && out.push(...nodes(e));
  switch (expr.type) {
    case 'template':
    case 'heredoc':
      for (const part of expr.parts) {
        out.push(part);
        if (part.type !== 'literal') add(part.expr);
      }
      break;
    case 'tuple':
      expr.items.forEach(add);
      break;
    case 'object':
      for (const item of expr.items) {
        expect(item.range).toEqual({ start: item.key.start, end: item.value.end });
        add(item.key);
        add(item.value);
      }
      break;
    case 'unary':
      add(expr.operand);
      break;
    case 'parens':
      add(expr.inner);
      break;
    case 'conditional':
      add(expr.condition);
      add(expr.whenTrue);
      add(expr.whenFalse);
      break;
  }
  return out;
}

const SOURCE = [
  'x = [',
  '  "plain", "", "with ${var.x} inside", "%{ if c }yes%{ else }no%{ endif }",',
  '  1, -2.5, true, null, !false, (3), a.b[0], f(1, 2), c ? "t" : "f",',
  '  { k = "v", "q" : [1] },',
  '  <<-EOT',
  '    one ${two}',
  '    EOT',
  '  , <<EOT',
  'single',
  'EOT',
  ']',
  '',
].join('\n');

describe('expression nodes', () => {
  const file = parse(SOURCE);
  const attribute = file.body.items[0]!;
  if (attribute.type !== 'attribute') throw new Error('expected an attribute');

  it('read `range` as { start, end }, inside the text and in order', () => {
    expect(file.diagnostics).toEqual([]);
    for (const node of nodes(attribute.expr)) {
      expect(node.range).toEqual({ start: node.start, end: node.end });
      expect(node.start).toBeGreaterThanOrEqual(0);
      expect(node.end).toBeGreaterThanOrEqual(node.start);
      expect(node.end).toBeLessThanOrEqual(SOURCE.length);
    }
  });

  it('cover the text they stand for', () => {
    const texts = nodes(attribute.expr).map((n) => SOURCE.slice(n.start, n.end));
    expect(texts).toEqual(expect.arrayContaining(['"plain"', 'plain', '""', '-2.5', 'a.b[0]', 'f(1, 2)', 'c ? "t" : "f"', '{ k = "v", "q" : [1] }']));
  });

  it('a plain string has one literal part without the quotes, an empty string none', () => {
    const plain = parseExpression('"abc"').expr;
    expect(plain.type).toBe('template');
    if (plain.type !== 'template') return;
    expect(plain.parts.map((p) => [p.type, p.start, p.end, p.range])).toEqual([['literal', 1, 4, { start: 1, end: 4 }]]);
    const empty = parseExpression('""').expr;
    expect(empty.type === 'template' && empty.parts).toEqual([]);
  });

  it('evaluate to what the official parser gives for the same text', () => {
    expect(evaluate(attribute.expr, SOURCE)).toEqual([
      'plain', '', 'with ${var.x} inside', '%{if c}yes%{else}no%{endif}',
      1, -2.5, true, null, true, '${(3)}', '${a.b[0]}', '${f(1, 2)}', '${c ? "t" : "f"}',
      { k: 'v', q: [1] },
      'one ${two}\n', 'single\n',
    ]);
  });
});

describe('variables-file attributes', () => {
  const text = 'a = 1 # one\n\n  b = "two"   // two\nc = [\n  3,\n] /* three */\nd = 4';

  it('give their ranges, line and source text', () => {
    const doc = parseTfvars(text);
    const shown = doc.attributes.map((a) => ({
      name: a.name,
      line: a.line,
      source: a.source,
      name_: text.slice(a.nameRange.start, a.nameRange.end),
      value: text.slice(a.valueRange.start, a.valueRange.end),
      lines: text.slice(a.lineRange!.start, a.lineRange!.end),
      comment: a.lineComment && text.slice(a.lineComment.start, a.lineComment.end),
    }));
    expect(shown).toEqual([
      { name: 'a', line: 1, source: '1', name_: 'a', value: '1', lines: 'a = 1 # one\n', comment: '# one' },
      { name: 'b', line: 3, source: '"two"', name_: 'b', value: '"two"', lines: '  b = "two"   // two\n', comment: '// two' },
      { name: 'c', line: 4, source: '[\n  3,\n]', name_: 'c', value: '[\n  3,\n]', lines: 'c = [\n  3,\n] /* three */\n', comment: '/* three */' },
      { name: 'd', line: 7, source: '4', name_: 'd', value: '4', lines: 'd = 4', comment: undefined },
    ]);
  });

  it('number lines after lone carriage returns and CRLF alike', () => {
    const doc = parseTfvars('# old\r# mac\r\na = 1\r\n\r\nb = 2\n');
    expect(doc.attributes.map((a) => [a.name, a.line])).toEqual([['a', 3], ['b', 5]]);
  });

  it('scan the tokens again on demand, the same as a scan of the text', () => {
    const doc = parseTfvars(text);
    const tokens = doc.tokens!;
    expect(doc.tokens).toBe(tokens);
    const fresh = scan(text).tokens;
    expect([...tokens.kinds]).toEqual([...fresh.kinds]);
    expect([...tokens.starts]).toEqual([...fresh.starts]);
  });

  it('with names set twice: the first value counts, every diagnostic in position order', () => {
    const doc = parseTfvars('a = 1\nb = = 2\na = 3\nc = "x\nc = 4\n');
    expect(doc.attributes.map((a) => [a.name, a.value])).toEqual([['a', 1], ['c', 4]]);
    expect(doc.diagnostics.map((d) => [d.code, d.range.start])).toEqual([
      ['expected-expression', 10],
      ['duplicate-attribute', 14],
      ['unterminated-string', 26],
    ]);
    expect(doc.diagnostics[1]!.message).toBe('Attribute "a" is set twice; it was already set on line 1.');
    expect(doc.byName.get('a')!.value).toBe(1);
  });
});

describe('object items keep their comments apart, as attributes do', () => {
  const text = [
    'tags = {',
    '  # who pays',
    '  // and why',
    '  cost_center = "42" # finance',
    '  team        = "core", // the owners',
    '  /* not alone */ plain = 1',
    '  bare = 2',
    '}',
    '',
  ].join('\n');
  const object = parse(text).body.items[0]!;
  if (object.type !== 'attribute' || object.expr.type !== 'object') throw new Error('expected an object attribute');
  const [costCenter, team, plain, bare] = object.expr.items;
  const slice = (range: { start: number; end: number } | undefined) => (range ? text.slice(range.start, range.end) : undefined);

  it('lead comments: the comment lines directly above the key', () => {
    expect(slice(costCenter!.leadComments)).toBe('# who pays\n  // and why');
    expect(team!.leadComments).toBeUndefined();
    expect(plain!.leadComments).toBeUndefined();
  });

  it('line comment: after the value, or after its comma', () => {
    expect(slice(costCenter!.lineComment)).toBe('# finance');
    expect(slice(team!.lineComment)).toBe('// the owners');
    expect(bare!.lineComment).toBeUndefined();
  });

  it('a Terragrunt inputs item carries its line comment into the document', () => {
    const doc = parsePlaceDocument(`inputs = {\n  image = "v1" # pinned\n  size  = 3\n}\n`, placePath('inputs', undefined));
    const image = doc.byName.get('image')!;
    expect(doc.text.slice(image.lineComment!.start, image.lineComment!.end)).toBe('# pinned');
    // Its lines run through the comment and the newline, so that removing it leaves no stray comment.
    expect(doc.text.slice(image.lineRange!.start, image.lineRange!.end)).toBe('  image = "v1" # pinned\n');
    expect(doc.byName.get('size')!.lineComment).toBeUndefined();
  });
});
