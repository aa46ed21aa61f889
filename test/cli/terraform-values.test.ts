/**
 * Values as Terraform sees them, end to end (issue 15 items 1-4 and 12): references and calls
 * refused in variables files, sets equal in any order, constant expressions evaluated, integers
 * beyond 2^53 exact, and `set` refusing names no declaration has.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-terraform-values-');

const CONFIG = JSON.stringify({
  variables: 'variables.tf',
  shared: 'shared.tfvars',
  environments: 'envs/*.tfvars',
  syncable: ['zones', 'nested', 'minutes', 'big', 'image_tag'],
  environmentSpecific: ['region'],
});

const VARIABLES = [
  'variable "region" { type = string }',
  'variable "zones" { type = set(string) }',
  'variable "nested" {\n  type = object({ members = set(string), order = list(string) })\n}',
  'variable "minutes" { type = number }',
  'variable "big" { type = number }',
  'variable "image_tag" { type = string }',
  '',
].join('\n');

/** A repository with the given environment files (dev and prod) and an empty shared file. */
function repo(name: string, envs: Record<string, string>): Promise<string> {
  return temp.fixture(name, {
    'tfsync.json': CONFIG,
    'variables.tf': VARIABLES,
    'shared.tfvars': '',
    ...Object.fromEntries(Object.entries(envs).map(([env, text]) => [`envs/${env}.tfvars`, text])),
  });
}

/** Every file of a folder with its text, to show that nothing was written (no .bak either). */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[join(entry.parentPath, entry.name)] = await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

/** promote dev prod leaves prod's file as it is: every change there is a no-op (the shared file may record dev's values). */
async function expectNoRewriteOfProd(dir: string): Promise<void> {
  const prod = join(dir, 'envs/prod.tfvars');
  const before = await readFile(prod, 'utf8');
  const promote = await run(['promote', 'dev', 'prod', '--yes', '--json'], { cwd: dir });
  expect(promote.code).toBe(0);
  const file = JSON.parse(promote.out).files.find((f: { file: string }) => f.file === 'envs/prod.tfvars');
  expect(file.changes.filter((c: { op: string }) => c.op !== 'noop')).toEqual([]);
  expect(await readFile(prod, 'utf8')).toBe(before);
  expect(existsSync(`${prod}.bak`)).toBe(false);
}

