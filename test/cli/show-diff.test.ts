/**
 * `tfsync show`, `diff` and `envs` end to end through runCli: on the shipped demo (the repository
 * root) and on small repositories made in temporary folders.
 */
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';
import { chunkOf, isBuilt, MAIN, ROOT, run, tempFolder, tracedNode } from '../helpers/cli.js';

const DEMO_SECRETS = ['fake-englacial-client-secret-do-not-use', 'fake-prod-client-secret-do-not-use', 'fake-dev-client-secret-do-not-use'];

/** The real file system, noting the path of every file read, relative to `root`. */
function readRecorder(root: string): { fs: FileSystem; read: string[] } {
  const read: string[] = [];
  const fs: FileSystem = {
    ...nodeFileSystem,
    readFile: (path) => {
      read.push(relative(root, path).split(sep).join('/'));
      return nodeFileSystem.readFile(path);
    },
  };
  return { fs, read };
}

/** Runs a command that must print exactly one JSON document on stdout and nothing on stderr. */
async function json(argv: string[], cwd = ROOT) {
  const result = await run([...argv, '--json'], { cwd });
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
}

/** Repositories in fresh folders under the test's temp folder. */
const { fixture } = tempFolder('tfsync-show-diff-');

const CONFIG = JSON.stringify({ variables: 'variables.tf', syncable: ['image', 'workers'], environmentSpecific: ['domain'] });

describe('tfsync diff on the demo', () => {
  it('prints the sections and exits 0', async () => {
    const { code, out, err } = await run(['diff', 'englacial', 'prod']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^Comparing englacial → prod\n\nSyncable \(4 differ, 8 identical\)\n {2}dask_cluster_max_cores\n {4}englacial: 200\n {4}prod: {6}40\n/);
    expect(out).toContain('Environment-specific (27 differ, 6 identical)  never synced');
    expect(out).toContain('  domain_name                 "hub.englacial.org" → "hub.production.example.com"');
    expect(out).toContain('4 syncable variables differ; `tfsync promote englacial prod` makes prod match englacial.');
  });

  it('exits 2 with --detailed-exitcode when something syncable differs, 0 when nothing does', async () => {
    expect((await run(['diff', 'englacial', 'prod', '--detailed-exitcode'])).code).toBe(2);
    expect((await run(['diff', '@shared', 'prod', '--detailed-exitcode'])).code).toBe(0);
  });

  it('writes the design JSON shape', async () => {
    const doc = await json(['diff', 'englacial', 'prod']);
    expect(doc.environments).toEqual(['englacial', 'prod']);
    const cores = doc.variables.find((v: { name: string }) => v.name === 'dask_cluster_max_cores');
    expect(cores).toEqual({
      name: 'dask_cluster_max_cores',
      class: 'syncable',
      sensitive: false,
      status: 'different',
      values: {
        englacial: { value: 200, origin: { layer: 'environment', file: 'environments/englacial/terraform.tfvars', line: 81 } },
        prod: { value: 40, origin: { layer: 'environment', file: 'environments/prod/terraform.tfvars', line: 77 } },
      },
      paths: [{ path: 'dask_cluster_max_cores', status: 'different', values: { englacial: 200, prod: 40 } }],
    });
    expect(doc.variables.every((v: { status: string }) => v.status !== 'same')).toBe(true);
    const statuses = new Set(doc.variables.map((v: { status: string }) => v.status));
    expect([...statuses].every((s) => ['different', 'only-englacial', 'only-prod'].includes(s as string))).toBe(true);
    expect(doc.variables.find((v: { name: string }) => v.name === 'acm_enable_wildcard')).toMatchObject({
      status: 'different',
      values: { englacial: { value: false, origin: { layer: 'default', file: join('environments', 'variables.tf'), line: 122 } } },
    });
  });

  it('writes markdown tables', async () => {
    const { code, out } = await run(['diff', 'englacial', 'prod', '--format', 'markdown']);
    expect(code).toBe(0);
    expect(out).toContain('| `singleuser_image_tag` | `"2025.01.24"` | `"2025.01.10"` |');
  });

  it('prints a matrix for three environments, and JSON with same/different only', async () => {
    const { code, out } = await run(['diff', 'dev', 'englacial', 'prod']);
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}variable +dev +englacial +prod$/m);
    expect(out).toMatch(/^ {2}dask_cluster_max_cores +40 +200 +40$/m);
    const doc = await json(['diff', 'dev', 'englacial', 'prod', '--all']);
    expect(doc.environments).toEqual(['dev', 'englacial', 'prod']);
    expect(new Set(doc.variables.map((v: { status: string }) => v.status))).toEqual(new Set(['same', 'different']));
    expect(Object.keys(doc.variables[0].values)).toEqual(['dev', 'englacial', 'prod']);
  });

  it('compares @shared with an environment', async () => {
    const doc = await json(['diff', '@shared', 'englacial']);
    expect(doc.environments).toEqual(['@shared', 'englacial']);
    expect(doc.variables.find((v: { name: string }) => v.name === 'singleuser_image_tag').values['@shared']).toEqual({
      value: '2025.01.10',
      origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 10 },
    });
  });

  it('refuses an unknown environment with a suggestion', async () => {
    const { code, out, err } = await run(['diff', 'englcial', 'prod']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('unknown environment "englcial" (known: dev, englacial, prod, @shared)');
    expect(err).toContain('hint: did you mean "englacial"?');
  });

  it('refuses --json together with another --format', async () => {
    const { code, err } = await run(['diff', 'englacial', 'prod', '--json', '--format', 'markdown']);
    expect(code).toBe(1);
    expect(err).toContain('--json and --format markdown ask for different formats');
  });
});

