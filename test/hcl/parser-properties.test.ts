/**
 * Property tests for the HCL core:
 *   (a) the scanner and parser never throw or hang, on any input, and their tokens always cover it;
 *   (b) generated tfvars documents (every syntax feature a real file uses) print back byte for
 *       byte, parse without errors, evaluate to the values they were built from, and a sample of
 *       them evaluate identically under the official parser;
 *   (c) pathological nesting yields a `too-deep` diagnostic, not a stack overflow.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as officialParse } from '@cdktn/hcl2json';
import fc from 'fast-check';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { MAX_NESTING, parse } from '../../src/hcl/parser.js';
import { T, type Tokens } from '../../src/hcl/scanner.js';
import { officialFormValues, parseTfvars } from '../../src/hcl/tfvars.js';

const TFVARS_VALIDITY = new Set(['variables-not-allowed', 'functions-not-allowed']);

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = join(repoRoot, 'fixtures/hcl');

type JsonObject = { [key: string]: JsonValue };

// --- helpers -----------------------------------------------------------------------------------

/** Empty when the tokens are a contiguous, lossless cover of the text ending in Eof. */
function coverageProblems(text: string, tokens: Tokens): string[] {
  const problems: string[] = [];
  const n = tokens.count;
  if (n < 1 || tokens.kind(n - 1) !== T.Eof) problems.push('the last token is not Eof');
  if (tokens.start(0) !== 0) problems.push(`the first token starts at ${tokens.start(0)}`);
  let joined = '';
  for (let i = 0; i < n; i++) {
    if (i > 0 && tokens.start(i) !== tokens.end(i - 1)) problems.push(`gap or overlap before token ${i}`);
    if (i < n - 1 && tokens.end(i) <= tokens.start(i)) problems.push(`token ${i} is empty`);
    joined += text.slice(tokens.start(i), tokens.end(i));
  }
  if (tokens.end(n - 1) !== text.length) problems.push(`Eof at ${tokens.end(n - 1)}, text length ${text.length}`);
  if (joined !== text) problems.push('the concatenated tokens are not the text');
  return problems;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

// --- (a) robustness ---------------------------------------------------------------------------------

/*
 * "Never throws" has to include "never hangs": a scanner that stops advancing loops forever, and a
 * synchronous loop cannot be interrupted inside the test worker (it runs until the worker dies of
 * memory, minutes later, taking every other result in the file with it). So the robustness checks
 * run in a child process, over the HCL sources transpiled on the fly, with a time limit; the child
 * notes each input before it runs it, so a hang or a crash names the input that caused it.
 */
const RUNNER = `
import { openSync, readFileSync, writeSync } from 'node:fs';
import { parse } from './src/hcl/parser.js';
import { parseTfvars } from './src/hcl/tfvars.js';
import { stringifyJson } from './src/hcl/json-text.js';
import { parseVariables } from './src/hcl/variables.js';

const [inputsFile, progressFile] = process.argv.slice(2);
const inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
const progress = openSync(progressFile, 'w');
const EOF_KIND = ${T.Eof};

function coverage(text, tokens) {
  const problems = [];
  const n = tokens.count;
  if (n < 1 || tokens.kind(n - 1) !== EOF_KIND) problems.push('the last token is not Eof');
  if (tokens.start(0) !== 0) problems.push('the first token starts at ' + tokens.start(0));
  let joined = '';
  for (let i = 0; i < n; i++) {
    if (i > 0 && tokens.start(i) !== tokens.end(i - 1)) problems.push('gap or overlap before token ' + i);
    if (i < n - 1 && tokens.end(i) <= tokens.start(i)) problems.push('token ' + i + ' is empty');
    joined += text.slice(tokens.start(i), tokens.end(i));
  }
  if (tokens.end(n - 1) !== text.length) problems.push('Eof is not at the end of the text');
  if (joined !== text) problems.push('the concatenated tokens are not the text');
  return problems;
}

const failures = [];
for (let i = 0; i < inputs.length; i++) {
  writeSync(progress, i + '\\n');
  const text = inputs[i];
  try {
    const file = parse(text);
    const problems = coverage(text, file.tokens);
    for (const d of file.diagnostics) {
      if (!(d.range.start >= 0 && d.range.end >= d.range.start && d.range.end <= text.length)) {
        problems.push(d.code + ' has range ' + d.range.start + '-' + d.range.end);
      }
      if (typeof d.message !== 'string' || d.message === '') problems.push(d.code + ' has no message');
      file.lines.position(d.range.start);
    }
    const tfvars = parseTfvars(text);
    problems.push(...coverage(text, tfvars.tokens));
    stringifyJson(tfvars.attributes.map((a) => a.value));
    parseVariables(text);
    if (problems.length) failures.push({ text, problems: [...new Set(problems)].slice(0, 5) });
  } catch (error) {
    failures.push({ text, problems: ['threw ' + String(error && error.stack ? error.stack : error).slice(0, 500)] });
  }
}
process.stdout.write(JSON.stringify(failures));
`;

let sandboxDir: string | undefined;
let batch = 0;

function sandbox(): string {
  if (sandboxDir) return sandboxDir;
  const dir = mkdtempSync(join(tmpdir(), 'tfsync-hcl-sandbox-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  // All of src/, so that imports between its folders resolve.
  const srcDir = join(repoRoot, 'src');
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts')) continue;
    const from = join(entry.parentPath, entry.name);
    const to = join(dir, 'src', from.slice(srcDir.length + 1)).replace(/\.ts$/, '.js');
    const { outputText } = ts.transpileModule(readFileSync(from, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
    });
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, outputText);
  }
  writeFileSync(join(dir, 'runner.mjs'), RUNNER);
  return (sandboxDir = dir);
}

afterAll(() => {
  if (!sandboxDir) return;
  unlinkSync(join(sandboxDir, 'node_modules'));
  rmSync(sandboxDir, { recursive: true, force: true });
});

interface SandboxResult {
  /** The input the child was running when it ran out of time or memory. */
  stuckOn?: string;
  how?: string;
  failures: { text: string; problems: string[] }[];
}

/**
 * Parses every input in a child process. The child is stopped when it makes no progress for
 * `stallMs` (one input should take microseconds) or runs out of memory; the result then names the
 * input it was on.
 */
async function runSandboxed(inputs: string[], { stallMs = 3_000, script = 'runner.mjs' } = {}): Promise<SandboxResult> {
  const dir = sandbox();
  const n = batch++;
  const inputsFile = join(dir, `inputs-${n}.json`);
  const progressFile = join(dir, `progress-${n}.txt`);
  writeFileSync(inputsFile, JSON.stringify(inputs));
  writeFileSync(progressFile, '');
  const child = spawn(process.execPath, ['--max-old-space-size=256', script, inputsFile, progressFile], { cwd: dir });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let stalled = false;
  let lastSize = -1;
  let lastChange = Date.now();
  const watchdog = setInterval(() => {
    const size = statSync(progressFile).size;
    if (size !== lastSize) {
      lastSize = size;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallMs) {
      stalled = true;
      child.kill('SIGKILL');
    }
  }, 100);
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  clearInterval(watchdog);
  if (code === 0) return { failures: JSON.parse(stdout) as SandboxResult['failures'] };
  const lines = readFileSync(progressFile, 'utf8').trim().split('\n');
  const last = lines[0] === '' ? -1 : Number(lines[lines.length - 1]);
  const how = stalled ? `no progress for ${stallMs} ms` : `exit ${code ?? signal}: ${stderr.slice(-400)}`;
  if (last < 0 || Number.isNaN(last)) throw new Error(`the sandbox failed before its first input: ${how}`);
  return { stuckOn: inputs[last], how, failures: [] };
}

async function expectRobust(inputs: string[], seed: number): Promise<void> {
  const result = await runSandboxed(inputs);
  expect(result.stuckOn, `hung or crashed (${result.how}) on ${JSON.stringify(result.stuckOn)} (seed ${seed})`).toBeUndefined();
  expect(result.failures, `seed ${seed}`).toEqual([]);
}

const HCL_PUNCTUATION = '"{}[]()=:,#/*$%~<>-\\\n\r\t';
const MUTATION_CHARS = [...HCL_PUNCTUATION, ...'abcxyzEOT019 .'];

const fixtureTexts = readdirSync(fixtureDir)
  .filter((f) => f.endsWith('.tfvars') || f.endsWith('.tf'))
  .map((f) => readFileSync(join(fixtureDir, f), 'utf8'));

type Mutation = { op: 'insert' | 'delete' | 'replace'; at: number; char: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('insert', 'delete', 'replace'),
  at: fc.nat(),
  char: fc.constantFrom(...MUTATION_CHARS),
});

