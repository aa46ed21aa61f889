/**
 * Differential tests against the official HCL parser (`@cdktn/hcl2json`, the Go implementation
 * compiled to WASM). Every value tfsync reads must be exactly the JSON the official parser gives,
 * every file it accepts tfsync must accept, and every file it rejects as a syntax error tfsync must
 * reject with a position.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as officialParse } from '@cdktn/hcl2json';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/hcl/diagnostics.js';
import { evaluate, type JsonValue } from '../../src/hcl/evaluate.js';
import { parse } from '../../src/hcl/parser.js';
import type { Body, SyntaxFile } from '../../src/hcl/syntax.js';
import { officialFormValues, parseTfvars } from '../../src/hcl/tfvars.js';
import { decodeText } from '../../src/io/read-text.js';
import { CORPUS_DIR, corpusAbsent, titled } from '../helpers/shared-material.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = join(repoRoot, 'fixtures/hcl');
const corpusDir = CORPUS_DIR;
const hasCorpus = corpusAbsent === undefined;

type JsonObject = { [key: string]: JsonValue };

/**
 * A file as each side reads it: the official parser gets the bytes decoded as UTF-8; tfsync reads
 * files the way its shell does (`decodeText`: strict UTF-8, the BOM removed and remembered).
 */
function readBoth(path: string): { raw: string; text: string } {
  const bytes = readFileSync(path);
  return { raw: bytes.toString('utf8'), text: decodeText(bytes, path).text };
}

// --- the two sides -------------------------------------------------------------------------------

type Official =
  | { outcome: 'accepts'; value: JsonObject }
  | { outcome: 'syntax-error'; message: string; line?: number; column?: number }
  | { outcome: 'conversion-error'; message: string }
  | { outcome: 'other-error'; message: string };

/** The official parser's verdict on a file. Its syntax errors start `parse config:`. */
async function official(name: string, text: string): Promise<Official> {
  try {
    return { outcome: 'accepts', value: (await officialParse(name, text)) as JsonObject };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('parse config:')) {
      const at = /:(\d+),(\d+)-/.exec(message);
      return at
        ? { outcome: 'syntax-error', message, line: Number(at[1]), column: Number(at[2]) }
        : { outcome: 'syntax-error', message };
    }
    if (message.startsWith('convert to HCL:')) return { outcome: 'conversion-error', message };
    return { outcome: 'other-error', message };
  }
}

/**
 * A body converted the way the official parser converts it: attributes evaluated, blocks nested
 * by type and then by each label, the innermost level an array of the blocks' bodies.
 */
function convertBody(body: Body, text: string): JsonObject {
  const out: JsonObject = {};
  for (const item of body.items) {
    if (item.type === 'attribute') {
      out[item.name] = evaluate(item.expr, text);
      continue;
    }
    let holder = out;
    let key = item.blockType;
    for (const label of item.labels) {
      const next = (holder[key] ??= {}) as JsonObject;
      holder = next;
      key = label;
    }
    ((holder[key] ??= []) as JsonValue[]).push(convertBody(item.body, text));
  }
  return out;
}

/**
 * tfsync's reading in the official parser's form (officialFormValues), with the diagnostics of the
 * syntax: the fixtures hold references and calls on purpose, which Terraform's variables-file rule
 * refuses (constant-value.test.ts) but the official parser reads.
 */
function tfvarsValues(text: string): { values: JsonObject; diagnostics: Diagnostic[] } {
  const doc = parseTfvars(text);
  const values: JsonObject = {};
  for (const [name, value] of officialFormValues(text)) values[name] = value as JsonObject[string];
  return { values, diagnostics: doc.diagnostics.filter((d) => d.code !== 'variables-not-allowed' && d.code !== 'functions-not-allowed') };
}

function errorsOf(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.filter((d) => d.severity === 'error');
}

/** JSON with object keys sorted: two values are the same value when these strings are equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

/** Every error diagnostic must point into the text, at a real line and column. */
function positionProblems(file: SyntaxFile, diagnostics: Diagnostic[]): string[] {
  const problems: string[] = [];
  for (const d of diagnostics) {
    const { start, end } = d.range;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > file.text.length) {
      problems.push(`${d.code} has range ${start}-${end} outside 0-${file.text.length}`);
      continue;
    }
    const pos = file.lines.position(start);
    if (!(pos.line >= 1 && pos.col >= 1)) problems.push(`${d.code} at ${start} has position ${JSON.stringify(pos)}`);
    if (d.message.trim() === '') problems.push(`${d.code} has an empty message`);
  }
  return problems;
}

function lineOf(file: SyntaxFile, d: Diagnostic): number {
  return file.lines.position(d.range.start).line;
}

