/**
 * Hostile and broken input: files that are not UTF-8 text, huge files, 1 MB lines, 10,000 levels
 * of brackets, unterminated strings, heredocs and comments, a tfsync.json that is not JSON or
 * names paths outside the repository, and environment names that are paths. Each gets a clear
 * error (with file:line:col where there is a position), exit 1, no stack trace, nothing written,
 * and no hang (the bound only catches a runaway; speed is the benchmark's). And no
 * file outside the repository is even read.
 */
import { rm, truncate, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES } from '../../src/io/read-text.js';
import { recordingFs, type Call } from './fault-fs.js';
import { expectCleanError, PROD, Repo, type Result, SHARED, TEST, TIME_LIMIT_MS } from './helpers.js';

let repo: Repo;
beforeAll(async () => {
  repo = await Repo.create();
});
afterAll(async () => {
  await repo.dispose();
});

/**
 * Puts `files` in place, runs argv, checks the clean failure and that nothing was written or read
 * outside the repository, then puts the files back.
 */
async function refused(
  files: Record<string, string | Uint8Array>,
  argv: string[],
  expectation: { located?: boolean; pattern?: RegExp } = {},
  env: Record<string, string> = {},
): Promise<Result & { calls: Call[] }> {
  const saved: Record<string, Buffer | null> = {};
  for (const [file, data] of Object.entries(files)) {
    saved[file] = await repo.bytes(file).catch(() => null);
    await repo.write(file, data);
  }
  try {
    const before = await repo.snapshot();
    const fs = recordingFs();
    const result = await repo.run(argv, { fs, env });
    expectCleanError(result, expectation);
    expect(result.ms, `${argv.join(' ')} took ${Math.round(result.ms)} ms`).toBeLessThan(TIME_LIMIT_MS);
    expect(await repo.snapshot(), `${argv.join(' ')} wrote something`).toEqual(before);
    expect(fs.calls.filter((c) => !c.path.startsWith(repo.dir)).map((c) => `${c.op} ${c.path}`)).toEqual([]);
    return { ...result, calls: fs.calls };
  } finally {
    for (const [file, data] of Object.entries(saved)) {
      if (data === null) await rm(repo.path(file), { force: true });
      else await writeFile(repo.path(file), data);
    }
  }
}

const COMMANDS = [['show', 'prod'], ['diff', 'test', 'prod'], ['check'], ['validate'], ['promote', 'test', 'prod', '--yes']];

describe('files that are not UTF-8 text', () => {
  const random = (n: number, from = 0, to = 255) => Uint8Array.from({ length: n }, (_, i) => from + ((i * 7919 + 13) % (to - from + 1)));
  const KINDS: Array<[string, Uint8Array, RegExp, boolean]> = [
    ['binary (NUL bytes)', random(4096), /binary file \(NUL byte at byte \d+\); tfsync reads UTF-8 text/, false],
    ['binary (no NUL byte)', random(4096, 0x80, 0xff), /invalid UTF-8 \(byte 0x[0-9a-f]{2} at byte 0\)/, true],
    ['git-crypt', Buffer.concat([Buffer.from('\0GITCRYPT\0'), random(64)]), /encrypted with git-crypt; unlock it first/, false],
    ['UTF-16 LE', Buffer.from('\uFEFFworkers = 4\n', 'utf16le'), /UTF-16 LE; tfsync reads UTF-8/, false],
    ['UTF-16 BE', Buffer.from('\uFEFFworkers = 4\n', 'utf16le').swap16(), /UTF-16 BE; tfsync reads UTF-8/, false],
    ['UTF-16 without a BOM', Buffer.from('workers = 4\n', 'utf16le'), /binary file \(NUL byte at byte 1\)/, true],
    ['Latin-1', Buffer.from('motd = "caf\xe9"\n', 'latin1'), /invalid UTF-8 \(byte 0xe9 at byte 11\)/, true],
  ];

  for (const [kind, bytes, message, located] of KINDS) {
    it(`${kind}, as an environment file, the shared file and variables.tf, for every command`, async () => {
      for (const file of [PROD, SHARED, 'variables.tf']) {
        for (const argv of COMMANDS) {
          const result = await refused({ [file]: bytes }, argv, { located, pattern: message });
          expect(result.err).toContain(file);
        }
      }
      await refused({ [PROD]: bytes }, ['get', PROD], { located, pattern: message });
      await refused({ [PROD]: bytes }, ['set', PROD, 'workers=1'], { located, pattern: message });
    });
  }

  it('a binary file is not echoed to the terminal: control bytes are shown as symbols', async () => {
    const result = await refused({ [PROD]: Buffer.from('workers = 4\n\x1b[2J\x07 = \xff\n') }, ['show', 'prod'], { located: true });
    expect(result.err).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });
});