function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.op === 'insert') out = out.slice(0, at) + m.char + out.slice(at);
    else if (m.op === 'delete') out = out.slice(0, at) + out.slice(at + 1);
    else out = out.slice(0, at) + m.char + out.slice(at + 1);
  }
  return out;
}

function sample<V>(arbitrary: fc.Arbitrary<V>, numRuns: number): { values: V[]; seed: number } {
  const seed = Date.now() ^ (Math.random() * 0x7fffffff);
  return { values: fc.sample(arbitrary, { numRuns, seed }), seed };
}

describe('(a) the scanner and parser never throw or hang, and tokens always cover the input', () => {
  it('on arbitrary unicode strings', async () => {
    const { values, seed } = sample(fc.string({ unit: 'binary', maxLength: 300 }), 1000);
    await expectRobust(values, seed);
  });

  it('on strings of UTF-16 code units, lone surrogates included', async () => {
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 }).map((a) => String.fromCharCode(...a));
    const { values, seed } = sample(units, 500);
    await expectRobust(values, seed);
  });

  it('on strings made of HCL punctuation, letters and digits', async () => {
    const hclish = fc.string({ unit: fc.constantFrom(...MUTATION_CHARS, '"${', '%{', '<<EOT\n', '<<-EOT\n', '\nEOT\n', '}"', '\r\n'), maxLength: 200 });
    const { values, seed } = sample(hclish, 3000);
    await expectRobust(values, seed);
  });

  it('on random bytes decoded as latin1 and as UTF-8 with replacement', async () => {
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const { values, seed } = sample(fc.uint8Array({ maxLength: 400 }), 500);
    await expectRobust(values.flatMap((bytes) => [Buffer.from(bytes).toString('latin1'), decoder.decode(bytes)]), seed);
  });

  it('on mutations of the fixtures', async () => {
    const mutated = fc
      .tuple(fc.constantFrom(...fixtureTexts), fc.array(mutation, { minLength: 1, maxLength: 8 }))
      .map(([text, mutations]) => mutate(text, mutations));
    const { values, seed } = sample(mutated, 1500);
    await expectRobust(values, seed);
  });

  it('on every prefix of the fixtures', async () => {
    const prefixes: string[] = [];
    for (const text of fixtureTexts) for (let i = 0; i <= text.length; i++) prefixes.push(text.slice(0, i));
    await expectRobust(prefixes, 0);
  });

  it('the sandbox notices a hang and names the input (the check itself can fail)', async () => {
    const dir = sandbox();
    writeFileSync(
      join(dir, 'hang.mjs'),
      "import { openSync, writeSync } from 'node:fs';\nconst p = openSync(process.argv[3], 'w');\nwriteSync(p, '0\\n');\nwriteSync(p, '1\\n');\nfor (;;);\n",
    );
    const result = await runSandboxed(['first', 'second', 'third'], { stallMs: 500, script: 'hang.mjs' });
    expect(result.stuckOn).toBe('second');
    expect(result.how).toMatch(/no progress/);
  });

  // Found by the properties above: the scanner stops advancing on a carriage return that is not
  // followed by a line feed inside a quoted string, and loops until memory runs out.
  it('a lone carriage return inside a quoted string is an error, not a hang', async () => {
    const inputs = ['"\r', 'a = "x\ry"\n', 'a = "\r"\n', 'a = ["a", "b\r"]\n', 'a = "${"\r"}"\n'];
    for (const text of inputs) {
      const result = await runSandboxed([text]);
      expect(result.stuckOn, `hung or crashed on ${JSON.stringify(text)}: ${result.how}`).toBeUndefined();
      expect(result.failures).toEqual([]);
    }
    // Safe to run here now. The official parser rejects these ("Invalid multi-line string").
    for (const text of inputs.slice(1)) expect(parse(text).diagnostics.length, JSON.stringify(text)).toBeGreaterThan(0);
  }, 60_000);
});

