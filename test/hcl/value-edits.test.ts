import { lineEnding } from '../../src/hcl/line-ending.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyEdits, type Edit } from '../../src/hcl/edits.js';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { formatValue } from '../../src/hcl/format-value.js';
import { findSyncedSection, newSyncedSection, syncedSectionEdits, updateLastSynced } from '../../src/hcl/synced-section.js';
import { insertAttribute, removeAttribute, updateValue } from '../../src/hcl/value-edits.js';
import { isSyntaxError } from '../../src/hcl/tfvars-validity.js';
import { parseTfvars, type TfvarsDocument } from '../../src/hcl/tfvars.js';
import { officialValues } from '../../src/io/official-parser.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/hcl/${name}`, import.meta.url), 'utf8').replace(/^\uFEFF/, '');

/** Applies the edits `make` returns and checks that the result parses cleanly. */
function edit(text: string, make: (doc: TfvarsDocument) => Edit[]): string {
  const out = applyEdits(text, make(parseTfvars(text)));
  expect(parseTfvars(out).diagnostics.filter(isSyntaxError)).toEqual([]);
  return out;
}

function values(text: string): Record<string, JsonValue> {
  return Object.fromEntries(parseTfvars(text).attributes.map((a) => [a.name, a.value]));
}

describe('updateValue', () => {
  it('replaces only the expression: name, spacing and trailing comments stay', () => {
    const text = fixture('comments.tfvars');
    const out = edit(text, (doc) => [
      ...updateValue(doc, 'region', '"eu-west-1"'),
      ...updateValue(doc, 'cluster_name', '"lab"'),
      ...updateValue(doc, 'instance_type', '"t3.micro"'),
      ...updateValue(doc, 'node_count', '5'),
    ]);
    expect(out).toBe(
      text
        .replace('region = "us-west-2" # trailing hash comment', 'region = "eu-west-1" # trailing hash comment')
        .replace('cluster_name = "hub" // trailing', 'cluster_name = "lab" // trailing')
        .replace('instance_type = "m5.large" /* trailing', 'instance_type = "t3.micro" /* trailing')
        .replace('node_count = /* inline block comment */ 3', 'node_count = /* inline block comment */ 5'),
    );
  });

  it('leaves a /* */ comment that mentions the name alone', () => {
    const text = fixture('comments.tfvars');
    const out = edit(text, (doc) => updateValue(doc, 'node_count', '7'));
    expect(out).toContain('`grep "^node_count "` would find the next line first:\nnode_count = 99\n');
    expect(out).toContain('node_count = /* inline block comment */ 7\n');
    expect(values(out).node_count).toBe(7);
  });

  it('handles name=value without spaces, indentation and tabs', () => {
    const text = fixture('no-spaces.tfvars');
    const out = edit(text, (doc) => [
      ...updateValue(doc, 'region', '"eu-west-1"'),
      ...updateValue(doc, 'node_count', '4'),
      ...updateValue(doc, 'indented', '"x"'),
      ...updateValue(doc, 'tab_indented', '"y"'),
    ]);
    expect(out).toContain('region="eu-west-1"\n');
    expect(out).toContain('node_count =4\n');
    expect(out).toContain('  indented = "x"\n');
    expect(out).toContain('\ttab_indented = "y"\n');
    const tabs = fixture('tabs.tfvars');
    expect(edit(tabs, (doc) => updateValue(doc, 'node_count', '9'))).toBe(tabs.replace('node_count\t= 3\t#', 'node_count\t= 9\t#'));
  });

  it('writes values with sed metacharacters verbatim', () => {
    const text = fixture('sed-metachars.tfvars');
    const expr = String.raw`"x|y & z\\w $v /s/"`;
    const out = edit(text, (doc) => updateValue(doc, 'all_of_them', expr));
    expect(out).toBe(text.replace(String.raw`"a|b & c\\d $e /f/"`, expr));
    expect(values(out).all_of_them).toBe(String.raw`x|y & z\w $v /s/`);
  });

  it('replaces a one-line list with a multi-line one and back', () => {
    const text = 'a = 1\nzones = ["a"] # keep\nb = 2\n';
    const multi = '[\n  "x",\n  "y",\n]';
    const out = edit(text, (doc) => updateValue(doc, 'zones', multi));
    expect(out).toBe('a = 1\nzones = [\n  "x",\n  "y",\n] # keep\nb = 2\n');
    expect(values(out)).toEqual({ a: 1, zones: ['x', 'y'], b: 2 });
    expect(edit(out, (doc) => updateValue(doc, 'zones', '["a"]'))).toBe(text);
  });

  it('moves a trailing comment above the attribute when the new value ends in a heredoc', () => {
    const text = '# lead\n  policy = "x" # keep me\nafter = 1\n';
    const out = edit(text, (doc) => updateValue(doc, 'policy', '<<EOT\nline\nEOT'));
    expect(out).toBe('# lead\n  # keep me\n  policy = <<EOT\nline\nEOT\nafter = 1\n');
    expect(values(out)).toEqual({ policy: 'line\n', after: 1 });
  });

  it('moves every trailing comment, of any kind', () => {
    const text = 'x = 1 /* one */ // two\n';
    expect(edit(text, (doc) => updateValue(doc, 'x', '<<-EOT\n  y\n  EOT'))).toBe('/* one */ // two\nx = <<-EOT\n  y\n  EOT\n');
  });

  it('adds no line when there is no trailing comment to move', () => {
    const text = 'x = 1   \ny = 2\n';
    expect(edit(text, (doc) => updateValue(doc, 'x', '<<EOT\nz\nEOT'))).toBe('x = <<EOT\nz\nEOT\ny = 2\n');
  });

  it('ends the line of a closing marker even in a file without a final newline', () => {
    const text = 'a = 1\nb = 2 # c';
    expect(edit(text, (doc) => updateValue(doc, 'b', '<<EOT\nz\nEOT'))).toBe('a = 1\n# c\nb = <<EOT\nz\nEOT\n');
  });

  it('replaces an old heredoc up to its closing marker only', () => {
    const text = fixture('heredocs.tfvars');
    const out = edit(text, (doc) => updateValue(doc, 'plain', '"short"'));
    expect(out).toBe(text.replace('plain = <<EOT\nfirst line\n  indented line\nlast line\nEOT\n', 'plain = "short"\n'));
    const back = edit(out, (doc) => updateValue(doc, 'indented', '<<EOT\nnew\nEOT'));
    expect(values(back)).toEqual({ ...values(out), indented: 'new\n' });
  });

  it('keeps CRLF: structural line breaks take the file ending, heredoc bodies keep their value', () => {
    const text = fixture('crlf.tfvars');
    const out = edit(text, (doc) => [...updateValue(doc, 'zones', '[\n  "x",\n]'), ...updateValue(doc, 'node_count', '<<EOT\nv\nEOT')]);
    expect(out).toContain('zones = [\r\n  "x",\r\n]\r\n');
    expect(out).toContain('# trailing comment\r\nnode_count = <<EOT\r\nv\nEOT\r\n');
    expect(values(out)).toMatchObject({ zones: ['x'], node_count: 'v\n' });
  });

  it('keeps the line breaks of an expression whose value is its source text', () => {
    const text = 'a = 1\r\nb = 2\r\n';
    const expr = '[\n  for s in var.names : upper(s)\n]';
    const out = edit(text, (doc) => updateValue(doc, 'b', expr));
    expect(out).toBe(`a = 1\r\nb = ${expr}\r\n`);
    expect(values(out).b).toBe('${[\n  for s in var.names : upper(s)\n]}');
  });

  it('refuses a name the document does not set', () => {
    expect(() => updateValue(parseTfvars('a = 1\n'), 'b', '2')).toThrow('no variable "b" to edit');
  });
});