describe('tfsync show on the demo', () => {
  it('prints every value with its origin', async () => {
    const { code, out, err } = await run(['show', 'dev']);
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^dev \(environments\/dev\/terraform\.tfvars\)\n/);
    expect(out).toMatch(/^ {2}enable_lambda_invoke +=  ?true +# shared:36$/m);
    expect(out).toMatch(/^ {2}acm_auto_validate +=  ?true +# default:128$/m);
    expect(out).toContain('shared: environments/shared-features.tfvars');
  });

  it('writes the design JSON shape', async () => {
    const doc = await json(['show', 'prod']);
    expect(Object.keys(doc)).toEqual(['environment', 'variables']);
    expect(doc.environment).toBe('prod');
    expect(doc.variables.find((v: { name: string }) => v.name === 'region')).toEqual({
      name: 'region',
      class: 'environment-specific',
      sensitive: false,
      value: 'us-west-2',
      origin: { layer: 'environment', file: 'environments/prod/terraform.tfvars', line: 7 },
      required: false,
    });
  });

  it('shows @shared: the shared file over the defaults, required ones marked', async () => {
    const doc = await json(['show', '@shared']);
    expect(doc.environment).toBe('@shared');
    expect(doc.variables.find((v: { name: string }) => v.name === 'kernel_cull_timeout').origin.layer).toBe('shared');
    expect(doc.variables.find((v: { name: string }) => v.name === 'domain_name')).toMatchObject({ value: null, origin: null, required: true });
    const { out } = await run(['show', '@shared']);
    expect(out).toMatch(/^ {2}domain_name +=  ?\(required, not set\)$/m);
  });

  it('writes tfvars JSON, leaving the secret out with a warning', async () => {
    const { code, out, err } = await run(['show', 'prod', '--format', 'tfvars-json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc.dask_cluster_max_cores).toBe(40);
    expect(doc).not.toHaveProperty('github_client_secret');
    expect(err).toContain('left out sensitive variable github_client_secret (--show-sensitive includes them)');
  });
});

describe('sensitive values', () => {
  const commands = [
    ['show', 'prod'],
    ['show', 'prod', '--json'],
    ['show', 'prod', '--format', 'tfvars-json'],
    ['show', 'englacial'],
    ['show', 'dev', '--json'],
    ['diff', 'englacial', 'prod', '--all'],
    ['diff', 'englacial', 'prod', '--all', '--json'],
    ['diff', 'englacial', 'prod', '--all', '--format', 'markdown'],
    ['diff', 'dev', 'englacial', 'prod', '--all'],
    ['diff', 'dev', 'englacial', 'prod', '--all', '--format', 'markdown'],
    ['diff', '@shared', 'dev', '--all', '--json'],
  ];

  it.each(commands.map((argv) => [argv.join(' '), argv]))('never appear in `tfsync %s`', async (_name, argv) => {
    const { code, out, err } = await run(argv as string[]);
    expect(code).toBe(0);
    for (const secret of DEMO_SECRETS) expect(out + err).not.toContain(secret);
    if (argv[0] === 'diff' || !argv.includes('tfvars-json')) expect(out).toContain('(sensitive)');
  });

  it('appear with --show-sensitive', async () => {
    expect((await run(['show', 'prod', '--show-sensitive'])).out).toContain(DEMO_SECRETS[1]);
    expect((await run(['show', 'prod', '--format', 'tfvars-json', '--show-sensitive'])).out).toContain(DEMO_SECRETS[1]);
    const diff = await run(['diff', 'englacial', 'prod', '--json', '--show-sensitive']);
    expect(diff.out).toContain(DEMO_SECRETS[0]);
    expect(diff.out).toContain(DEMO_SECRETS[1]);
  });

  it('are masked in the excerpt of a syntax error', async () => {
    const dir = await fixture('secret-syntax', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', environmentSpecific: ['token'], sensitive: ['token'] }),
      'variables.tf': 'variable "token" {}\n',
      'environments/a/terraform.tfvars': 'token = "abc-secret-value\n',
      'environments/b/terraform.tfvars': '',
    });
    const { code, err } = await run(['diff', 'a', 'b'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain(join('environments', 'a', 'terraform.tfvars') + ':1:');
    expect(err).not.toContain('abc-secret-value');
  });
});

describe('tfsync envs', () => {
  it('lists the environments and the shared file', async () => {
    const { code, out } = await run(['envs']);
    expect(code).toBe(0);
    expect(out).toBe(
      [
        'dev        environments/dev/terraform.tfvars',
        'englacial  environments/englacial/terraform.tfvars',
        'prod       environments/prod/terraform.tfvars',
        '@shared    environments/shared-features.tfvars',
        '',
      ].join('\n'),
    );
  });

  it('writes JSON', async () => {
    expect(await json(['envs'])).toEqual({
      config: 'tfsync.json',
      environments: [
        { name: 'dev', file: 'environments/dev/terraform.tfvars' },
        { name: 'englacial', file: 'environments/englacial/terraform.tfvars' },
        { name: 'prod', file: 'environments/prod/terraform.tfvars' },
      ],
      shared: { name: '@shared', file: 'environments/shared-features.tfvars', exists: true },
    });
  });

  it('shows paths relative to the working directory, wherever tfsync.json is', async () => {
    const doc = await json(['envs'], join(ROOT, 'environments', 'prod'));
    expect(doc.config).toBe(join('..', '..', 'tfsync.json'));
    expect(doc.environments[2].file).toBe('terraform.tfvars');
  });
});

describe('temporary repositories', () => {
  it('work without a shared file', async () => {
    const dir = await fixture('no-shared', {
      'tfsync.json': CONFIG,
      'variables.tf': 'variable "workers" {\n  default = 1\n}\nvariable "domain" {}\n',
      'environments/a/terraform.tfvars': 'image = "v1"\ndomain = "a"\n',
      'environments/b/terraform.tfvars': 'image = "v2"\nworkers = 3\ndomain = "b"\nonly_b = true\n',
    });
    const doc = await json(['diff', 'a', 'b'], dir);
    expect(doc.variables.map((v: { name: string; status: string }) => [v.name, v.status])).toEqual([
      ['domain', 'different'],
      ['image', 'different'],
      ['only_b', 'only-b'],
      ['workers', 'different'],
    ]);
    expect(doc.variables[2].values.a).toEqual({ value: null, origin: null });
    expect(doc.variables[3].values.a.origin).toEqual({ layer: 'default', file: 'variables.tf', line: 1 });
    const shared = await json(['show', '@shared'], dir);
    expect(shared.variables).toEqual([
      { name: 'domain', class: 'environment-specific', sensitive: false, value: null, origin: null, required: true },
      { name: 'workers', class: 'syncable', sensitive: false, value: 1, origin: { layer: 'default', file: 'variables.tf', line: 1 }, required: false },
    ]);
    const envs = await json(['envs'], dir);
    expect(envs.shared).toEqual({ name: '@shared', file: join('environments', 'shared-features.tfvars'), exists: false });
    expect((await run(['envs'], { cwd: dir })).out).toContain('(not created yet; the first promotion to @shared creates it)');
  });

  it('warn when no variables file exists, on stderr only', async () => {
    const dir = await fixture('no-variables', {
      'tfsync.json': CONFIG,
      'environments/a/terraform.tfvars': 'image = "v1"\n',
      'environments/b/terraform.tfvars': 'image = "v1"\n',
    });
    const { code, out, err } = await run(['diff', 'a', 'b', '--json'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out).variables).toEqual([]);
    expect(err).toBe('tfsync: warning: no variables file matches variables.tf: no declarations or defaults are known\n');
  });

  it('read declarations from a glob of .tf files', async () => {
    const dir = await fixture('variables-glob', {
      'tfsync.json': JSON.stringify({ variables: 'modules/*.tf', syncable: ['image', 'workers'] }),
      'modules/a.tf': 'variable "image" {\n  default = "v0"\n}\n',
      'modules/b.tf': '\nvariable "workers" {\n  default = 2\n}\n',
      'environments/a/terraform.tfvars': '',
    });
    const doc = await json(['show', 'a'], dir);
    expect(doc.variables.map((v: { origin: unknown }) => v.origin)).toEqual([
      { layer: 'default', file: join('modules', 'a.tf'), line: 1 },
      { layer: 'default', file: join('modules', 'b.tf'), line: 2 },
    ]);
  });

  it('stop at a syntax error, naming file, line and column', async () => {
    const dir = await fixture('syntax', {
      'tfsync.json': CONFIG,
      'variables.tf': '',
      'environments/a/terraform.tfvars': 'image = "v1"\n',
      'environments/b/terraform.tfvars': 'image = "v1"\nworkers = [1,\n',
    });
    const { code, out, err } = await run(['diff', 'a', 'b'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^${join('environments', 'b', 'terraform.tfvars')}:\\d+:\\d+: `));
    expect(err).not.toContain('    at ');
  });

  it('stop at a classification conflict with a clear error', async () => {
    const dir = await fixture('conflict', {
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['dask_*'], environmentSpecific: ['*_size'] }),
      'variables.tf': '',
      'environments/a/terraform.tfvars': 'dask_node_size = 1\n',
      'environments/b/terraform.tfvars': 'dask_node_size = 2\n',
    });
    for (const argv of [['diff', 'a', 'b'], ['show', 'a', '--json']]) {
      const { code, out, err } = await run(argv, { cwd: dir });
      expect(code).toBe(1);
      // With --json, the error's own document (and nothing else) on stdout.
      if (argv.includes('--json')) expect(JSON.parse(out).error.code).toBe('classification-conflict');
      else expect(out).toBe('');
      expect(err).toContain('tfsync: variable "dask_node_size" matches syncable "dask_*" and environmentSpecific "*_size" in tfsync.json');
      expect(err).toContain('hint: ');
    }
  });

  it('say how to start when there is no tfsync.json', async () => {
    const dir = await fixture('empty', { 'README.md': '' });
    const { code, err } = await run(['diff', 'a', 'b'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toBe(`tfsync: no tfsync.json found in ${dir} or any parent\nhint: run \`tfsync init\` to create one\n`);
  });

  it('take --config relative to the working directory', async () => {
    const dir = await fixture('config-flag', {
      'conf/tfsync.json': JSON.stringify({ environments: 'envs/*.tfvars', shared: 'envs/shared/all.tfvars' }),
      'conf/variables.tf': '',
      'conf/envs/x.tfvars': 'a = 1\n',
      'conf/envs/y.tfvars': 'a = 2\n',
    });
    const doc = await json(['diff', 'x', 'y', '--config', join('conf', 'tfsync.json')], dir);
    expect(doc.variables).toEqual([
      {
        name: 'a',
        class: 'unclassified',
        sensitive: false,
        status: 'different',
        values: {
          x: { value: 1, origin: { layer: 'environment', file: join('conf', 'envs', 'x.tfvars'), line: 1 } },
          y: { value: 2, origin: { layer: 'environment', file: join('conf', 'envs', 'y.tfvars'), line: 1 } },
        },
        paths: [{ path: 'a', status: 'different', values: { x: 1, y: 2 } }],
      },
    ]);
  });
});

describe('show and diff read only the environments they are given', () => {
  const FILES = {
    'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['image', 'dask_*'], environmentSpecific: ['domain', '*_size'] }),
    'variables.tf': 'variable "image" {\n  default = "v0"\n}\n',
    'environments/shared-features.tfvars': 'image = "v1"\n',
    'environments/a/terraform.tfvars': 'image = "v2"\ndomain = "a"\n',
    'environments/b/terraform.tfvars': 'domain = "b"\n',
  };

  it('diff a b reads tfsync.json, variables.tf, the shared file, a and b: nothing else', async () => {
    const dir = await fixture('only-named', { ...FILES, 'environments/c/terraform.tfvars': 'image = "v3"\n', 'environments/d/terraform.tfvars': '' });
    const { fs, read } = readRecorder(dir);
    const { code, out, err } = await run(['diff', 'a', 'b', '--json'], { cwd: dir, fs });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(out).environments).toEqual(['a', 'b']);
    expect(read.sort()).toEqual(['environments/a/terraform.tfvars', 'environments/b/terraform.tfvars', 'environments/shared-features.tfvars', 'tfsync.json', 'variables.tf']);

    const show = readRecorder(dir);
    expect((await run(['show', '@shared', '--json'], { cwd: dir, fs: show.fs })).code).toBe(0);
    expect(show.read.sort()).toEqual(['environments/shared-features.tfvars', 'tfsync.json', 'variables.tf']);
  });

  it('a syntax error or a conflict in another environment no longer stops them; check still reports both', async () => {
    const dir = await fixture('unrelated-broken', {
      ...FILES,
      'environments/c/terraform.tfvars': 'image = [1,\n',
      'environments/d/terraform.tfvars': 'dask_node_size = 1\n',
    });
    const diff = await run(['diff', 'a', 'b'], { cwd: dir });
    expect(diff.err).toBe('');
    expect(diff.code).toBe(0);
    expect(diff.out).toContain('image');
    expect((await run(['show', 'b', '--json'], { cwd: dir })).code).toBe(0);
    // Naming the broken ones still stops, with file:line:col or the conflict.
    expect((await run(['diff', 'a', 'c'], { cwd: dir })).err).toMatch(new RegExp(`^${join('environments', 'c', 'terraform.tfvars')}:\\d+:\\d+: `));
    expect((await run(['show', 'd'], { cwd: dir })).err).toContain('variable "dask_node_size" matches syncable');
    const check = await run(['check'], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.err).toMatch(new RegExp(`^${join('environments', 'c', 'terraform.tfvars')}:\\d+:\\d+: `));
  });

  it('an unknown name still gets the list of known environments and a suggestion', async () => {
    const dir = await fixture('unknown-named', { ...FILES, 'environments/prod/terraform.tfvars': 'image = [1,\n' });
    const { code, out, err } = await run(['diff', 'a', 'prdo'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('unknown environment "prdo" (known: a, b, prod, @shared)');
    expect(err).toContain('did you mean "prod"?');
  });

  it('warns about stray environment folders only when it lists them', async () => {
    const dir = await fixture('stray', { ...FILES, 'environments/.old/terraform.tfvars': '' });
    expect((await run(['diff', 'a', 'b'], { cwd: dir })).err).toBe('');
    expect((await run(['envs'], { cwd: dir })).err).toContain('invalid environment name ".old"');
  });
});

/**
 * Read-only commands must never load the WASM parser. A preloaded module records every module the
 * process loads: ESM resolutions through a `module.register` hook (which runs on its own thread and
 * appends to a file), and CommonJS ones from `require.cache` at exit.
 */
describe('the built CLI', () => {
  const built = isBuilt('cli/main.js', 'cli/commands/diff.js');
  const traced = (args: string[]) => tracedNode(args, { env: { FORCE_COLOR: undefined } });

  it.skipIf(!built)('diffs the demo without loading @cdktn/hcl2json', async () => {
    const { status, stdout, stderr, modules } = await traced([MAIN, 'diff', 'englacial', 'prod']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain('Comparing englacial → prod');
    for (const secret of DEMO_SECRETS) expect(stdout).not.toContain(secret);
    // The trace works: it saw the bundled CLI's chunks (scripts/bundle-cli.mjs), the diff command's among them.
    expect(modules).toContain(chunkOf('src/sync/diff.ts'));
    // The official parser is left out of the bundle, so loading it would show in the trace.
    expect(modules).not.toContain('@cdktn/hcl2json');
    // What the bundle imports lazily stays unloaded: the glob library (named environments need no glob),
    // yargs (a plain invocation is parsed by src/cli/direct-args.ts), jsonc-parser (no JSON file here).
    for (const lazy of ['yargs', 'tinyglobby', 'jsonc-parser']) expect(modules).not.toContain(chunkOf(`node_modules/${lazy}/`));
  });

  it.skipIf(!built)('loads yargs for help', async () => {
    const { status, stdout, modules } = await traced([MAIN, 'diff', '--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('tfsync diff <env1> <env2>');
    expect(modules).toContain(chunkOf('node_modules/yargs/'));
  });

  it.skipIf(!built)('would notice the parser being loaded, by import or by require', async () => {
    const imported = await traced(['--input-type=module', '-e', "await import('@cdktn/hcl2json')"]);
    expect(imported.status).toBe(0);
    expect(imported.modules).toContain('@cdktn/hcl2json');
    const required = await traced(['-e', "require('@cdktn/hcl2json')"]);
    expect(required.status).toBe(0);
    expect(required.modules).toContain('@cdktn/hcl2json');
  });
});