// --- (a) fixtures --------------------------------------------------------------------------------

const oracle = JSON.parse(readFileSync(join(fixtureDir, 'oracle.json'), 'utf8')) as Record<string, JsonObject>;

describe('valid fixtures against oracle.json and the live official parser', () => {
  const names = Object.keys(oracle).sort();

  it('oracle.json covers every valid fixture', () => {
    const onDisk = readdirSync(fixtureDir).filter((f) => f.endsWith('.tfvars') || f.endsWith('.tf')).sort();
    expect(names).toEqual(onDisk);
  });

  it.each(names)('%s: same values as oracle.json and the official parser', async (name) => {
    const { raw, text } = readBoth(join(fixtureDir, name));
    let values: JsonObject;
    if (name.endsWith('.tfvars')) {
      const doc = tfvarsValues(text);
      expect(doc.diagnostics).toEqual([]);
      values = doc.values;
    } else {
      const file = parse(text);
      expect(file.diagnostics).toEqual([]);
      values = convertBody(file.body, text);
    }
    expect(values).toEqual(oracle[name]);
    const live = await official(name, raw);
    expect(live.outcome).toBe('accepts');
    if (live.outcome === 'accepts') expect(values).toEqual(live.value);
  });
});

// --- regressions: minimal inputs where tfsync and the official parser disagreed ---------------------

/**
 * Each input is a whole file. tfsync must agree with the official parser: both accept it with the
 * same values, or both reject it. Inputs found by differential testing; keep adding to this list.
 */
const disagreements: { name: string; text: string; tfvars: boolean }[] = [
  // Escapes naming a surrogate or a code point beyond U+10FFFF cannot be encoded in UTF-8: HCL rejects them.
  { name: 'surrogate \\u escape', text: 'a = "\\uD800"\n', tfvars: true },
  { name: '\\U escape beyond U+10FFFF', text: 'a = "\\U00110000"\n', tfvars: true },
  // HCL allows trailing spaces and tabs after a heredoc's closing marker.
  { name: 'heredoc closing marker with a trailing space', text: 'a = <<EOT\nx\nEOT \n', tfvars: true },
  { name: 'indented heredoc closing marker with a trailing tab', text: 'a = <<-EOT\n  x\n  EOT\t\nb = 1\n', tfvars: true },
  // A bare `null` object key is the string "null", not "".
  { name: 'object key null', text: 'a = { null = 2 }\n', tfvars: true },
  // The official parser writes a null inside a template as "null" (and drops it inside a directive).
  { name: 'null interpolated into a string', text: 'a = "${null}z"\n', tfvars: true },
  { name: 'null in a conditional inside a string', text: 'a = "${x ? 1 : null}z"\n', tfvars: true },
  // Integers are arbitrary precision in HCL; inside a string every digit is kept.
  { name: 'big integer interpolated into a string', text: 'a = "${12345678901234567890}z"\n', tfvars: true },
  // Strip markers in an indented heredoc: the official parser gives "  %{if true}  x\n%{endif}\n"
  // (the indentation of lines holding a directive is kept), tfsync "%{if true}x\n%{endif}\n".
  {
    name: 'strip markers in an indented heredoc',
    text: 'a = <<-EOT\n  %{ if true ~}\n  x\n  %{~ endif }\n  EOT\n',
    tfvars: true,
  },
  // Single-line blocks: one argument at most, opened and closed on the same line.
  { name: 'single-line block closed on the next line', text: 'a { b = 1 \n}\n', tfvars: false },
  { name: 'block closed on the argument line', text: 'a { \n b = 1 }\n', tfvars: false },
  { name: 'single-line block holding a block', text: 'a { b {} }\n', tfvars: false },
  // `for` right after an opening bracket starts a for expression, whatever follows.
  { name: 'object key named for', text: 'a = { for = 1 }\n', tfvars: true },
  { name: 'tuple holding a bare for', text: 'a = [for]\n', tfvars: true },
  // Template directives must balance: if/else/endif and for/endfor.
  { name: 'if directive without endif', text: 'a = "%{ if x }y"\n', tfvars: true },
  { name: 'endif without if', text: 'a = "x%{ endif }"\n', tfvars: true },
  { name: 'else without if', text: 'a = "a%{ else }b"\n', tfvars: true },
  { name: 'for directive without endfor', text: 'a = "%{ for v in x }y"\n', tfvars: true },
  { name: 'unbalanced directive in a heredoc', text: 'a = <<EOT\n%{ if x }y\nEOT\n', tfvars: true },
  { name: 'null inside a directive', text: 'a = "%{if true}${null}%{endif}"\n', tfvars: true },
  // Numbers: a fraction may have no digits before the exponent; an exponent too big to represent is an error.
  { name: 'number with an empty fraction and an exponent', text: 'a = 1.e5\nb = -2.E-2\n', tfvars: true },
  { name: 'number literal out of range', text: 'a = 1E199254740993\n', tfvars: true },
  // A carriage return without a line feed is not allowed in a heredoc. (Inside a quoted string
  // it makes the scanner loop forever; that case is tested in a child process, in
  // parser-properties.test.ts, so that it cannot hang this file.)
  { name: 'lone carriage return in a heredoc', text: 'a = <<EOT\nx\ry\nEOT\n', tfvars: true },
  // Controls: agreements that must stay agreements.
  { name: 'valid \\U escape (control)', text: 'a = "\\U0001F600 \\u00e9"\n', tfvars: true },
  { name: 'heredoc with CRLF (control)', text: 'a = <<EOT\r\nx\r\nEOT\r\n', tfvars: true },
  { name: 'single-line block (control)', text: 'a "x" { b = 1 }\n', tfvars: false },
  { name: 'object key true (control)', text: 'a = { true = 2 }\n', tfvars: true },
];