describe('insertAttribute', () => {
  it('appends name = value at the end of the file', () => {
    expect(edit('a = 1\n', (doc) => insertAttribute(doc, 'b', '"x"'))).toBe('a = 1\nb = "x"\n');
    expect(edit('', (doc) => insertAttribute(doc, 'b', '2'))).toBe('b = 2\n');
  });

  it('keeps a missing final newline missing', () => {
    const text = fixture('no-final-newline.tfvars');
    const out = edit(text, (doc) => [...insertAttribute(doc, 'x', '1'), ...insertAttribute(doc, 'y', '[\n  2,\n]')]);
    expect(out).toBe(`${text}\nx = 1\ny = [\n  2,\n]`);
  });

  it('ends a heredoc line even where the file had no final newline', () => {
    expect(edit('a = 1', (doc) => insertAttribute(doc, 'h', '<<EOT\nx\nEOT'))).toBe('a = 1\nh = <<EOT\nx\nEOT\n');
  });

  it('uses the file line ending for the new line and inside the value', () => {
    const out = edit('a = 1\r\nb = 2\r\n', (doc) => insertAttribute(doc, 'c', '{\n  k = 1\n}'));
    expect(out).toBe('a = 1\r\nb = 2\r\nc = {\r\n  k = 1\r\n}\r\n');
  });

  it('goes after the line holding the given offset, or at a line start given', () => {
    const text = 'a = 1 # one\nb = 2\n';
    const doc = parseTfvars(text);
    const a = doc.byName.get('a')!;
    expect(applyEdits(text, insertAttribute(doc, 'x', '0', { after: a.valueRange.end }))).toBe('a = 1 # one\nx = 0\nb = 2\n');
    expect(applyEdits(text, insertAttribute(doc, 'x', '0', { after: 0 }))).toBe('x = 0\na = 1 # one\nb = 2\n');
    expect(applyEdits(text, insertAttribute(doc, 'x', '0', { after: a.lineRange!.end }))).toBe('a = 1 # one\nx = 0\nb = 2\n');
  });

  it('refuses an existing name and names that are not identifiers', () => {
    const doc = parseTfvars('a = 1\n');
    expect(() => insertAttribute(doc, 'a', '2')).toThrow(/already set/);
    expect(() => insertAttribute(doc, 'not valid', '2')).toThrow(/not a valid variable name/);
    expect(() => insertAttribute(doc, '1abc', '2')).toThrow(/not a valid variable name/);
  });
});

