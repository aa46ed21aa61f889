/**
 * `tfsync get` and `tfsync set` end to end through runCli, on temporary copies of fixtures/hcl
 * (the fixtures themselves are never written), plus the verification every write goes through.
 */
import { existsSync } from 'node:fs';
import { chmod, cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { officialError } from '../../src/io/official-parser.js';
import { verifyRewrite } from '../../src/io/verify.js';
import { sameValue } from '../../src/sync/value-equality.js';
import { chunkOf, isBuilt, MAIN, ROOT, run as runIn, tracedNode } from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'fixtures', 'hcl');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tfsync-get-set-'));
  await cp(FIXTURES, dir, { recursive: true });
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const run = (...argv: string[]) => runIn(argv, { cwd: dir });

const read = (name: string) => readFile(join(dir, name), 'utf8');
const readBytes = (name: string) => readFile(join(dir, name));
const fixture = (name: string) => readFile(join(FIXTURES, name), 'utf8');

/** Runs `set`, expecting success, and returns the file's new text. */
async function set(file: string, ...assignments: string[]): Promise<string> {
  const result = await run('set', file, ...assignments);
  expect(result.err).not.toMatch(/^tfsync:/m);
  expect(result.code).toBe(0);
  expect(result.out).toBe('');
  return read(file);
}

describe('tfsync get', () => {
  it('prints every variable as written, multi-line expressions included', async () => {
    const { code, out, err } = await run('get', 'comments.tfvars');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'region = "us-west-2"',
        'cluster_name = "hub"',
        'node_count = 3',
        'instance_type = "m5.large"',
        'zones = [\n  "us-west-2a", # first\n  // "us-west-2b",\n  /* "us-west-2c", */\n  "us-west-2d",\n]',
        'url = "https://example.com/#anchor"',
        'path = "//not/a/comment"',
        'glob = "/* not a comment */"',
        '',
      ].join('\n'),
    );
  });

  it('prints the named variables in the order named, or their values with --json', async () => {
    expect((await run('get', 'collections.tfvars', 'one_line', 'empty_list')).out).toBe('one_line = ["a", "b", "c"]\nempty_list = []\n');
    const { code, out, err } = await run('get', 'heredocs.tfvars', 'after', 'plain', '--json');
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toBe(`${JSON.stringify({ after: 'the attribute after the heredocs', plain: 'first line\n  indented line\nlast line\n' }, null, 2)}\n`);
  });

  it('reads .tfvars.json files and paths relative to the working directory', async () => {
    await writeFile(join(dir, 'invalid', 'vars.tfvars.json'), '{\n  "image_tag": "2025.01",\n  "replicas": [1, 2]\n}\n');
    expect((await run('get', 'invalid/vars.tfvars.json', '--json')).out).toBe(`${JSON.stringify({ image_tag: '2025.01', replicas: [1, 2] }, null, 2)}\n`);
    expect((await run('get', 'invalid/vars.tfvars.json', 'replicas')).out).toBe('replicas = [1, 2]\n');
  });

  it('suggests the closest name for an unknown one', async () => {
    await writeFile(join(dir, 'vars.tfvars'), 'image_tag = "a"\nreplicas = 2\n');
    const { code, out, err } = await run('get', 'vars.tfvars', 'imgae_tag');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toBe('tfsync: no variable "imgae_tag" in vars.tfvars\nhint: did you mean "image_tag"?\n');
  });

  it('fails on a syntax error with file:line:col', async () => {
    const { code, out, err } = await run('get', 'invalid/missing-comma.tfvars');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^invalid\/missing-comma\.tfvars:3:3: /);
  });
});