describe('agreement with the official parser on minimal inputs', () => {
  it.each(disagreements)('$name', async ({ text, tfvars }) => {
    const live = await official(tfvars ? 'x.tfvars' : 'x.tf', text);
    const file = parse(text, { tfvars });
    const errors = errorsOf(file.diagnostics);
    const tfsync = errors.length
      ? { outcome: 'rejects', errors: errors.map((d) => `${d.code} at line ${lineOf(file, d)}: ${d.message}`) }
      : { outcome: 'accepts', value: tfvars ? tfvarsValues(text).values : convertBody(file.body, text) };
    const expected =
      live.outcome === 'accepts'
        ? { outcome: 'accepts', value: live.value }
        : { outcome: 'rejects', errors: expect.any(Array) as unknown };
    expect(tfsync).toEqual(expected);
    expect(positionProblems(file, errors)).toEqual([]);
  });
});

// --- (b, c) the shared corpus ------------------------------------------------------------------------

interface CorpusEntry {
  id: string;
  kind: string;
  /** INDEX.tsv's oracle column: ok, err: ..., or - */
  indexOracle: string;
  file: string;
}

function corpusEntries(): CorpusEntry[] {
  if (!hasCorpus) return [];
  const rows = readFileSync(join(corpusDir, 'INDEX.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  return rows.map((row) => {
    const [repo = '', , path = '', , kind = '', , indexOracle = '-'] = row.split('\t');
    return { id: `${repo}/${path}`, kind, indexOracle, file: join(corpusDir, repo.replace('/', '__'), path) };
  });
}

interface Tally {
  files: number;
  acceptedIdentical: number;
  rejectedBoth: number;
  rejectedSameLine: number;
  conversionStage: number;
  blockInTfvars: number;
  jsonSyntaxSkipped: number;
  refusedByReader: number;
}

