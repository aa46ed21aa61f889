/**
 * `tfsync init` end to end through runCli, in temporary copies of the demo and small layouts.
 */
import { cp, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLoaders } from '../../src/cli/commands/index.js';
import { makefileSnippet } from '../../src/cli/makefile-snippet.js';
import { loadRepository } from '../../src/io/load-repository.js';
import { loadConfig } from '../../src/model/config.js';
import { assertNoConflicts } from '../../src/model/repository.js';
import { ROOT, run, tempFolder } from '../helpers/cli.js';
import { extractSeedMakefile } from '../helpers/seed-makefile.js';
import { recordingFs } from '../reliability/fault-fs.js';

const temp = tempFolder('tfsync-init-');
const { fixture } = temp;

/** The demo's environments (and declarations) without its tfsync.json. */
async function demo(name: string): Promise<string> {
  const dir = join(temp.dir, name);
  await cp(join(ROOT, 'environments'), join(dir, 'environments'), { recursive: true });
  return dir;
}

const exists = (path: string) => stat(path).then(() => true, () => false);

/** Every variable's class, as the config in `dir` classifies it. */
async function classes(dir: string, config?: string): Promise<Record<string, string>> {
  const { repo } = await loadRepository({ cwd: dir, ...(config ? { config } : {}) });
  assertNoConflicts(repo);
  return Object.fromEntries([...repo.classification].map(([name, c]) => [name, c.class]));
}

