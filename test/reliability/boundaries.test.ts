/**
 * What tfsync never does: spawn a shell or any process other than git (user data can never reach a
 * shell), evaluate code, or touch a file outside the repository it was pointed at, whatever
 * command runs. git (issue 14: promote --branch/--push) runs from one file, src/io/git.ts, as
 * `execFile('git', [arguments])`: an argument array, no shell.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingFs } from './fault-fs.js';
import { BUILT, DIST, PROD, Repo, ROOT } from './helpers.js';

async function sources(dir: string, ext: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(ext)).map((e) => join(e.parentPath, e.name));
}

/**
 * tfsync's own code in a built file, by the source file it came from. The bundled CLI's chunks
 * (scripts/bundle-cli.mjs) also hold dependencies (ajv compiles schemas with new Function, yargs and
 * diff call RegExp exec); esbuild heads each bundled module with a `// path` comment, so only the
 * sections from src/ are kept, each judged as its source file.
 */
function ownCode(file: string, text: string): Array<[string, string]> {
  const sections = text.split(/^\/\/ (\S+)$/m);
  if (sections.length === 1) return [[file, text]];
  const own: Array<[string, string]> = [[file, sections[0]!]];
  for (let i = 1; i < sections.length; i += 2) if (sections[i]!.startsWith('src/')) own.push([join(ROOT, sections[i]!), sections[i + 1]!]);
  return own;
}