// --- (b) generated tfvars documents ----------------------------------------------------------------

/** The text of a piece of syntax and the JSON value the official parser gives for it. */
interface Rendered {
  text: string;
  value: JsonValue;
}

interface Layout {
  eol: '\n' | '\r\n';
  /** One level of indentation. */
  unit: string;
}

// Template pieces. `raw` is the source; `cooked` the characters it stands for.
type Piece =
  | { k: 'lit'; raw: string }
  | { k: 'esc'; raw: string; cooked: string }
  | { k: 'dollar' } // $${ : a literal ${
  | { k: 'percent' } // %%{ : a literal %{
  | { k: 'sigil'; raw: string } // a $ or % not followed by {
  | { k: 'interp'; expr: string; padded: boolean };

type Node =
  | { t: 'number'; text: string; negative: boolean }
  | { t: 'bool'; value: boolean }
  | { t: 'null' }
  | { t: 'ref'; expr: string }
  | { t: 'string'; pieces: Piece[] }
  | { t: 'heredoc'; marker: string; indented: boolean; base: number; indentChar: ' ' | '\t'; closeIndent: number; lines: HeredocLine[] }
  | { t: 'tuple'; items: TupleItem[]; multiline: boolean; trailingComma: boolean; tight: boolean }
  | { t: 'object'; entries: ObjectEntry[]; multiline: boolean; commas: boolean; trailingComma: boolean };