describe('tfsync set: the rewrite contract', () => {
  it('replaces only the value: trailing comment kept, .bak written, summary on stderr', async () => {
    const before = await fixture('comments.tfvars');
    const { code, out, err } = await run('set', 'comments.tfvars', 'region="eu-west-1"');
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toBe('set region: "us-west-2" → "eu-west-1"\nwrote comments.tfvars (previous contents in comments.tfvars.bak)\n');
    expect(await read('comments.tfvars')).toBe(before.replace('region = "us-west-2" #', 'region = "eu-west-1" #'));
    expect(await read('comments.tfvars.bak')).toBe(before);
  });

  it('leaves a /* */ comment that mentions the name untouched', async () => {
    const before = await fixture('comments.tfvars');
    const after = await set('comments.tfvars', 'node_count=5');
    expect(after).toBe(before.replace('node_count = /* inline block comment */ 3', 'node_count = /* inline block comment */ 5'));
  });

  it('moves the trailing comment above the attribute when the new value is a heredoc', async () => {
    await writeFile(join(dir, 'vars.tfvars'), 'a = 1\n  policy = "x" # why\nb = 2\n');
    expect(await set('vars.tfvars', 'policy=<<EOT\n{"v": 1}\nEOT')).toBe('a = 1\n  # why\n  policy = <<EOT\n{"v": 1}\nEOT\nb = 2\n');
  });

  it('replaces a one-line list with a multi-line one and back', async () => {
    const before = await fixture('collections.tfvars');
    const multi = await set('collections.tfvars', 'one_line=[\n  "x",\n  "y",\n]');
    expect(multi).toBe(before.replace('one_line     = ["a", "b", "c"]', 'one_line     = [\n  "x",\n  "y",\n]'));
    expect(await set('collections.tfvars', 'one_line=["a", "b", "c"]')).toBe(before);
  });

  it('finds name=value without spaces and indented attributes', async () => {
    const before = await fixture('no-spaces.tfvars');
    const after = await set('no-spaces.tfvars', 'region="x"', 'indented="y"', 'tab_indented="z"', 'deep_indent="w"');
    expect(after).toBe(
      before
        .replace('region="us-west-2"', 'region="x"')
        .replace('  indented = "two spaces"', '  indented = "y"')
        .replace('\ttab_indented = "one tab"', '\ttab_indented = "z"')
        .replace('    deep_indent    =    "spaces everywhere"', '    deep_indent    =    "w"'),
    );
  });

  it('writes values with |, &, \\ and $ exactly', async () => {
    const before = await fixture('sed-metachars.tfvars');
    const value = String.raw`"a|b & c\\d $e /f/ && \\1"`;
    const after = await set('sed-metachars.tfvars', `pipe_filter=${value}`);
    expect(after).toBe(before.replace('"grep -v foo | sort | uniq"', value));
    expect(JSON.parse((await run('get', 'sed-metachars.tfvars', 'pipe_filter', '--json')).out)).toEqual({ pipe_filter: String.raw`a|b & c\d $e /f/ && \1` });
  });

  it('keeps CRLF, for updated and inserted lines alike', async () => {
    const before = await fixture('crlf.tfvars');
    const after = await set('crlf.tfvars', 'zones=[\n  "x",\n]', 'created={ a = 1 }');
    expect(after).toBe(before.replace('zones = [\r\n  "us-west-2a",\r\n  "us-west-2b",\r\n]', 'zones = [\r\n  "x",\r\n]') + 'created = { a = 1 }\r\n');
  });

  it('keeps a BOM, tabs and a missing final newline', async () => {
    const bom = await readBytes('bom.tfvars');
    await set('bom.tfvars', 'node_count=4');
    expect(await readBytes('bom.tfvars')).toEqual(Buffer.from(bom.toString('utf8').replace('node_count = 3', 'node_count = 4'), 'utf8'));
    expect((await readBytes('bom.tfvars')).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    const tabs = await fixture('tabs.tfvars');
    expect(await set('tabs.tfvars', 'cluster_name="lab"')).toBe(tabs.replace('cluster_name\t= "hub"', 'cluster_name\t= "lab"'));

    const unterminated = await fixture('no-final-newline.tfvars');
    expect(await set('no-final-newline.tfvars', 'region="x"', 'added=true')).toBe(`${unterminated.replace('"us-west-2"', '"x"')}\nadded = true`);
  });

  it('keeps the file mode, and gives the .bak the same', async () => {
    await chmod(join(dir, 'numbers.tfvars'), 0o640);
    await set('numbers.tfvars', 'zero=1');
    expect((await stat(join(dir, 'numbers.tfvars'))).mode & 0o777).toBe(0o640);
    expect((await stat(join(dir, 'numbers.tfvars.bak'))).mode & 0o777).toBe(0o640);
  });

  it('writes nothing and leaves no .bak when the value is already equal, however written', async () => {
    const before = await readBytes('collections.tfvars');
    const { code, out, err } = await run('set', 'collections.tfvars', 'multi_line=["m5.large","m5.xlarge","m5a.large","m5a.xlarge"]', 'one_line=["a", "b", "c"]');
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(err).toMatch(/set multi_line: .* \(unchanged\)\n.*\nset: nothing to change; nothing written\n$/);
    expect(await readBytes('collections.tfvars')).toEqual(before);
    expect(existsSync(join(dir, 'collections.tfvars.bak'))).toBe(false);
  });

  it('refuses a file with a syntax error, with file:line:col, and writes nothing', async () => {
    const before = await readBytes('invalid/missing-comma.tfvars');
    const { code, out, err } = await run('set', 'invalid/missing-comma.tfvars', 'zones=[]');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(/^invalid\/missing-comma\.tfvars:3:3: /);
    expect(await readBytes('invalid/missing-comma.tfvars')).toEqual(before);
    expect(existsSync(join(dir, 'invalid/missing-comma.tfvars.bak'))).toBe(false);
  });
});

describe('tfsync set: arguments, creation, dry run, JSON files', () => {
  it('points into an argument whose expression does not parse', async () => {
    const before = await readBytes('comments.tfvars');
    const { code, err } = await run('set', 'comments.tfvars', 'region="ok"', 'zones=["a", ');
    expect(code).toBe(1);
    expect(err).toMatch(/^argument 2:1:13: set: zones=EXPR: /);
    expect(err).toContain(' 1 | zones=["a", \n');
    expect(await readBytes('comments.tfvars')).toEqual(before);
    expect((await run('set', 'comments.tfvars', 'zones=[1] # no')).err).toMatch(/^argument 1:1:11: set: zones=EXPR: expected the end of the value/);
    expect((await run('set', 'comments.tfvars', 'just-a-name')).err).toMatch(/^tfsync: set: expected NAME=EXPR, got "just-a-name"/);
    expect((await run('set', 'comments.tfvars', 'a=1', 'a=2')).err).toMatch(/^tfsync: set: a is given twice/);
    expect((await run('set', 'comments.tfvars', '9lives=1')).err).toMatch(/not a valid variable name/);
  });

  it('appends a new variable at the end, or at the end of the synced section', async () => {
    await writeFile(join(dir, 'plain.tfvars'), 'a = 1\n');
    expect(await set('plain.tfvars', 'b="x"')).toBe('a = 1\nb = "x"\n');
    const synced = 'a = 1\n\n# ====\n# SYNCED FEATURES\n# ====\nimage = "x"\n\n# ====\n# LOCAL\n# ====\nlocal = 2\n';
    await writeFile(join(dir, 'synced.tfvars'), synced);
    expect(await set('synced.tfvars', 'tag="y"')).toBe(synced.replace('image = "x"\n', 'image = "x"\ntag = "y"\n'));
  });

  it('prints a unified diff with --dry-run and writes nothing', async () => {
    const before = await readBytes('comments.tfvars');
    const { code, out, err } = await run('set', 'comments.tfvars', 'node_count=4', '--dry-run');
    expect(code).toBe(0);
    expect(out).toMatch(/^--- a\/comments\.tfvars\n\+\+\+ b\/comments\.tfvars\n@@ /);
    expect(out).toContain('\n-node_count = /* inline block comment */ 3\n+node_count = /* inline block comment */ 4\n');
    expect(err).toBe('set node_count: 3 → 4\nset: dry run; nothing written\n');
    expect(await readBytes('comments.tfvars')).toEqual(before);
    expect(existsSync(join(dir, 'comments.tfvars.bak'))).toBe(false);
  });

  it('names a file called ..notes.tfvars by its relative path: it is inside, not above', async () => {
    await writeFile(join(dir, '..notes.tfvars'), 'a = 1\n');
    const { code, out } = await run('set', '..notes.tfvars', 'a=2', '--dry-run');
    expect(code).toBe(0);
    expect(out).toMatch(/^--- a\/\.\.notes\.tfvars\n\+\+\+ b\/\.\.notes\.tfvars\n/);
  });

  it('edits .tfvars.json files with literal values only', async () => {
    const json = '{\n    "image_tag": "a",\n    "replicas": [1, 2]\n}';
    await writeFile(join(dir, 'vars.tfvars.json'), json);
    const after = await set('vars.tfvars.json', 'image_tag="b"', 'extra={ k = [true] }', 'literal="$${not} %%{interpolated}"');
    expect(after).toBe(
      '{\n    "image_tag": "b",\n    "replicas": [1, 2],\n    "extra": {\n        "k": [\n            true\n        ]\n    },\n    "literal": "${not} %{interpolated}"\n}',
    );
    const reference = await run('set', 'vars.tfvars.json', 'image_tag="v-${var.x}"');
    expect(reference.code).toBe(1);
    expect(reference.err).toMatch(/^argument 1:1:16: set: image_tag=EXPR: Variables not allowed/);
    // Valid Terraform that tfsync does not evaluate cannot be written as a JSON value.
    const computed = await run('set', 'vars.tfvars.json', 'image_tag=[for s in ["a"] : s]');
    expect(computed.code).toBe(1);
    expect(computed.err).toMatch(/^argument 1:1:11: set: image_tag=EXPR: a \.tfvars\.json file holds values only/);
    expect((await run('set', 'vars.tfvars.json', 'replicas=[1,2]')).err).toMatch(/set: nothing to change; nothing written/);
  });
});

describe('verifyRewrite', () => {
  const expected = new Map<string, unknown>([
    ['a', 1],
    ['b', { x: [1, 2] }],
  ]) as Map<string, never>;

  it('accepts text whose values are exactly the expected ones, objects in any key order', async () => {
    await expect(verifyRewrite('f.tfvars', 'b = {\n  x = [1, 2]\n}\na = 1\n', expected)).resolves.toBeUndefined();
    await expect(verifyRewrite('f.tfvars.json', '{"b": {"x": [1, 2]}, "a": 1}', expected, { json: true })).resolves.toBeUndefined();
  });

  it('names the first value that differs, is missing or is extra', async () => {
    await expect(verifyRewrite('f.tfvars', 'a = 2\nb = { x = [1, 2] }\n', expected)).rejects.toThrow(
      'refusing to write f.tfvars: after the edit, a would be 2 instead of 1',
    );
    await expect(verifyRewrite('f.tfvars', 'a = 1\n', expected)).rejects.toThrow('b would be unset instead of {"x":[1,2]}');
    await expect(verifyRewrite('f.tfvars', 'a = 1\nb = { x = [1, 2] }\nc = 3\n', expected)).rejects.toThrow('c would be 3 instead of unset');
    await expect(verifyRewrite('f.tfvars', 'a = "s3cret"\nb = { x = [1, 2] }\n', expected, { sensitive: (n) => n === 'a' })).rejects.toThrow(
      'a would be (sensitive) instead of (sensitive)',
    );
  });

  it('refuses text that does not parse, pointing at the error', async () => {
    const err: unknown = await verifyRewrite('f.tfvars', 'a = [1\nb = 2\n', expected).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TfsyncError);
    expect((err as TfsyncError).message).toMatch(/^refusing to write f\.tfvars: after the edit, it would not parse: /);
    expect((err as TfsyncError).location?.file).toBe('f.tfvars');
  });

  it('compares JSON values', () => {
    expect(sameValue({ a: [1, { b: null }] }, { a: [1, { b: null }] })).toBe(true);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue({ a: undefined as never }, { b: undefined as never })).toBe(false);
    expect(sameValue('1', 1)).toBe(false);
    expect(sameValue(null, {})).toBe(false);
  });
});