/** Runs one kind of native-syntax corpus file through both parsers; returns mismatches and counts. */
async function compareKind(entries: CorpusEntry[], kind: string): Promise<{ mismatches: string[]; tally: Tally }> {
  const tally: Tally = { files: 0, acceptedIdentical: 0, rejectedBoth: 0, rejectedSameLine: 0, conversionStage: 0, blockInTfvars: 0, jsonSyntaxSkipped: 0, refusedByReader: 0 };
  const mismatches: string[] = [];
  const refusals: string[] = [];
  const isTfvars = kind === 'tfvars';
  for (const entry of entries.filter((e) => e.kind === kind)) {
    tally.files++;
    // Files in HCL's JSON syntax are not native syntax; neither parser reads them as such.
    if (entry.file.toLowerCase().endsWith('.json')) {
      tally.jsonSyntaxSkipped++;
      continue;
    }
    let raw: string;
    let text: string;
    try {
      ({ raw, text } = readBoth(entry.file));
    } catch (error) {
      // Not UTF-8 text (or NUL bytes): tfsync's reader refuses it before any parsing.
      tally.refusedByReader++;
      refusals.push(`${entry.id}: ${(error as Error).message.split('\n')[0]}`);
      continue;
    }
    const live = await official(basename(entry.file), raw);

    if (entry.indexOracle === 'ok' && live.outcome !== 'accepts') {
      mismatches.push(`${entry.id}: INDEX.tsv says the official parser accepts it, but it gave ${live.outcome}`);
    } else if (entry.indexOracle.startsWith('err') && live.outcome === 'accepts') {
      mismatches.push(`${entry.id}: INDEX.tsv says the official parser rejects it, but it accepted it`);
    }

    let file: SyntaxFile;
    let values: JsonObject | undefined;
    try {
      file = parse(text, { tfvars: isTfvars });
      // Converted only where the official parser converts too: a body it refuses to convert
      // (blocks of one type with and without labels) has no value to compare.
      if (live.outcome === 'accepts') values = isTfvars ? tfvarsValues(text).values : convertBody(file.body, text);
    } catch (error) {
      mismatches.push(`${entry.id}: tfsync threw ${(error as Error).stack ?? String(error)}`);
      continue;
    }
    const errors = errorsOf(file.diagnostics);
    const describeErrors = () =>
      errors.slice(0, 3).map((d) => `${d.code} ${lineOf(file, d)}:${file.lines.position(d.range.start).col} ${d.message}`).join(' | ');

    switch (live.outcome) {
      case 'accepts': {
        if (errors.length && isTfvars && errors.every((d) => d.code === 'block-in-tfvars')) {
          // The official parser reads blocks anywhere; Terraform refuses them in a variables file.
          tally.blockInTfvars++;
        } else if (errors.length) {
          mismatches.push(`${entry.id}: the official parser accepts it, tfsync reports ${describeErrors()}`);
        } else if (canonical(values) !== canonical(live.value)) {
          mismatches.push(`${entry.id}: values differ\n  tfsync:   ${canonical(values).slice(0, 600)}\n  official: ${canonical(live.value).slice(0, 600)}`);
        } else {
          tally.acceptedIdentical++;
        }
        break;
      }
      case 'syntax-error': {
        if (!errors.length) {
          mismatches.push(`${entry.id}: the official parser rejects it (${live.message.slice(0, 300)}), tfsync reports no error`);
          break;
        }
        const problems = positionProblems(file, errors);
        if (problems.length) {
          mismatches.push(`${entry.id}: ${problems.join('; ')}`);
          break;
        }
        tally.rejectedBoth++;
        if (live.line !== undefined && errors.some((d) => lineOf(file, d) === live.line)) tally.rejectedSameLine++;
        break;
      }
      case 'conversion-error':
        // Not a syntax error (e.g. `null` passed to an operator, blocks with and without labels).
        tally.conversionStage++;
        break;
      default:
        mismatches.push(`${entry.id}: the official parser failed unexpectedly: ${live.message.slice(0, 300)}`);
    }
  }
  if (refusals.length) console.log(`refused by tfsync's reader:\n  ${refusals.join('\n  ')}`);
  return { mismatches, tally };
}

function report(kind: string, tally: Tally): void {
  console.log(
    `oracle [${kind}]: ${tally.files} files; accepted by the official parser and identical in tfsync: ${tally.acceptedIdentical}; ` +
      `rejected as syntax errors by both: ${tally.rejectedBoth} (same first-error line: ${tally.rejectedSameLine}); ` +
      `conversion-stage errors (not syntax): ${tally.conversionStage}; block-in-tfvars (official accepts, Terraform and tfsync reject): ${tally.blockInTfvars}; ` +
      `HCL JSON-syntax files skipped: ${tally.jsonSyntaxSkipped}; not UTF-8 (refused by the reader): ${tally.refusedByReader}`,
  );
}

describe.skipIf(!hasCorpus)(titled('the shared corpus against the official parser', corpusAbsent), () => {
  const entries = corpusEntries();
  const kinds = ['tfvars', 'variables.tf', 'other .tf', 'other'];

  it.each(kinds)(
    'kind %s: every accepted file has identical values, every rejected one is rejected with a position',
    async (kind) => {
      const { mismatches, tally } = await compareKind(entries, kind);
      report(kind, tally);
      expect(tally.files).toBeGreaterThan(0);
      expect(mismatches).toEqual([]);
    },
    300_000,
  );

  it('kind tfvars.json: parseTfvars(json) gives exactly JSON.parse', () => {
    const files = entries.filter((e) => e.kind === 'tfvars.json');
    const mismatches: string[] = [];
    for (const entry of files) {
      const { text } = readBoth(entry.file);
      const doc = parseTfvars(text, { json: true });
      if (doc.diagnostics.length) {
        mismatches.push(`${entry.id}: ${doc.diagnostics.map((d) => `${d.code}: ${d.message}`).join('; ')}`);
        continue;
      }
      const values: JsonObject = {};
      for (const attribute of doc.attributes) values[attribute.name] = attribute.value;
      const expected = JSON.parse(text) as JsonObject;
      if (canonical(values) !== canonical(expected)) mismatches.push(`${entry.id}: values differ from JSON.parse`);
    }
    console.log(`oracle [tfvars.json]: ${files.length} files; identical to JSON.parse: ${files.length - mismatches.length}`);
    expect(files.length).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
  });
});