describe('huge files and long lines', () => {
  /** A lower limit, so that the tests need not write 64 MiB files. */
  const MIB = 1024 * 1024;
  const ONE_MIB = { TFSYNC_MAX_FILE_SIZE: String(MIB) };

  it('a file over the limit: get, diff, promote and show fail at once naming the file, its size and the variable, reading nothing of it', async () => {
    const line = 'var_0000000 = "value-abcdefghijklmnopqrstuvwxyz-0123456789"\n';
    const big = Buffer.alloc(3 * MIB + 1, line);
    for (const [files, argv] of [
      [{ 'big.tfvars': big }, ['get', 'big.tfvars']],
      [{ [PROD]: big }, ['diff', 'test', 'prod']],
      [{ [PROD]: big }, ['promote', 'test', 'prod', '--yes']],
      [{ 'variables.tf': big }, ['show', 'prod']],
    ] as const) {
      const result = await refused(files, [...argv], {}, ONE_MIB);
      const name = Object.keys(files)[0]!;
      expect(result.err).toContain(name);
      expect(result.err).toMatch(/is 3\.0 MiB \(3145729 bytes\); tfsync reads files of up to 1\.0 MiB \(1048576 bytes\)/);
      expect(result.err).toContain('set TFSYNC_MAX_FILE_SIZE to a size in bytes');
      expect(result.calls.filter((c) => c.op === 'readFile' && c.path.endsWith(name))).toEqual([]);
    }
  });

  it('the default limit is 64 MiB: a (sparse) file one byte larger is refused without being read', async () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBe(64 * MIB);
    await repo.write('huge.tfvars', '');
    await truncate(repo.path('huge.tfvars'), DEFAULT_MAX_FILE_BYTES + 1);
    try {
      const fs = recordingFs();
      const result = await repo.run(['get', 'huge.tfvars'], { fs });
      expectCleanError(result, {});
      expect(result.err).toMatch(/huge\.tfvars is 64\.0 MiB \(67108865 bytes\); tfsync reads files of up to 64\.0 MiB \(67108864 bytes\)/);
      expect(fs.calls.filter((c) => c.op === 'readFile' && c.path.endsWith('huge.tfvars'))).toEqual([]);
      // TFSYNC_MAX_FILE_SIZE raises it: the same file is then read, and refused for what it holds
      // (NUL bytes) with an excerpt of its one 64 MiB line that costs a window, not memory per byte.
      const raised = await repo.run(['get', 'huge.tfvars'], { env: { TFSYNC_MAX_FILE_SIZE: String(65 * MIB) } });
      expectCleanError(raised, { located: true });
      expect(raised.err).toContain('binary file (NUL byte at byte 0)');
      expect(raised.err.length).toBeLessThan(2000);
    } finally {
      await rm(repo.path('huge.tfvars'));
    }
  });

  it('a TFSYNC_MAX_FILE_SIZE that is not a positive whole number of bytes is a clear error, for every command', async () => {
    for (const value of ['abc', '0', '-5', '1.5', '64MiB', '1e9', '99999999999999999999']) {
      const result = await refused({}, ['show', 'prod'], { pattern: /TFSYNC_MAX_FILE_SIZE=".*" is not a size in bytes/ }, { TFSYNC_MAX_FILE_SIZE: value });
      expect(result.err).toContain('give a positive whole number of bytes');
    }
    // Unset or empty: the default.
    expect((await repo.run(['show', 'prod'], { env: { TFSYNC_MAX_FILE_SIZE: '' } })).code).toBe(0);
  });

  it('the limit is exact: a file of the largest size is read, one byte more is refused', async () => {
    const atLimit = Buffer.alloc(MIB, `${'# a comment'.padEnd(63, '-')}\n`);
    // The last 64-byte line sets a variable, so the whole file must be read to find it.
    atLimit.write(`x = 1${' '.repeat(58)}\n`, MIB - 64);
    await repo.write('limit.tfvars', atLimit);
    try {
      const read = await repo.run(['get', 'limit.tfvars', '--json'], { env: ONE_MIB });
      expect(read.code, read.err).toBe(0);
      expect(JSON.parse(read.out)).toEqual({ x: 1 });
      const overLimit = Buffer.concat([atLimit, Buffer.from('\n')]);
      // Under the default limit the same file is read.
      await repo.write('limit.tfvars', overLimit);
      expect((await repo.run(['get', 'limit.tfvars', '--json'])).code).toBe(0);
      await refused({ 'limit.tfvars': overLimit }, ['get', 'limit.tfvars'], { pattern: /tfsync reads files of up to/ }, ONE_MIB);
    } finally {
      await rm(repo.path('limit.tfvars'));
    }
  });

  it('a large file within the limit (40,000 variables, 2 MB): read commands finish quickly', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => `var_${String(i).padStart(5, '0')} = "value-${i}-abcdefghijklmnopqrstuvwxyz"\n`);
    const saved = await repo.bytes(PROD);
    await repo.write(PROD, `${await repo.read(PROD)}${lines.join('')}`);
    try {
      for (const argv of [['get', PROD, 'var_39999'], ['diff', 'test', 'prod'], ['show', 'prod', '--json'], ['check']]) {
        const result = await repo.run(argv);
        expect([0, 2], result.err).toContain(result.code);
        expect(result.ms, `${argv.join(' ')}: ${Math.round(result.ms)} ms`).toBeLessThan(TIME_LIMIT_MS);
      }
    } finally {
      await writeFile(repo.path(PROD), saved);
    }
  });

  it('a 1 MB line reads fine; an error at its end shows a short window of it', async () => {
    const long = 'a'.repeat(1024 * 1024);
    await repo.write('long.tfvars', `x = "${long}"\n# ${long}\n`);
    const get = await repo.run(['get', 'long.tfvars', 'x', '--json']);
    expect(get.code).toBe(0);
    expect(JSON.parse(get.out).x).toHaveLength(long.length);
    expect(get.ms).toBeLessThan(TIME_LIMIT_MS);

    for (const [files, argv] of [
      [{ [PROD]: `workers = 4\nbig = "${long}" junk\n` }, ['show', 'prod']],
      [{ 'variables.tf': `variable "x" {\n  default = "${long}" junk\n}\n` }, ['diff', 'test', 'prod']],
      [{ 'tfsync.json': `{"syncable": ["${long}"] junk}` }, ['envs']],
    ] as const) {
      const result = await refused(files, [...argv], { located: true });
      // The excerpt is a window around the error, not the megabyte.
      expect(result.err.length).toBeLessThan(2_000);
      expect(result.err).toContain('…');
    }
  });

  it('10,000 levels of brackets: a located error at the limit, no stack overflow', async () => {
    const deep = (open: string, close: string, inner = '1') => `${open.repeat(10_000)}${inner}${close.repeat(10_000)}`;
    const values = [deep('[', ']'), deep('{ a = ', ' }'), deep('(', ')'), deep('"${', '}"', '"x"'), deep('-', '', '1'), deep('!', '', 'true'), deep('[{ a = ', '}]')];
    for (const value of values) {
      await refused({ [PROD]: `workers = ${value}\n` }, ['show', 'prod'], { located: true, pattern: /Nesting deeper than 256 levels is not supported/ });
      await refused({ [PROD]: `workers = ${value}\n` }, ['get', PROD], { located: true, pattern: /Nesting deeper than 256 levels/ });
    }
    await refused({ 'variables.tf': `variable "x" {\n  default = ${deep('[', ']')}\n}\n` }, ['validate'], { located: false });
    await refused({ [PROD]: `workers = ${deep('[', ']')}\n` }, ['validate']);
    await refused({ [SHARED]: `${'['.repeat(10_000)}\n` }, ['promote', 'test', 'prod', '--yes'], { located: true });
    await refused({ 'tfsync.json': `{"syncable": ${deep('[', ']', '"a"')}}` }, ['show', 'prod']);
    await refused({ 'tfsync.json': `{"syncable": ${'['.repeat(10_000)}` }, ['show', 'prod'], { located: true, pattern: /nested too deeply/ });
  });

  it('a variables file with 10,000 nested blocks', async () => {
    await refused({ 'variables.tf': `${'variable "x" {\n'.repeat(10_000)}` }, ['show', 'prod'], { located: true });
  });
});