interface HeredocLine {
  extra: number;
  pieces: Piece[];
}

interface TupleItem {
  node: Node;
  comment: string | null;
  before: string | null;
}

interface ObjectEntry {
  key: { bare: boolean; raw: string; cooked: string };
  separator: string;
  node: Node;
  comment: string | null;
}

const lowerIdent = fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/);
const commentText = fc.string({ unit: fc.constantFrom(...'abc xyz-=#/:.,!?é日'), maxLength: 20 });
/** A comment that ends before the end of the line. */
const lineComment = fc.oneof(
  commentText.map((c) => `# ${c}`),
  commentText.map((c) => `// ${c}`),
  commentText.map((c) => `/* ${c} */`),
);

const QUOTED_CHARS = [...'abcdefxyz ABC0189', ...".,;:_-+=!?@^&|<>'#/*()[]{}~", 'é', 'ß', '日本', '😀', 'e\u0301'];
const ESCAPES: { raw: string; cooked: string }[] = [
  { raw: '\\n', cooked: '\n' },
  { raw: '\\t', cooked: '\t' },
  { raw: '\\r', cooked: '\r' },
  { raw: '\\"', cooked: '"' },
  { raw: '\\\\', cooked: '\\' },
  { raw: '\\u00e9', cooked: 'é' },
  { raw: '\\u0024', cooked: '$' },
  { raw: '\\u0025', cooked: '%' },
  { raw: '\\U0001F600', cooked: '😀' },
];
const INTERPOLATIONS = ['var.region', 'local.name', 'var.list[0]', 'var.map["k"]', 'upper(var.x)', 'module.vpc.id', 'var.a.b', 'length(var.list)'];

const interp = fc.record({ k: fc.constant('interp' as const), expr: fc.constantFrom(...INTERPOLATIONS), padded: fc.boolean() });
const quotedPiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...QUOTED_CHARS), minLength: 1, maxLength: 12 }).map((raw) => ({ k: 'lit' as const, raw })) },
  { weight: 2, arbitrary: fc.constantFrom(...ESCAPES).map((e) => ({ k: 'esc' as const, ...e })) },
  { weight: 1, arbitrary: fc.constant({ k: 'dollar' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'percent' as const }) },
  { weight: 1, arbitrary: fc.constantFrom('$x', '% ', '$ ', '%d').map((raw) => ({ k: 'sigil' as const, raw })) },
  { weight: 2, arbitrary: interp },
);

const HEREDOC_CHARS = [...'abcdefxyz ABC0189', ...'.,;:_-+=!?@^&|<>\'"#/*()[]{}~\\', 'é', '日本'];
const heredocPiece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...HEREDOC_CHARS), minLength: 1, maxLength: 16 }).map((raw) => ({ k: 'lit' as const, raw })) },
  { weight: 1, arbitrary: fc.constant({ k: 'dollar' as const }) },
  { weight: 1, arbitrary: fc.constant({ k: 'percent' as const }) },
  { weight: 2, arbitrary: interp },
);

const number: fc.Arbitrary<Node> = fc
  .record({
    text: fc.oneof(
      fc.nat({ max: 1_000_000_000 }).map(String),
      fc.tuple(fc.nat({ max: 99_999 }), fc.nat({ max: 9_999 })).map(([i, f]) => `${i}.${String(f).padStart(2, '0')}`),
      fc.tuple(fc.integer({ min: 1, max: 99 }), fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 20 })).map(
        ([m, e, s, x]) => `${m}${e}${s}${x}`,
      ),
    ),
    negative: fc.boolean(),
  })
  // -0 is 0 in the official JSON; keep negatives non-zero.
  .map(({ text, negative }) => ({ t: 'number' as const, text, negative: negative && Number(text) !== 0 }));

