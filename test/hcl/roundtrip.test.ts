/**
 * Losslessness: the scanner's tokens cover every byte of the input, contiguously, so concatenating
 * their text gives the input back exactly. Checked on every fixture (valid and invalid) and, when
 * the shared corpus of real Terraform files is present, on every file it lists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from '../../src/hcl/parser.js';
import { T, type Tokens } from '../../src/hcl/scanner.js';
import { CORPUS_DIR, corpusAbsent, titled } from '../helpers/shared-material.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const fixtureDir = join(repoRoot, 'fixtures/hcl');
const invalidDir = join(fixtureDir, 'invalid');
const corpusDir = CORPUS_DIR;
const hasCorpus = corpusAbsent === undefined;

const KIND_MIN = T.Ws;
const KIND_MAX = Math.max(...Object.values(T));

/**
 * Every way the tokens can fail to be a lossless cover of `text`, as messages (empty when they
 * are one): the first starts at 0, each ends where the next starts, only the final Eof is empty,
 * and their concatenation is the text.
 */
function coverageProblems(text: string, tokens: Tokens): string[] {
  const problems: string[] = [];
  const n = tokens.count;
  if (n < 1) return ['no tokens at all (there must be at least Eof)'];
  if (tokens.start(0) !== 0) problems.push(`first token starts at ${tokens.start(0)}, not 0`);
  let joined = '';
  for (let i = 0; i < n; i++) {
    const kind = tokens.kind(i);
    const start = tokens.start(i);
    const end = tokens.end(i);
    if (kind < KIND_MIN || kind > KIND_MAX) problems.push(`token ${i} has unknown kind ${kind}`);
    if (i > 0 && start !== tokens.end(i - 1)) problems.push(`token ${i} starts at ${start}, previous ended at ${tokens.end(i - 1)}`);
    if (end < start) problems.push(`token ${i} ends (${end}) before it starts (${start})`);
    if (i < n - 1 && end === start) problems.push(`token ${i} (kind ${kind}) at ${start} is empty`);
    if (i < n - 1 && kind === T.Eof) problems.push(`token ${i} is Eof but not the last`);
    joined += text.slice(start, end);
    if (problems.length > 5) break;
  }
  const last = n - 1;
  if (tokens.kind(last) !== T.Eof) problems.push(`last token has kind ${tokens.kind(last)}, not Eof`);
  if (tokens.start(last) !== text.length || tokens.end(last) !== text.length) {
    problems.push(`Eof spans ${tokens.start(last)}-${tokens.end(last)}, not ${text.length}`);
  }
  if (joined !== text) {
    let at = 0;
    while (at < text.length && joined[at] === text[at]) at++;
    problems.push(`concatenated tokens differ from the input at offset ${at} (lengths ${joined.length} vs ${text.length})`);
  }
  return problems;
}

function fixtureFiles(): { name: string; path: string }[] {
  const valid = readdirSync(fixtureDir)
    .filter((f) => f.endsWith('.tfvars') || f.endsWith('.tf'))
    .map((f) => ({ name: f, path: join(fixtureDir, f) }));
  const invalid = readdirSync(invalidDir)
    .filter((f) => f !== 'EXPECTED.json')
    .map((f) => ({ name: `invalid/${f}`, path: join(invalidDir, f) }));
  return [...valid, ...invalid].sort((a, b) => a.name.localeCompare(b.name));
}

describe('token coverage (the printer is the concatenation of tokens)', () => {
  const fixtures = fixtureFiles();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
    expect(fixtures.some((f) => f.name.startsWith('invalid/'))).toBe(true);
  });

  it.each(fixtures)('round-trips fixture $name byte for byte', ({ name, path }) => {
    const text = readFileSync(path, 'utf8');
    const file = parse(text, { tfvars: name.endsWith('.tfvars') });
    expect(coverageProblems(text, file.tokens)).toEqual([]);
    expect(file.text).toBe(text);
  });

  it('detects a broken cover (the check itself can fail)', () => {
    const text = 'a = 1\n';
    const file = parse(text);
    // Tokens of a different text do not cover this one.
    expect(coverageProblems(text + 'b = 2\n', file.tokens)).not.toEqual([]);
    expect(coverageProblems(text.slice(1), file.tokens)).not.toEqual([]);
  });

  it('keeps a BOM, CRLF, lone CR, NUL and unpaired surrogates', () => {
    for (const text of ['\uFEFFa = 1\r\n', 'a = 1\rb = 2', 'a = "\0"\n', 'a = "\uD800"\n\uDC00', '\r\n\r\n', '']) {
      expect(coverageProblems(text, parse(text).tokens)).toEqual([]);
    }
  });
});

interface CorpusEntry {
  repo: string;
  path: string;
  kind: string;
  file: string;
}

function corpusEntries(): CorpusEntry[] {
  if (!hasCorpus) return [];
  const rows = readFileSync(join(corpusDir, 'INDEX.tsv'), 'utf8').split('\n').slice(1).filter((l) => l.trim() !== '');
  return rows.map((row) => {
    const [repo = '', , path = '', , kind = ''] = row.split('\t');
    return { repo, path, kind, file: join(corpusDir, repo.replace('/', '__'), path) };
  });
}

describe.skipIf(!hasCorpus)(titled('token coverage over the shared corpus', corpusAbsent), () => {
  const entries = corpusEntries();

  // The count is in the log line, not the title: a title must stay true when the corpus is absent.
  it('round-trips every corpus file listed in INDEX.tsv, byte for byte', () => {
    expect(entries.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    let bytes = 0;
    for (const entry of entries) {
      let text: string;
      try {
        text = readFileSync(entry.file, 'utf8');
      } catch (error) {
        failures.push(`${entry.repo}/${entry.path}: cannot read (${(error as Error).message})`);
        continue;
      }
      bytes += text.length;
      try {
        const file = parse(text, { tfvars: entry.kind === 'tfvars' });
        const problems = coverageProblems(text, file.tokens);
        if (problems.length) failures.push(`${entry.repo}/${entry.path}: ${problems.join('; ')}`);
      } catch (error) {
        failures.push(`${entry.repo}/${entry.path}: parse threw ${(error as Error).stack ?? String(error)}`);
      }
    }
    console.log(`round trip: ${entries.length - failures.length}/${entries.length} corpus files (${bytes} characters) byte-identical`);
    expect(failures).toEqual([]);
  }, 120_000);
});