describe('item 1: references and function calls are refused in variables files, as Terraform does', () => {
  const ENVS = { dev: 'region = us-east-1\nimage_tag = "a"\n', prod: 'region = "eu-west-1"\nimage_tag = upper("b")\n' };

  it.each([
    ['diff', ['diff', 'dev', 'prod']],
    ['show', ['show', 'dev']],
    ['check', ['check']],
    ['promote', ['promote', 'prod', 'dev', '--yes']],
  ])('%s fails with file:line:col and writes nothing', async (_name, argv) => {
    const dir = await repo(`read-${argv[0]}`, ENVS);
    const before = await snapshot(dir);
    const { code, err } = await run(argv, { cwd: dir });
    expect(code).toBe(1);
    expect(err).toMatch(/envs\/(dev|prod)\.tfvars:[12]:\d+: (Variables not allowed|Function calls not allowed)/);
    expect(await snapshot(dir)).toEqual(before);
  });

  it('validate reports each one at its place', async () => {
    const dir = await repo('validate', ENVS);
    const { code, out, err } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    const text = out + err;
    expect(text).toContain('envs/dev.tfvars:1:10');
    expect(text).toContain('Variables not allowed');
    expect(text).toContain('envs/prod.tfvars:2:13');
    expect(text).toContain('Function calls not allowed');
  });

  it('set region=us-east-1 fails with the quoted form as a hint and writes nothing', async () => {
    const dir = await repo('set-bare', { dev: 'region = "x"\n' });
    const before = await snapshot(dir);
    const { code, err } = await run(['set', 'envs/dev.tfvars', 'region=us-east-1'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('Variables not allowed');
    expect(err).toContain('did you mean region="us-east-1"?');
    expect(await snapshot(dir)).toEqual(before);
    const call = await run(['set', 'envs/dev.tfvars', 'region=lower("X")'], { cwd: dir });
    expect(call.code).toBe(1);
    expect(call.err).toContain('Function calls not allowed');
    expect(await snapshot(dir)).toEqual(before);
  });

  it('get prints such a value, marked as not a constant', async () => {
    const dir = await temp.fixture('get-marked', { 'x.tfvars': 'a = var.other\nb = "fine"\n' });
    const { code, out, err } = await run(['get', 'x.tfvars'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toBe('a = var.other\nb = "fine"\n');
    expect(err).toContain('x.tfvars:1:5: a is not a constant (Variables not allowed)');
    const json = await run(['get', 'x.tfvars', '--json'], { cwd: dir });
    expect(JSON.parse(json.out)).toEqual({ a: '${var.other}', b: 'fine' });
  });

  it('a .tfvars.json file takes "${...}" as literal text, as Terraform does with no context', async () => {
    const dir = await temp.fixture('json-literal', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', shared: 'shared.tfvars', environments: 'envs/*.tfvars.json', syncable: ['image_tag'] }),
      'variables.tf': 'variable "image_tag" { type = string }\n',
      'shared.tfvars': '',
      'envs/dev.tfvars.json': '{ "image_tag": "${var.x}" }\n',
      'envs/prod.tfvars.json': '{ "image_tag": "${var.x}" }\n',
    });
    const { code, out } = await run(['diff', 'dev', 'prod', '--json', '--all'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out).variables[0]).toMatchObject({ name: 'image_tag', status: 'same' });
  });
});

describe('item 2: a set(...) compares without order', () => {
  const DEV = 'region = "a"\nzones = ["x", "y", "z"]\nnested = { members = ["p", "q"], order = ["1", "2"] }\n';
  const PROD = 'region = "b"\nzones = ["z", "x", "y"]\nnested = { members = ["q", "p"], order = ["1", "2"] }\n';

  it('diff finds the same values, check is in step, promote writes nothing', async () => {
    const dir = await repo('sets', { dev: DEV, prod: PROD });
    const diff = await run(['diff', 'dev', 'prod', '--json', '--all'], { cwd: dir });
    expect(diff.code).toBe(0);
    const status = Object.fromEntries(JSON.parse(diff.out).variables.map((v: { name: string; status: string }) => [v.name, v.status]));
    expect(status).toMatchObject({ zones: 'same', nested: 'same', region: 'different' });
    await expectNoRewriteOfProd(dir);
  });

  it('a list stays ordered, even inside the same object', async () => {
    const dir = await repo('lists', { dev: DEV, prod: PROD.replace('order = ["1", "2"]', 'order = ["2", "1"]') });
    const diff = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir });
    const nested = JSON.parse(diff.out).variables.find((v: { name: string }) => v.name === 'nested');
    expect(nested.status).toBe('different');
    expect(nested.paths.map((p: { path: string }) => p.path)).toEqual(['nested.order[0]', 'nested.order[1]']);
  });

  it('check is in step when environments repeat the shared set in another order', async () => {
    const dir = await repo('check-sets', { dev: 'region = "a"\nzones = ["y", "x"]\n' });
    await temp.fixture('check-sets', { 'shared.tfvars': 'zones = ["x", "y"]\n' });
    // The other syncable variables are declared without a default, so they are missing: only drift matters here.
    const { out } = await run(['check', '--json'], { cwd: dir });
    expect(JSON.parse(out).environments[0].drift).toEqual([]);
  });
});

describe('item 3: constant expressions are values', () => {
  it('24 * 60 is 1440 in diff, show and promote', async () => {
    const dir = await repo('constants', { dev: 'region = "a"\nminutes = 24 * 60\n', prod: 'region = "b"\nminutes = 1440\n' });
    const diff = await run(['diff', 'dev', 'prod', '--json', '--all'], { cwd: dir });
    expect(JSON.parse(diff.out).variables.find((v: { name: string }) => v.name === 'minutes')).toMatchObject({ status: 'same' });
    const show = await run(['show', 'dev', '--json'], { cwd: dir });
    expect(JSON.parse(show.out).variables.find((v: { name: string }) => v.name === 'minutes').value).toBe(1440);
    await expectNoRewriteOfProd(dir);
  });

  it('conditionals and comparisons on constants', async () => {
    const dir = await temp.fixture('get-constants', { 'x.tfvars': 'a = true ? 1 : 2\nb = "a" == "a"\nc = (1 + 2) * 3 - -1\nd = "n=${2 * 3}"\n' });
    const { code, out, err } = await run(['get', 'x.tfvars', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(JSON.parse(out)).toEqual({ a: 1, b: true, c: 10, d: 'n=6' });
  });
});

describe('item 4: integers beyond 2^53 are printed exactly', () => {
  const BIG = '9007199254740993';

  it('show --json, get --json and diff --json keep every digit', async () => {
    const dir = await repo('big', { dev: `region = "a"\nbig = ${BIG}\n`, prod: 'region = "b"\nbig = 9007199254740992\n' });
    const show = await run(['show', 'dev', '--json'], { cwd: dir });
    expect(show.out).toContain(`"value": ${BIG}`);
    const get = await run(['get', 'envs/dev.tfvars', 'big', '--json'], { cwd: dir });
    expect(get.out).toBe(`{\n  "big": ${BIG}\n}\n`);
    const diff = await run(['diff', 'dev', 'prod', '--json'], { cwd: dir });
    // The two differ by one: as doubles they are the same number.
    expect(diff.out).toMatch(/"name": "big",\n\s+"class": "syncable",\n\s+"sensitive": false,\n\s+"status": "different"/);
    const text = await run(['show', 'dev'], { cwd: dir });
    expect(text.out).toContain(BIG);
  });

  it('from a .tfvars.json file too', async () => {
    const dir = await temp.fixture('big-json', { 'x.tfvars.json': `{ "big": -${BIG}0 }\n` });
    const { out } = await run(['get', 'x.tfvars.json', '--json'], { cwd: dir });
    expect(out).toBe(`{\n  "big": -${BIG}0\n}\n`);
  });
});

describe('item 12: set refuses a name no declaration has, unless --create', () => {
  it('suggests the declared name, writes nothing; --create adds it', async () => {
    const dir = await repo('undeclared', { dev: 'region = "a"\n' });
    const before = await snapshot(dir);
    const { code, err } = await run(['set', 'envs/dev.tfvars', 'imgae_tag="v2"'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('no variable "imgae_tag" is declared in variables.tf');
    expect(err).toContain('did you mean "image_tag"?');
    expect(err).toContain('--create');
    expect(await snapshot(dir)).toEqual(before);
    expect((await run(['set', 'envs/dev.tfvars', 'image_tag="v2"'], { cwd: dir })).code).toBe(0);
    const created = await run(['set', 'envs/dev.tfvars', 'extra_flag=true', '--create'], { cwd: dir });
    expect(created.code).toBe(0);
    expect(await readFile(join(dir, 'envs/dev.tfvars'), 'utf8')).toContain('extra_flag = true');
  });

  it('a file no tfsync.json governs takes any name', async () => {
    const dir = await temp.fixture('ungoverned', { 'x.tfvars': 'a = 1\n' });
    expect((await run(['set', 'x.tfvars', 'b=2'], { cwd: dir })).code).toBe(0);
  });
});