describe('officialError', () => {
  it('locates every error the official parser reports', () => {
    const text = 'a = "x"\nb = [1 2]\nc = "\n';
    const message =
      'parse config: [input.tfvars:2,8-9: Missing item separator; Expected a comma to mark the beginning of the next item. input.tfvars:3,5-4,1: Invalid multi-line string; Quoted strings may not be split.]';
    const err = officialError('envs/prod.tfvars', text, message);
    expect(err.message).toBe('Missing item separator; Expected a comma to mark the beginning of the next item.');
    expect(err.location).toEqual({ file: 'envs/prod.tfvars', text, range: { start: 15, end: 15 } });
    expect(err.options.more?.map((e) => [e.message, e.location?.range.start])).toEqual([['Invalid multi-line string; Quoted strings may not be split.', 22]]);
  });

  it('keeps a message without a position, naming the real file', () => {
    expect(officialError('prod.tfvars', '', 'boom in input.tfvars').message).toBe('the official HCL parser failed on prod.tfvars: boom in prod.tfvars');
  });
});

describe('the built CLI', () => {
  const built = isBuilt('cli/commands/get.js', 'cli/commands/set.js');
  /** Runs the CLI in a child process and lists every module it resolved or required. */
  const traced = (args: string[]) => tracedNode([MAIN, ...args], { cwd: dir });

  it.skipIf(!built)('get never loads the official parser; set does, to verify', async () => {
    const get = await traced(['get', 'comments.tfvars', 'region']);
    expect(get.stderr).toBe('');
    expect(get.stdout).toBe('region = "us-west-2"\n');
    expect(get.modules).toContain(chunkOf('src/hcl/tfvars.ts'));
    expect(get.modules).not.toContain('@cdktn/hcl2json');

    const setRun = await traced(['set', 'comments.tfvars', 'region="x"']);
    expect(setRun.status).toBe(0);
    expect(setRun.modules).toContain('@cdktn/hcl2json');
  });
});