describe('removeAttribute', () => {
  it('removes the whole lines, line comment included, but not lead comments', () => {
    const text = '# about b\n  b = [\n    1,\n  ] # trailing\nc = 3\n';
    expect(edit(text, (doc) => removeAttribute(doc, 'b'))).toBe('# about b\nc = 3\n');
  });

  it('takes the line comment of a last line that has no line break', () => {
    expect(edit('a = 1\nb = 2 # two', (doc) => removeAttribute(doc, 'b'))).toBe('a = 1');
    expect(edit('b = 2 # two\na = 1\n', (doc) => removeAttribute(doc, 'b'))).toBe('a = 1\n');
  });

  it('keeps CRLF and a missing final newline', () => {
    expect(edit('a = 1\r\nb = 2\r\n', (doc) => removeAttribute(doc, 'a'))).toBe('b = 2\r\n');
    expect(edit('a = 1\r\nb = 2', (doc) => removeAttribute(doc, 'b'))).toBe('a = 1');
    expect(edit('b = 2', (doc) => removeAttribute(doc, 'b'))).toBe('');
    expect(edit('a = 1 # one\n\n  b = 2', (doc) => removeAttribute(doc, 'b'))).toBe('a = 1 # one');
    expect(edit('h = <<EOT\nx\nEOT\r\n\nb = 2', (doc) => removeAttribute(doc, 'b'))).toBe('h = <<EOT\nx\nEOT\r\n');
  });
});

const SECTION = [
  'region = "us-west-2"',
  '',
  '# ============================',
  '# Synced features (managed by tfsync)',
  '# Last synced: 2025-01-01 from:   staging',
  '# ============================',
  'image = "a"',
  '',
  'tag = "b" # latest',
  '',
  '# ============================',
  '# LOCAL OVERRIDES',
  '# ============================',
  'domain = "x"',
  '',
].join('\n');