const FORBIDDEN: Array<[string, RegExp]> = [
  ['child_process', /\bchild_process\b/],
  ['process spawning', /\b(execSync|execFileSync|spawnSync|execFile|spawn|fork)\s*\(/],
  ['exec(', /(?<![.\w])exec\s*\(/],
  ['eval', /(?<![.\w])eval\s*\(/],
  ['new Function', /\bnew\s+Function\s*\(/],
  ['process.binding', /\bprocess\.binding\b/],
  ['vm module', /from\s+['"](node:)?vm['"]/],
];

/** The git runner: child_process and execFile, of git alone, with no shell, and nothing else of the list. */
const GIT_RUNNER = new Set(['src/io/git.ts', 'dist/io/git.js']);
/**
 * The secret stores' CLI runner (issue 13: pass, gopass, op, sops): one spawn of the command a
 * backend names, with an argument array and `shell: false` said out loud.
 */
const TOOL_RUNNER = new Set([
  'src/io/secrets/run-tool.ts',
  'dist/io/secrets/run-tool.js',
  // `tfsync exec -- COMMAND ARGS...`: the user's command, held to the same rules.
  'src/io/run-child.ts',
  'dist/io/run-child.js',
]);

function forbiddenIn(file: string, text: string): string[] {
  const name = relative(ROOT, file).split('\\').join('/');
  const runner = GIT_RUNNER.has(name) || TOOL_RUNNER.has(name);
  if (!runner) return FORBIDDEN.filter(([, pattern]) => pattern.test(text)).map(([what]) => `${name}: ${what}`);
  const found = FORBIDDEN.filter(([what, pattern]) => what !== 'child_process' && what !== 'process spawning' && pattern.test(text)).map(([what]) => `${name}: ${what}`);
  const calls = [...text.matchAll(/\b(execSync|execFileSync|spawnSync|execFile|spawn|fork)\s*\(([^,]*)/g)];
  if (GIT_RUNNER.has(name)) {
    if (calls.length !== 1 || calls[0]![1] !== 'execFile' || !/^(['"])git\1$/.test(calls[0]![2]!.trim())) found.push(`${name}: a process other than execFile('git', ...)`);
    if (/\bshell\s*:/.test(text)) found.push(`${name}: a shell`);
  } else {
    if (calls.length !== 1 || calls[0]![1] !== 'spawn') found.push(`${name}: a process other than one spawn(command, args)`);
    const shells = [...text.matchAll(/\bshell\s*:\s*(\w+)/g)];
    if (shells.length !== 1 || shells[0]![1] !== 'false' || /\bshell\s*:(?!\s*false\b)/.test(text)) found.push(`${name}: a shell`);
  }
  return found;
}

describe('no shell, no process but git, no eval', () => {
  it('src/ never imports child_process or spawns, execs or evaluates anything (but src/io/git.ts runs git)', async () => {
    const files = await sources(join(ROOT, 'src'), '.ts');
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) found.push(...forbiddenIn(file, await readFile(file, 'utf8')));
    expect(found).toEqual([]);
  });

  it.skipIf(!BUILT)('nor does the built dist/', async () => {
    const found: string[] = [];
    for (const file of await sources(DIST, '.js')) {
      for (const [name, code] of ownCode(file, await readFile(file, 'utf8'))) found.push(...forbiddenIn(name, code));
    }
    expect(found).toEqual([]);
  });

  it('the git runner is held to execFile of git, without a shell', () => {
    const git = join(ROOT, 'src/io/git.ts');
    expect(forbiddenIn(git, "import { execFile } from 'node:child_process';\nexecFile('git', args, {}, cb);")).toEqual([]);
    expect(forbiddenIn(git, "execFile('sh', ['-c', x]);")).not.toEqual([]);
    expect(forbiddenIn(git, "execFile('git', args, { shell: true });")).toContain('src/io/git.ts: a shell');
    expect(forbiddenIn(git, "execFile('git', a); spawn('rm', b);")).not.toEqual([]);
  });

  it('the secret stores\' CLI runner is held to one spawn without a shell', () => {
    const tool = join(ROOT, 'src/io/secrets/run-tool.ts');
    expect(forbiddenIn(tool, "import { spawn } from 'node:child_process';\nspawn(command, args, { shell: false });")).toEqual([]);
    expect(forbiddenIn(tool, 'spawn(command, args, { shell: true });')).toContain('src/io/secrets/run-tool.ts: a shell');
    expect(forbiddenIn(tool, 'spawn(command, args, {});')).toContain('src/io/secrets/run-tool.ts: a shell');
    expect(forbiddenIn(tool, "spawn(a, b, { shell: false }); execFile('sh', c);")).not.toEqual([]);
  });

  it('the exec runner is held to the same rules', () => {
    const child = join(ROOT, 'src/io/run-child.ts');
    expect(forbiddenIn(child, "import { spawn } from 'node:child_process';\nspawn(command, args, { stdio: 'inherit', shell: false });")).toEqual([]);
    expect(forbiddenIn(child, "spawn(command, args, { shell: true });")).toContain('src/io/run-child.ts: a shell');
    expect(forbiddenIn(child, "spawn(a, b, { shell: false }); spawn(c, d, { shell: false });")).toContain('src/io/run-child.ts: a process other than one spawn(command, args)');
  });

  it('the check would notice one', () => {
    const hits = (text: string) => FORBIDDEN.filter(([, p]) => p.test(text)).map(([w]) => w);
    expect(hits(`import { execFile } from 'node:child_process';`)).toContain('child_process');
    expect(hits('await exec(`sed -i ${x}`)')).toContain('exec(');
    expect(hits('const re = /x/; re.exec(text)')).toEqual([]);
    const chunk = '// node_modules/ajv/dist/compile/index.js\nnew Function("x")\n// src/cli/run.ts\nexec(`sh`)\n';
    expect(ownCode('chunk.js', chunk).flatMap(([, code]) => hits(code))).toEqual(['exec(']);
  });
});

describe('every file touched is inside the repository', () => {
  let repo: Repo;
  beforeAll(async () => {
    repo = await Repo.create();
  });
  afterAll(async () => {
    await repo.dispose();
  });

  it('for every command, reading and writing', async () => {
    const fs = recordingFs();
    const runs = [
      ['envs'],
      ['show', 'prod'],
      ['diff', 'test', 'prod', '@shared'],
      ['check'],
      ['validate'],
      ['get', PROD],
      ['promote', 'test', 'prod', '--yes'],
      ['backport', 'prod', 'test', '--yes'],
      ['restore', 'prod', '--yes'],
      ['set', PROD, 'workers=3'],
      ['exec', 'prod', '--', process.execPath, '-e', '0'],
    ];
    for (const argv of runs) {
      const result = await repo.run(argv, { fs });
      // (validate finds an undeclared variable in this fixture: a warning, as in Terraform: exit 0.)
      expect([0, 2], `${argv.join(' ')}: ${result.err}`).toContain(result.code);
    }
    expect(fs.calls.length).toBeGreaterThan(100);
    expect(fs.calls.filter((c) => c.path !== repo.dir && !c.path.startsWith(`${repo.dir}/`)).map((c) => `${c.op} ${c.path}`)).toEqual([]);
  });
});
