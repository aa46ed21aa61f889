/**
 * Error positions and messages for the invalid fixtures: tfsync must point where the official
 * parser (or, for block-in-tfvars, Terraform) points, and say what is wrong in words a user can act on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as officialParse } from '@cdktn/hcl2json';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/hcl/diagnostics.js';
import { parse } from '../../src/hcl/parser.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const invalidDir = join(repoRoot, 'fixtures/hcl/invalid');

interface Expected {
  oracle: 'accepts' | 'rejects';
  code: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  summary: string;
  message: string;
}

const expectedByFile = JSON.parse(readFileSync(join(invalidDir, 'EXPECTED.json'), 'utf8')) as Record<string, Expected>;

/**
 * What each message must say, beyond its position: the thing that is wrong, named so that the
 * user can find and fix it.
 */
const messageMustMatch: Record<string, RegExp[]> = {
  'block-in-tfvars.tfvars': [/"variable"/, /block/i, /attributes only/i],
  'duplicate-attribute.tfvars': [/"region"/, /line 1\b/, /twice|already|redefined/i],
  'missing-comma.tfvars': [/comma/i],
  'missing-value.tfvars': [/expression/i, /newline/i],
  'unterminated-comment.tfvars': [/comment/i, /\*\//],
  'unterminated-heredoc.tfvars': [/heredoc/i, /"EOT"/],
  'unterminated-string.tfvars': [/string/i, /quote|lines/i],
};

function position(text: string, d: Diagnostic): { line: number; column: number } {
  const pos = parse(text).lines.position(d.range.start);
  return { line: pos.line, column: pos.col };
}

describe('invalid fixtures', () => {
  const files = readdirSync(invalidDir).filter((f) => f !== 'EXPECTED.json').sort();

  it('EXPECTED.json describes every invalid fixture', () => {
    expect(Object.keys(expectedByFile).sort()).toEqual(files);
    expect(Object.keys(messageMustMatch).sort()).toEqual(files);
  });

  it.each(files)('%s: an error on the expected line and column, with a clear message', (name) => {
    const expected = expectedByFile[name]!;
    const text = readFileSync(join(invalidDir, name), 'utf8');
    const file = parse(text, { tfvars: true });
    const errors = file.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);

    // The diagnostic for the construct EXPECTED.json names, at the same line and column.
    const match = errors.find((d) => d.code === expected.code);
    expect(match, `no ${expected.code} diagnostic among ${errors.map((d) => d.code).join(', ')}`).toBeDefined();
    const at = position(text, match!);
    expect(at).toEqual({ line: expected.line, column: expected.column });

    // The first error is the one a user sees first: it must be on the official line.
    expect(position(text, errors[0]!).line).toBe(expected.line);

    // A clear message: a sentence, not an internal code, naming what is wrong.
    expect(match!.message).toMatch(/^[A-Z].*\.$/s);
    expect(match!.message).not.toMatch(/undefined|NaN|\[object/);
    for (const pattern of messageMustMatch[name]!) expect(match!.message).toMatch(pattern);

    // The range is inside the text and does not end before it starts.
    expect(match!.range.start).toBeGreaterThanOrEqual(0);
    expect(match!.range.end).toBeGreaterThanOrEqual(match!.range.start);
    expect(match!.range.end).toBeLessThanOrEqual(text.length);

    // parseTfvars, the entry point the commands use, reports the same.
    const doc = parseTfvars(text);
    expect(doc.diagnostics.map((d) => d.code)).toContain(expected.code);
  });

  it.each(files)('%s: the official parser agrees with EXPECTED.json', async (name) => {
    const expected = expectedByFile[name]!;
    const text = readFileSync(join(invalidDir, name), 'utf8');
    let error: string | undefined;
    try {
      await officialParse(name, text);
    } catch (e) {
      error = (e as Error).message;
    }
    if (expected.oracle === 'accepts') {
      expect(error).toBeUndefined();
    } else {
      expect(error).toMatch(/^parse config:/);
      expect(error).toContain(`${name}:${expected.line},${expected.column}-`);
    }
  });
});

describe('block in a variables file', () => {
  const text = readFileSync(join(invalidDir, 'block-in-tfvars.tfvars'), 'utf8');

  it('is rejected in a .tfvars file, although the official parser reads it', () => {
    const doc = parseTfvars(text);
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['block-in-tfvars']);
    // The attribute before the block is still read.
    expect(doc.attributes.map((a) => a.name)).toEqual(['region']);
  });

  it('is accepted in a .tf file', () => {
    expect(parse(text).diagnostics).toEqual([]);
    expect(parse(text, { tfvars: false }).diagnostics).toEqual([]);
  });

  it('is rejected wherever it stands, with or without labels, one report per block', () => {
    const doc = parseTfvars('a = 1\nlocals {\n  x = 1\n}\nb = 2\nmodule "m" "n" {}\n');
    expect(doc.diagnostics.map((d) => [d.code, position(doc.text, d).line])).toEqual([
      ['block-in-tfvars', 2],
      ['block-in-tfvars', 6],
    ]);
    expect(doc.attributes.map((a) => a.name)).toEqual(['a', 'b']);
  });
});

describe('duplicate attributes', () => {
  it('name the line of the earlier definition and point at the later one', () => {
    const text = 'a = 1\n\n# comment\nb = 2\n  a = 3\n';
    const doc = parseTfvars(text);
    expect(doc.diagnostics).toHaveLength(1);
    const d = doc.diagnostics[0]!;
    expect(d.code).toBe('duplicate-attribute');
    expect(position(text, d)).toEqual({ line: 5, column: 3 });
    expect(d.message).toContain('"a"');
    expect(d.message).toMatch(/line 1\b/);
    // The first definition wins for reading; the error stops any write.
    expect(doc.byName.get('a')?.value).toBe(1);
  });

  it('report every repetition against the first definition', () => {
    const text = 'x = 1\ny = 2\nx = 3\nx = 4\n';
    const doc = parseTfvars(text);
    expect(doc.diagnostics.map((d) => [d.code, position(text, d).line])).toEqual([
      ['duplicate-attribute', 3],
      ['duplicate-attribute', 4],
    ]);
    for (const d of doc.diagnostics) expect(d.message).toMatch(/line 1\b/);
  });

  it('are not confused by the same key inside an object value', () => {
    expect(parseTfvars('a = { a = 1 }\nb = { a = 2 }\n').diagnostics).toEqual([]);
  });

  it('in a .tf block body are reported too', () => {
    const text = 'variable "v" {\n  default = 1\n  default = 2\n}\n';
    const file = parse(text);
    expect(file.diagnostics.map((d) => [d.code, position(text, d).line])).toEqual([['duplicate-attribute', 3]]);
    expect(file.diagnostics[0]!.message).toMatch(/line 2\b/);
  });
});