const scalar: fc.Arbitrary<Node> = fc.oneof(
  { weight: 3, arbitrary: fc.array(quotedPiece, { maxLength: 6 }).map((pieces) => ({ t: 'string' as const, pieces })) },
  { weight: 2, arbitrary: number },
  { weight: 1, arbitrary: fc.boolean().map((value) => ({ t: 'bool' as const, value })) },
  { weight: 1, arbitrary: fc.constant({ t: 'null' as const }) },
  { weight: 1, arbitrary: fc.constantFrom(...INTERPOLATIONS).map((expr) => ({ t: 'ref' as const, expr })) },
);

const heredoc: fc.Arbitrary<Node> = fc.record({
  t: fc.constant('heredoc' as const),
  marker: fc.constantFrom('EOT', 'EOF', 'END_POLICY', 'X'),
  indented: fc.boolean(),
  base: fc.integer({ min: 1, max: 4 }),
  indentChar: fc.constantFrom(' ' as const, '\t' as const),
  closeIndent: fc.integer({ min: 0, max: 4 }),
  lines: fc.array(
    fc.oneof(
      {
        weight: 5,
        arbitrary: fc
          .record({ extra: fc.integer({ min: 0, max: 3 }), pieces: fc.array(heredocPiece, { minLength: 1, maxLength: 4 }) })
          // A line of only white space does not count towards `<<-` indentation; keep lines simple.
          .filter((line) => line.pieces.some((p) => p.k !== 'lit' || p.raw.trim() !== '')),
      },
      { weight: 1, arbitrary: fc.constant<HeredocLine>({ extra: 0, pieces: [] }) },
    ),
    { maxLength: 5 },
  ),
});

const quotedKey = fc
  .array(fc.oneof(fc.string({ unit: fc.constantFrom(...'abc XYZ-_:./0é'), minLength: 1, maxLength: 8 }).map((raw) => ({ raw, cooked: raw })), fc.constantFrom(...ESCAPES.slice(0, 6))), {
    maxLength: 3,
  })
  .map((parts) => ({ bare: false, raw: parts.map((p) => p.raw).join(''), cooked: parts.map((p) => p.cooked).join('') }));
const bareKey = lowerIdent
  .filter((k) => !['true', 'false', 'null', 'for'].includes(k))
  .map((k) => ({ bare: true, raw: k, cooked: k }));

const { value: valueNode } = fc.letrec<{ value: Node; tuple: Node; object: Node; entryValue: Node }>((tie) => ({
  value: fc.oneof({ maxDepth: 4, depthIdentifier: 'value' }, scalar, tie('tuple'), tie('object')),
  tuple: fc.record({
    t: fc.constant('tuple' as const),
    items: fc.array(fc.record({ node: tie('value'), comment: fc.option(lineComment, { nil: null }), before: fc.option(commentText, { freq: 8, nil: null }) }), { maxLength: 4 }),
    multiline: fc.boolean(),
    trailingComma: fc.boolean(),
    tight: fc.boolean(),
  }),
  object: fc.record({
    t: fc.constant('object' as const),
    entries: fc.uniqueArray(
      fc.record({
        key: fc.oneof({ weight: 3, arbitrary: bareKey }, { weight: 1, arbitrary: quotedKey }),
        separator: fc.constantFrom(' = ', '=', ': ', ':', '  = '),
        node: tie('entryValue'),
        comment: fc.option(lineComment, { freq: 4, nil: null }),
      }),
      { maxLength: 4, selector: (e) => e.key.cooked },
    ),
    multiline: fc.boolean(),
    commas: fc.boolean(),
    trailingComma: fc.boolean(),
  }),
  entryValue: fc.oneof({ weight: 8, arbitrary: tie('value') }, { weight: 1, arbitrary: heredoc }),
}));

interface AttributeSpec {
  name: string;
  node: Node;
  indent: string;
  before: string;
  after: string;
  lead: string[];
  blankBefore: number;
  trailing: string | null;
}

const attributeName = fc.oneof({ weight: 9, arbitrary: lowerIdent }, { weight: 1, arbitrary: fc.constantFrom('région', 'Upper_Case', 'x-1', 'true', 'null', 'for') });

const attribute: fc.Arbitrary<AttributeSpec> = fc.record({
  name: attributeName,
  node: fc.oneof({ weight: 6, arbitrary: valueNode }, { weight: 1, arbitrary: heredoc }),
  indent: fc.constantFrom('', '', '', '  ', '\t'),
  before: fc.constantFrom(' ', '', '   ', '\t'),
  after: fc.constantFrom(' ', '', '  '),
  lead: fc.array(fc.oneof(lineComment, commentText.map((c) => `/* ${c}\n   ${c} */`)), { maxLength: 2 }),
  blankBefore: fc.integer({ min: 0, max: 2 }),
  trailing: fc.option(lineComment, { freq: 3, nil: null }),
});