describe('the synced section', () => {
  it('finds the banner and the end of its attributes, before the next banner', () => {
    const doc = parseTfvars(SECTION);
    const section = findSyncedSection(doc)!;
    expect(SECTION.slice(section.banner.start, section.banner.end)).toMatch(/^# =+\n# Synced features.*\n# Last.*\n# =+\n$/);
    expect(SECTION.slice(0, section.insertAt)).toMatch(/tag = "b" # latest\n$/);
  });

  it('puts new attributes right under a banner that has none', () => {
    const text = 'a = 1\n# --- SYNCED FEATURES ---\n\n# ======\nb = 2\n';
    const section = findSyncedSection(parseTfvars(text))!;
    expect(text.slice(section.insertAt)).toBe('\n# ======\nb = 2\n');
  });

  it('ignores SYNCED FEATURES inside a heredoc or after code on a line', () => {
    expect(findSyncedSection(parseTfvars('a = <<EOT\n# SYNCED FEATURES\nEOT\nb = 1 # synced features\n'))).toBeUndefined();
  });

  it('updates only the date and source of the Last synced line', () => {
    const out = edit(SECTION, (doc) => updateLastSynced(doc, '2025-02-03', 'prod'));
    expect(out).toBe(SECTION.replace('Last synced: 2025-01-01 from:   staging', 'Last synced: 2025-02-03 from:   prod'));
    expect(updateLastSynced(parseTfvars('a = 1\n# Last synced: x from: y\n'), 'd', 's')).toEqual([]);
  });

  it('creates attributes at the end of an existing section and stamps it', () => {
    const out = edit(SECTION, (doc) =>
      syncedSectionEdits(doc, '2025-02-03', 'prod', [
        { name: 'new_one', exprText: '1' },
        { name: 'new_two', exprText: '"2"' },
      ]),
    );
    expect(out).toBe(
      SECTION.replace('2025-01-01 from:   staging', '2025-02-03 from:   prod').replace(
        'tag = "b" # latest\n',
        'tag = "b" # latest\nnew_one = 1\nnew_two = "2"\n',
      ),
    );
  });

  it('creates a new section at the end of a file that has none', () => {
    const banner = newSyncedSection('\n', '2025-02-03', 'prod');
    expect(banner).toBe(`# ${'='.repeat(68)}\n# SYNCED FEATURES (managed by tfsync)\n# Last synced: 2025-02-03 from: prod\n# ${'='.repeat(68)}\n`);
    const attributes = [{ name: 'x', exprText: '1' }];
    expect(edit('a = 1\n', (doc) => syncedSectionEdits(doc, '2025-02-03', 'prod', attributes))).toBe(`a = 1\n\n${banner}x = 1\n`);
    expect(edit('a = 1\n\n', (doc) => syncedSectionEdits(doc, '2025-02-03', 'prod', attributes))).toBe(`a = 1\n\n${banner}x = 1\n`);
    expect(edit('', (doc) => syncedSectionEdits(doc, '2025-02-03', 'prod', attributes))).toBe(`${banner}x = 1\n`);
    expect(edit('a = 1', (doc) => syncedSectionEdits(doc, '2025-02-03', 'prod', attributes))).toBe(`a = 1\n\n${banner}x = 1`);
    const crlf = newSyncedSection('\r\n', '2025-02-03', 'prod');
    expect(edit('a = 1\r\n', (doc) => syncedSectionEdits(doc, '2025-02-03', 'prod', attributes))).toBe(`a = 1\r\n\r\n${crlf}x = 1\r\n`);
    const created = edit('a = 1\n', (doc) => syncedSectionEdits(doc, 'd', 's', attributes));
    expect(findSyncedSection(parseTfvars(created))).toBeDefined();
  });
});

describe('formatValue', () => {
  it('writes scalars and short collections on one line', () => {
    expect(formatValue(null)).toBe('null');
    expect(formatValue(true)).toBe('true');
    expect(formatValue(-1.5e-7)).toBe('-1.5e-7');
    expect(formatValue('a "b" \\ c\n')).toBe('"a \\"b\\" \\\\ c\\n"');
    expect(formatValue(['a', 1, [], {}])).toBe('["a", 1, [], {}]');
    expect(formatValue({ a: 1, 'with space': 2, 'dash-ok': 3, null: 4 })).toBe('{ a = 1, "with space" = 2, dash-ok = 3, "null" = 4 }');
  });

  it('writes long collections one item a line with two-space indentation', () => {
    const long = 'x'.repeat(40);
    expect(formatValue({ list: [long, long], n: 1 })).toBe(`{\n  list = [\n    "${long}",\n    "${long}",\n  ]\n  n = 1\n}`);
  });

  it('writes strings of the JSON form as the templates they stand for', () => {
    expect(formatValue('${var.x}-suffix')).toBe('"${var.x}-suffix"');
    expect(formatValue('literal $${x} and %%{y}')).toBe('"literal $${x} and %%{y}"');
    expect(formatValue('%{if var.on}yes%{endif}')).toBe('"%{if var.on}yes%{endif}"');
    expect(() => formatValue('half ${ open')).toThrow(/not a valid template/);
  });
});

describe('lineEnding', () => {
  it('is CRLF only when most line endings are', () => {
    expect(lineEnding('a\r\nb\r\nc\n')).toBe('\r\n');
    expect(lineEnding('a\r\nb\nc\n')).toBe('\n');
    expect(lineEnding('')).toBe('\n');
  });
});

describe('evaluator edge cases', () => {
  // Objects built by plain assignment would turn a "__proto__" key into the prototype and lose it.
  it('keeps an object key named __proto__', async () => {
    const text = 'a = { "__proto__" = 1, b = 2 }\n';
    expect(values(text)).toEqual(await officialValues('proto.tfvars', text));
  });

  it('keeps an object key named __proto__ in a .tfvars.json file', () => {
    const doc = parseTfvars('{"a": {"__proto__": 1}}', { json: true });
    expect(Object.keys(doc.byName.get('a')!.value as object)).toEqual(['__proto__']);
  });
});

describe('parser edge cases', () => {
  // Attribute.lineRange is "the whole lines the attribute occupies", also on a last line without
  // a line break (removeAttribute relies on it).
  it('lineRange includes the line comment of a last line without a line break', () => {
    const text = 'a = 1\nb = null # note';
    const b = parseTfvars(text).byName.get('b')!;
    expect(text.slice(b.lineRange!.start, b.lineRange!.end)).toBe('b = null # note');
  });
});