describe('tfsync init on the demo', () => {
  it('writes a tfsync.json that classifies every variable as the shipped one does', async () => {
    const dir = await demo('demo');
    const { code, out, err } = await run(['init'], { cwd: dir });
    expect(code).toBe(0);
    expect(err).toBe('');
    expect(out).toMatch(/^Environments +environments\/\*\/terraform\.tfvars → dev, englacial, prod$/m);
    expect(out).toMatch(/^ {2}syncable +dask_cluster_max_cores +the shared file sets it \(environments\/shared-features\.tfvars:17\)$/m);
    expect(out).toMatch(/^ {2}environment-specific +region +by nature: a region or zone$/m);
    expect(out).toMatch(/^ {2}environment-specific +kubernetes_version +2 different values in all 3 environments \(no name rule applies; if they are drift, list it as syncable\)$/m);
    expect(out).toMatch(/^Declarations +environments\/variables\.tf \(the only \.tf file beside the environments\)$/m);
    expect(out).toMatch(/^Read +environments\/variables\.tf$/m);
    expect(out).toContain('12 syncable, 33 environment-specific, 0 unclassified.');
    expect(out).toContain('Wrote tfsync.json.');

    const text = await readFile(join(dir, 'tfsync.json'), 'utf8');
    const config = JSON.parse(text);
    expect(config.$schema).toBe('./node_modules/tfsync/schemas/tfsync.schema.json');
    expect(config.variables).toBe('environments/variables.tf');
    expect(config.environments).toBe('environments/*/terraform.tfvars');
    expect(text).toBe(`${JSON.stringify(config, null, 2)}\n`);
    expect(() => loadConfig(join(dir, 'tfsync.json'), text)).not.toThrow();
    // Exact names, no globs, and the same verdict as the hand-written demo config for every variable.
    for (const name of [...config.syncable, ...config.environmentSpecific]) expect(name).not.toMatch(/[*?]/);
    expect(await classes(dir)).toEqual(await classes(ROOT));
    expect(config.groups).toEqual({
      images: ['singleuser_image_name', 'singleuser_image_tag'],
      dask: ['dask_cluster_max_cores', 'dask_worker_cores_max', 'dask_worker_extra_pip_packages', 'dask_worker_memory_max'],
      timeouts: ['kernel_cull_timeout', 'server_cull_timeout'],
    });
  });

  it.skipIf(!Object.hasOwn(commandLoaders, 'validate'))('writes a config that `tfsync validate` accepts', async () => {
    const dir = await demo('validate');
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    const { code, err } = await run(['validate'], { cwd: dir });
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('never overwrites tfsync.json without --force; with it, keeps the old one as .bak', async () => {
    const dir = await demo('force');
    await writeFile(join(dir, 'tfsync.json'), '{"syncable": ["x"]}\n');
    const refused = await run(['init'], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toContain('tfsync.json already exists; init does not overwrite it');
    expect(refused.err).toContain('pass --force to replace it');
    expect(await readFile(join(dir, 'tfsync.json'), 'utf8')).toBe('{"syncable": ["x"]}\n');

    const forced = await run(['init', '--force'], { cwd: dir });
    expect(forced.code).toBe(0);
    expect(forced.out).toContain('Wrote tfsync.json (the previous one is in tfsync.json.bak).');
    expect(await readFile(join(dir, 'tfsync.json.bak'), 'utf8')).toBe('{"syncable": ["x"]}\n');
    expect(JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8')).syncable).toHaveLength(12);
  });

  it('--force refuses, writing nothing, when tfsync.json changes between its read and the write', async () => {
    const dir = await demo('changed');
    await writeFile(join(dir, 'tfsync.json'), '{"syncable": ["x"]}\n');
    // Another editor saves tfsync.json just as init takes its lock.
    const fs = recordingFs(undefined, async (call) => {
      if (call.op === 'writeFile' && call.path.endsWith('tfsync.json.tfsync.lock')) await writeFile(join(dir, 'tfsync.json'), '{"syncable": ["y"]}\n');
    });
    const { code, err } = await run(['init', '--force'], { cwd: dir, fs });
    expect(code).toBe(1);
    expect(err).toContain('tfsync.json changed on disk since it was read; nothing was written');
    expect(await readFile(join(dir, 'tfsync.json'), 'utf8')).toBe('{"syncable": ["y"]}\n');
    expect(await exists(join(dir, 'tfsync.json.bak'))).toBe(false);
  });

  it('--dry-run prints the JSON on stdout, the report on stderr, and writes nothing', async () => {
    const dir = await demo('dry-run');
    const { code, out, err } = await run(['init', '--dry-run'], { cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(out).environments).toBe('environments/*/terraform.tfvars');
    expect(err).toContain('12 syncable, 33 environment-specific, 0 unclassified.');
    expect(await exists(join(dir, 'tfsync.json'))).toBe(false);
  });

  it('--makefile prints the Makefile snippet for these environments and groups, and writes nothing', async () => {
    const dir = await demo('makefile');
    const { code, out, err } = await run(['init', '--makefile'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toBe(makefileSnippet({ source: 'dev', target: 'englacial', groups: ['images', 'dask', 'timeouts'] }));
    expect(err).toBe('');
    expect(await exists(join(dir, 'tfsync.json'))).toBe(false);
    expect(await exists(join(dir, '.gitignore'))).toBe(false);
  });

  it("--from-makefile takes the classification from the seed Makefile's lists", async () => {
    const dir = await demo('from-makefile');
    const seed = extractSeedMakefile() ?? 'SYNCABLE_VARS := singleuser_image_name singleuser_image_tag \\\n  kernel_cull_timeout\nENV_SPECIFIC_VARS := region \\\n  domain_name\n';
    await writeFile(join(dir, 'Makefile.old'), seed);
    const { code, out } = await run(['init', '--from-makefile', 'Makefile.old'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}syncable +singleuser_image_tag +listed in SYNCABLE_VARS$/m);
    expect(out).toMatch(/^ {2}unclassified +github_client_secret +in neither list of the Makefile, which never synced it \(init alone would say environment-specific/m);
    const config = JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8'));
    const lists = await import('../../src/model/makefile-vars.js').then((m) => m.readMakefileLists(seed, 'Makefile.old'));
    expect(config.syncable).toEqual([...lists.syncable].sort());
    expect(config.environmentSpecific).toEqual([...lists.environmentSpecific].sort());
    expect(Object.values(await classes(dir))).not.toContain('conflict');
  });

  it('points $schema at this repository\'s schema when run inside it', async () => {
    const { code, out } = await run(['init', '--dry-run'], { cwd: ROOT });
    expect(code).toBe(0);
    expect(JSON.parse(out).$schema).toBe('./schemas/tfsync.schema.json');
  });
});

describe('tfsync init on other layouts', () => {
  it('envs/*.tfvars with a shared file among them and variable blocks in a root .tf file', async () => {
    const dir = await fixture('flat', {
      'main.tf': 'variable "image" {\n  default = "v1"\n}\n\nvariable "db_token" {}\n\nresource "null_resource" "x" {}\n',
      'envs/dev.tfvars': 'image = "v2"\nregion = "eu-west-1"\nreplicas = 1\ndb_token = "dev"\n',
      'envs/prod.tfvars': 'image = "v2"\nregion = "us-east-1"\nreplicas = 3\ndb_token = "prod"\n',
      'envs/shared.tfvars': '',
    });
    const { code, out } = await run(['init'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/^Declarations +main\.tf \(the only \.tf file in the root module\)$/m);
    // Names no .tf file declares are never guessed at.
    expect(out).toMatch(/^ {2}unclassified +region +declared in no \.tf file/m);
    const config = JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8'));
    expect(config).toMatchObject({ variables: 'main.tf', shared: 'envs/shared.tfvars', environments: 'envs/*.tfvars' });
    expect(config.syncable).toEqual(['image']);
    expect(config.environmentSpecific).toEqual(['db_token']);
    expect(config.sensitive).toEqual(['db_token']);
    expect(await classes(dir)).toEqual({ db_token: 'environment-specific', image: 'syncable', region: 'unclassified', replicas: 'unclassified' });
    // The shared file is empty, so both environments drift from the default.
    expect((await run(['check'], { cwd: dir })).code).toBe(2);
  });

  it('env/*/terraform.tfvars with no declarations at all', async () => {
    const dir = await fixture('no-decl', {
      'env/a/terraform.tfvars': 'flag = true\n',
      'env/b/terraform.tfvars': 'flag = true\n',
    });
    const { code, out } = await run(['init'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/^Declarations +none found/m);
    expect(out).toContain('(not created yet; the first promotion to @shared creates it)');
    expect(JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8'))).toMatchObject({
      variables: 'variables.tf',
      shared: 'env/shared-features.tfvars',
      environments: 'env/*/terraform.tfvars',
      syncable: ['flag'],
      environmentSpecific: [],
    });
  });

  it('refuses a folder with no environments, listing the layouts it looked for', async () => {
    const dir = await fixture('nothing', { 'main.tf': '' });
    const { code, err } = await run(['init'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('no environments found');
    expect(err).toContain('envs/*.tfvars');
    expect(await exists(join(dir, 'tfsync.json'))).toBe(false);
  });

  it('reports a syntax error with its location and writes nothing', async () => {
    const dir = await fixture('broken', { 'envs/a.tfvars': 'x = 1\n', 'envs/b.tfvars': 'x = [\n' });
    const { code, err } = await run(['init'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('envs/b.tfvars:');
    expect(await exists(join(dir, 'tfsync.json'))).toBe(false);
  });
});