interface DocSpec {
  eol: '\n' | '\r\n';
  unit: string;
  banner: boolean;
  attributes: AttributeSpec[];
  finalNewline: boolean;
  trailingComment: string | null;
}

const docSpec: fc.Arbitrary<DocSpec> = fc.record({
  eol: fc.constantFrom('\n' as const, '\r\n' as const),
  unit: fc.constantFrom('  ', '    ', '\t'),
  banner: fc.boolean(),
  attributes: fc.uniqueArray(attribute, { maxLength: 8, selector: (a) => a.name }),
  finalNewline: fc.boolean(),
  trailingComment: fc.option(lineComment, { freq: 4, nil: null }),
});

/** Literal template text as the official JSON shows it: a literal ${ or %{ is written $${ / %%{. */
function escapeMarkers(s: string): string {
  return s.replace(/([$%])\{/g, '$1$1{');
}

/** The source and the JSON string of a template's pieces (a quoted string or one heredoc line). */
function renderPieces(pieces: Piece[], quoted: boolean): { text: string; value: string } {
  let text = '';
  let value = '';
  let literal = ''; // the cooked run of literal text since the last interpolation
  const flush = () => {
    value += escapeMarkers(literal.normalize('NFC'));
    literal = '';
  };
  for (const p of pieces) {
    switch (p.k) {
      case 'lit':
        text += p.raw;
        literal += p.raw;
        break;
      case 'esc':
        text += p.raw;
        literal += p.cooked;
        break;
      case 'dollar':
        text += '$${';
        literal += '${';
        break;
      case 'percent':
        text += '%%{';
        literal += '%{';
        break;
      case 'sigil':
        text += p.raw;
        literal += p.raw;
        break;
      case 'interp':
        flush();
        text += p.padded ? `\${ ${p.expr} }` : `\${${p.expr}}`;
        value += `\${${p.expr}}`;
        break;
    }
  }
  flush();
  if (quoted) return { text: `"${text}"`, value };
  return { text, value };
}

function render(node: Node, depth: number, layout: Layout): Rendered {
  const { eol, unit } = layout;
  const indent = (d: number) => unit.repeat(d);
  switch (node.t) {
    case 'number': {
      const n = Number(node.text);
      return { text: (node.negative ? '-' : '') + node.text, value: node.negative ? -n : n };
    }
    case 'bool':
      return { text: String(node.value), value: node.value };
    case 'null':
      return { text: 'null', value: null };
    case 'ref':
      return { text: node.expr, value: `\${${node.expr}}` };
    case 'string': {
      const only = node.pieces.length === 1 && node.pieces[0]!.k === 'interp' ? node.pieces[0] : undefined;
      const r = renderPieces(node.pieces, true);
      return only?.k === 'interp' ? { text: r.text, value: `\${${only.expr}}` } : r;
    }
    case 'heredoc': {
      const lineIndent = (line: HeredocLine) => (line.pieces.length ? node.indentChar.repeat(node.base + line.extra) : '');
      let text = `<<${node.indented ? '-' : ''}${node.marker}${eol}`;
      const rendered = node.lines.map((line) => {
        const r = renderPieces(line.pieces, false);
        return { text: lineIndent(line) + r.text, value: lineIndent(line) + r.value, blank: !line.pieces.length };
      });
      // `<<-` removes the white space common to the non-blank lines, counted in characters.
      const leading = (line: string) => /^[ \t]*/.exec(line)![0].length;
      const strip = node.indented ? Math.min(...rendered.filter((r) => !r.blank).map((r) => leading(r.text))) : 0;
      let value = '';
      for (const r of rendered) {
        text += r.text + eol;
        value += r.value.slice(Number.isFinite(strip) ? strip : 0) + eol;
      }
      text += node.indentChar.repeat(node.closeIndent) + node.marker;
      return { text, value };
    }
    case 'tuple': {
      const items = node.items.map((item) => ({ item, r: render(item.node, depth + 1, layout) }));
      const value = items.map(({ r }) => r.value);
      if (!node.multiline) {
        const sep = node.tight ? ',' : ', ';
        const body = items.map(({ item, r }) => (item.before !== null ? `/* ${item.before} */ ` : '') + r.text).join(sep);
        return { text: `[${body}${node.trailingComma && items.length ? ',' : ''}]`, value };
      }
      let text = `[${eol}`;
      items.forEach(({ item, r }, i) => {
        const comma = i < items.length - 1 || node.trailingComma ? ',' : '';
        const before = item.before !== null ? `/* ${item.before} */ ` : '';
        const comment = item.comment !== null ? ` ${item.comment}` : '';
        text += `${indent(depth + 1)}${before}${r.text}${comma}${comment}${eol}`;
      });
      return { text: `${text}${indent(depth)}]`, value };
    }
    case 'object': {
      const entries = node.entries.map((entry) => ({ entry, r: render(entry.node, depth + 1, layout) }));
      const value: JsonObject = {};
      for (const { entry, r } of entries) value[entry.key.cooked] = r.value;
      const keyText = (e: ObjectEntry) => (e.key.bare ? e.key.raw : `"${e.key.raw}"`);
      const multiline = node.multiline || node.entries.some((e) => e.node.t === 'heredoc');
      if (!multiline) {
        if (!entries.length) return { text: '{}', value };
        const body = entries.map(({ entry, r }) => `${keyText(entry)}${entry.separator}${r.text}`).join(', ');
        return { text: `{ ${body}${node.trailingComma ? ',' : ''} }`, value };
      }
      let text = `{${eol}`;
      entries.forEach(({ entry, r }, i) => {
        const isHeredoc = entry.node.t === 'heredoc';
        const comma = !isHeredoc && node.commas && (i < entries.length - 1 || node.trailingComma) ? ',' : '';
        const comment = !isHeredoc && entry.comment !== null ? ` ${entry.comment}` : '';
        text += `${indent(depth + 1)}${keyText(entry)}${entry.separator}${r.text}${comma}${comment}${eol}`;
      });
      return { text: `${text}${indent(depth)}}`, value };
    }
  }
}

interface GeneratedDoc {
  text: string;
  values: JsonObject;
  names: string[];
}

function renderDoc(spec: DocSpec): GeneratedDoc {
  const { eol } = spec;
  const layout: Layout = { eol, unit: spec.unit };
  let text = '';
  if (spec.banner) {
    const rule = `# ${'='.repeat(40)}`;
    text += `${rule}${eol}# GENERATED FOR A PROPERTY TEST${eol}${rule}${eol}${eol}`;
  }
  const values: JsonObject = {};
  for (const a of spec.attributes) {
    text += eol.repeat(a.blankBefore);
    for (const lead of a.lead) text += a.indent + lead.replace(/\n/g, eol) + eol;
    const r = render(a.node, 0, layout);
    const trailing = a.node.t !== 'heredoc' && a.trailing !== null ? ` ${a.trailing}` : '';
    text += `${a.indent}${a.name}${a.before}=${a.after}${r.text}${trailing}${eol}`;
    values[a.name] = r.value;
  }
  if (spec.trailingComment !== null) text += spec.trailingComment + eol;
  // A heredoc's closing marker needs its newline, even at the end of the file.
  const last = spec.attributes[spec.attributes.length - 1];
  const mayDropNewline = !spec.finalNewline && spec.trailingComment === null && last?.node.t !== 'heredoc';
  if (mayDropNewline && text.endsWith(eol)) text = text.slice(0, -eol.length);
  return { text, values, names: spec.attributes.map((a) => a.name) };
}

const generatedDoc = docSpec.map(renderDoc);

/**
 * tfsync's reading in the official parser's form (officialFormValues), and its syntax diagnostics:
 * the generator writes references and calls on purpose, which Terraform's variables-file rule
 * (tested in constant-value.test.ts) refuses but the HCL syntax allows.
 */
function tfvarsValues(text: string): { values: JsonObject; names: string[]; diagnostics: string[] } {
  const doc = parseTfvars(text);
  const values: JsonObject = {};
  for (const [name, value] of officialFormValues(text)) values[name] = value;
  return {
    values,
    names: doc.attributes.map((a) => a.name),
    diagnostics: doc.diagnostics.filter((d) => !TFVARS_VALIDITY.has(d.code)).map((d) => `${d.code} at ${JSON.stringify(doc.lines.position(d.range.start))}: ${d.message}`),
  };
}

describe('(b) generated tfvars documents', () => {
  it('the generator covers the features it promises', () => {
    const samples = fc.sample(generatedDoc, { numRuns: 300, seed: 42 }).map((d) => d.text).join('\n');
    for (const feature of ['<<-', '<<EOT', '$${', '%%{', '${', '\\n', '\\u', '/*', '//', '#', '\r\n', '\t', ',\n', ':']) {
      expect(samples, feature).toContain(feature);
    }
  });

  it('print back byte for byte, parse with no errors, and evaluate to the values they were built from', () => {
    fc.assert(
      fc.property(generatedDoc, (doc) => {
        const file = parse(doc.text, { tfvars: true });
        expect(coverageProblems(doc.text, file.tokens)).toEqual([]);
        const tfsync = tfvarsValues(doc.text);
        expect(tfsync.diagnostics).toEqual([]);
        expect(tfsync.names).toEqual(doc.names);
        expect(canonical(tfsync.values)).toBe(canonical(doc.values));
      }),
      { numRuns: 1000 },
    );
  });

  it('evaluate identically under the official parser (a sample of 200)', async () => {
    await fc.assert(
      fc.asyncProperty(generatedDoc, async (doc) => {
        let official: unknown;
        try {
          official = await officialParse('generated.tfvars', doc.text);
        } catch (error) {
          throw new Error(`the official parser rejects a generated document: ${(error as Error).message}\n${doc.text}`);
        }
        expect(canonical(tfvarsValues(doc.text).values)).toBe(canonical(official));
        // The generator's own model of the values agrees with the official parser too.
        expect(canonical(doc.values)).toBe(canonical(official));
      }),
      { numRuns: 200 },
    );
  }, 120_000);
});

// --- (c) deep nesting --------------------------------------------------------------------------------

describe('(c) deep nesting is reported, not a stack overflow', () => {
  const N = 5_000;
  const cases: [string, string][] = [
    ['5,000 [', `a = ${'['.repeat(N)}\n`],
    ['5,000 balanced [ ]', `a = ${'['.repeat(N)}${']'.repeat(N)}\n`],
    ['5,000 nested objects', `a = ${'{ b = '.repeat(N)}1${' }'.repeat(N)}\n`],
    ['5,000 (', `a = ${'('.repeat(N)}1${')'.repeat(N)}\n`],
    ['5,000 nested templates', `a = ${'"${'.repeat(N)}1${'}"'.repeat(N)}\n`],
    ['5,000 nested calls', `a = ${'f('.repeat(N)}${')'.repeat(N)}\n`],
    ['5,000 nested for expressions', `a = ${'[for x in '.repeat(N)}y${' : x]'.repeat(N)}\n`],
    ['5,000 nested conditionals', `a = ${'x ? 1 : '.repeat(N)}1\n`],
    ['5,000 nested index steps', `a = x${'[x'.repeat(N)}${']'.repeat(N)}\n`],
  ];

  it.each(cases)('%s', (_name, text) => {
    let file: ReturnType<typeof parse> | undefined;
    expect(() => (file = parse(text, { tfvars: true }))).not.toThrow();
    expect(file!.diagnostics.map((d) => d.code)).toContain('too-deep');
    const d = file!.diagnostics.find((x) => x.code === 'too-deep')!;
    expect(d.message).toContain(String(MAX_NESTING));
    expect(coverageProblems(text, file!.tokens)).toEqual([]);
    expect(() => parseTfvars(text)).not.toThrow();
  });

  it('nesting just under the limit parses and evaluates', () => {
    const depth = MAX_NESTING - 2;
    const text = `a = ${'['.repeat(depth)}1${']'.repeat(depth)}\n`;
    const doc = parseTfvars(text);
    expect(doc.diagnostics).toEqual([]);
    let v = doc.byName.get('a')!.value;
    for (let i = 0; i < depth; i++) {
      expect(Array.isArray(v)).toBe(true);
      v = (v as JsonValue[])[0]!;
    }
    expect(v).toBe(1);
  });

  // Found by this test: nesting that does not go through parseExpression's depth guard.
  it('5,000 nested blocks', () => {
    const text = 'a {\n'.repeat(N) + '}\n'.repeat(N);
    expect(() => parse(text)).not.toThrow();
    expect(parse(text).diagnostics.map((d) => d.code)).toContain('too-deep');
    expect(() => parseTfvars(text)).not.toThrow();
  });

  it('100,000 unary operators', () => {
    for (const text of [`a = ${'-'.repeat(100_000)}1\n`, `a = ${'!'.repeat(100_000)}true\n`]) {
      expect(() => parse(text)).not.toThrow();
      expect(parse(text).diagnostics.map((d) => d.code)).toContain('too-deep');
    }
  });
});