describe('unterminated constructs', () => {
  const CASES: Array<[string, string, RegExp]> = [
    ['a string', 'motd = "never closed\nworkers = 4\n', /Unterminated string/],
    ['a heredoc', 'motd = <<EOT\nhello\nworkers = 4\n', /Unterminated heredoc: no closing "EOT" line was found/],
    ['an indented heredoc', 'motd = <<-EOT\n  hello\n', /Unterminated heredoc/],
    ['a block comment', 'workers = 4 /* never closed\nzones = []\n', /Unterminated comment/],
    ['an interpolation', 'motd = "${ never closed\n', /Expected "}"|Unterminated/],
    ['a template directive', 'motd = "%{ if true }yes"\n', /directive|%\{|endif/i],
    ['a list', 'zones = ["a",\n', /Missing item separator|expected|end of the file/i],
    ['an object', 'labels = { a = 1\n', /expected|end of the file|Missing/i],
    ['a file that is only an opening quote', '"', /./],
  ];
  for (const [what, text, message] of CASES) {
    it(`${what}: located, in each file a command reads`, async () => {
      for (const file of [PROD, SHARED, TEST]) {
        await refused({ [file]: text }, ['diff', 'test', 'prod'], { located: true, pattern: message });
      }
      await refused({ [PROD]: text }, ['get', PROD], { located: true, pattern: message });
      await refused({ [PROD]: text }, ['promote', 'test', 'prod', '--yes'], { located: true, pattern: message });
      await refused({ 'variables.tf': `variable "motd" {\n  default = ${text.slice(text.indexOf('=') + 1)}` }, ['show', 'prod'], { located: true });
    });
  }
});

describe('tfsync.json', () => {
  const BROKEN: Array<[string, string | Uint8Array, boolean]> = [
    ['empty', '', true],
    ['white space', '  \n', true],
    ['a word', 'garbage', true],
    ['YAML', 'variables: variables.tf\nshared: x\n', true],
    ['a trailing comma', '{"syncable": ["a",],}', true],
    ['a comment', '{/* x */}', true],
    ['cut short', '{"syncable": ["a"', true],
    ['an array', '[]', true],
    ['null', 'null', true],
    ['binary', Buffer.from([0x7b, 0, 0xff, 0xfe, 0x7d]), false],
    ['UTF-16', Buffer.from('\uFEFF{}', 'utf16le'), false],
    ['a wrong type', '{"syncable": 5}', true],
    ['an unknown key', '{"sincable": []}', true],
  ];
  for (const [what, text, located] of BROKEN) {
    it(`that is ${what}: a clear error from every command`, async () => {
      for (const argv of [['envs'], ['show', 'prod'], ['validate'], ['promote', 'test', 'prod', '--yes'], ['restore', 'prod', '--yes']]) {
        const result = await refused({ 'tfsync.json': text }, argv, { located });
        expect(result.err + result.out).toContain('tfsync.json');
      }
    });
  }

  it('paths that reach outside the repository are refused, and nothing outside is read', async () => {
    const OUTSIDE = [
      { variables: '../variables.tf' },
      { variables: '../**/*.tf' },
      { variables: 'environments/../../x.tf' },
      { shared: '../../etc/passwd' },
      { shared: '/etc/passwd' },
      { environments: '../*/terraform.tfvars' },
      { environments: '/etc/*/terraform.tfvars' },
      { environments: 'environments/*/../../../x.tfvars' },
    ];
    for (const config of OUTSIDE) {
      for (const argv of [['envs'], ['show', 'prod'], ['promote', 'test', 'prod', '--yes']]) {
        await refused({ 'tfsync.json': JSON.stringify(config) }, argv, { located: true, pattern: /is outside the folder of tfsync\.json|must contain exactly one "\*"/ });
      }
    }
  });
});

describe('environment names that are paths', () => {
  const NAMES = ['../../etc', 'a/b', '..', '.', '.hidden', '@foo', '', 'prod/', './prod', '../prod', 'prod/../test', '/etc/passwd', 'environments/prod/terraform.tfvars', 'x'.repeat(10_000)];
  for (const name of NAMES) {
    it(`${JSON.stringify(name.length > 40 ? `${name.slice(0, 10)}…` : name)}: unknown, nothing read outside, nothing written`, async () => {
      for (const argv of [['show', name], ['diff', name, 'prod'], ['promote', 'test', name, '--yes'], ['promote', name, 'prod', '--yes'], ['restore', name, '--yes'], ['check', name]]) {
        await refused({}, argv, { pattern: /unknown environment|not enough|Not enough|environment/i });
      }
    });
  }
});
