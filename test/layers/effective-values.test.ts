/**
 * Effective values in the general form equal what Terraform would see: the official parser's values
 * of each ordered file, the later winning, over the declarations' defaults.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { discoverLayers, type LayerFile } from '../../src/io/discover-layers.js';
import { placePath } from '../../src/hcl/object-place.js';
import { valueAt } from '../../src/hcl/path-locate.js';
import { loadStacks } from '../../src/io/load-repository.js';
import { officialValues } from '../../src/io/official-parser.js';
import { loadConfig, placeCarriers } from '../../src/model/config.js';
import { effectiveValues } from '../../src/model/layers.js';
import { tempFolder } from '../helpers/cli.js';
import { LAYOUTS } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layers-');

/** What Terraform sees: defaults, then each readable file's values in order. */
async function terraformValues(declarationFiles: string[], files: LayerFile[], env: string): Promise<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  for (const path of declarationFiles) {
    const parsed = (await officialValues(path, await readFile(path, 'utf8'))) as { variable?: Record<string, Array<Record<string, unknown>>> };
    for (const [name, [block]] of Object.entries(parsed.variable ?? {})) if (block && 'default' in block) values[name] = block['default'];
  }
  for (const { path, layer } of files) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text === undefined || text.includes('\u0000')) continue;
    const all = path.endsWith('.json') ? JSON.parse(text) : await officialValues(path, text);
    // A layer "at" an object (Terragrunt inputs, a map of environments): that object's items.
    const place = layer.at === undefined ? undefined : placePath(layer.at, env);
    Object.assign(values, place ? (valueAt(all[place.name], place.parts) ?? {}) : all);
  }
  return values;
}

describe.each(Object.entries(LAYOUTS))('layout %s', (name, files) => {
  it('gives every environment of every stack the values Terraform sees for its ordered files', async () => {
    const dir = await temp.fixture(name, files);
    const config = loadConfig(`${dir}/tfsync.json`, files['tfsync.json']!);
    const layout = await discoverLayers(config);
    const { repos } = await loadStacks({ cwd: dir });
    let compared = 0;
    for (const stack of layout.stacks) {
      const repo = repos.find((r) => r.stack === stack.name)!;
      const declarations = [...new Set([...repo.declarations.values()].map((d) => `${dir}/${d.file}`))];
      for (const env of stack.environments) {
        const expected = await terraformValues(declarations, env.files, env.name);
        // The attribute that holds a map of environments is not a value of one.
        for (const carrier of placeCarriers(config)) delete expected[carrier];
        const actual = Object.fromEntries(effectiveValues(repo, env.name).filter((v) => v.value !== undefined).map((v) => [v.name, v.value]));
        expect(actual, `${stack.name ?? ''}/${env.name}`).toEqual(expected);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1);
  });
});

describe('discovery', () => {
  it('finds the stacks and each stack its environments', async () => {
    const dir = await temp.fixture('discover-stacks', LAYOUTS['commonPlusStack']!);
    const layout = await discoverLayers(loadConfig(`${dir}/tfsync.json`, LAYOUTS['commonPlusStack']!['tfsync.json']!));
    expect(layout.stacks.map((s) => [s.name, s.environments.map((e) => e.name)])).toEqual([
      ['api', ['dev', 'prod', 'staging']],
      ['web', ['dev', 'prod', 'staging']],
    ]);
    const prodApi = layout.stacks[0]!.environments[1]!;
    expect(prodApi.files.map((f) => [f.layer.name, f.path.slice(dir.length)])).toEqual([
      ['common', '/terraform/variables/prod/common.tfvars'],
      ['stack', '/terraform/variables/prod/api.tfvars'],
    ]);
  });

  it('needs {env} to be the same name at every place, and leaves out excluded files', async () => {
    const dir = await temp.fixture('discover-twice', LAYOUTS['envTwice']!);
    const layout = await discoverLayers(loadConfig(`${dir}/tfsync.json`, LAYOUTS['envTwice']!['tfsync.json']!));
    expect(layout.stacks[0]!.environments.map((e) => e.name)).toEqual(['dev', 'prod']);
  });

  it('reads {env} inside a path segment, and an encrypted layer as set but unknown', async () => {
    const dir = await temp.fixture('discover-app', LAYOUTS['appSegments']!);
    const { repos, warnings } = await loadStacks({ cwd: dir });
    expect(warnings).toEqual([expect.stringMatching(/accounts\/app-prod\/secrets\.tfvars is encrypted \(git-crypt\)/)]);
    const prod = effectiveValues(repos[0]!, 'prod');
    expect(prod.find((v) => v.name === 'api_key')).toMatchObject({ value: undefined, required: false, unknown: true });
    const dev = effectiveValues(repos[0]!, 'dev');
    expect(dev.find((v) => v.name === 'api_key')).toMatchObject({ value: 'dev-key', origin: { name: 'secrets', line: 1 } });
  });

  it('names the layer and file:line of each origin, and marks external variables', async () => {
    const dir = await temp.fixture('origins', LAYOUTS['envTwice']!);
    const { repos } = await loadStacks({ cwd: dir });
    const dev = new Map(effectiveValues(repos[0]!, 'dev').map((v) => [v.name, v]));
    expect(dev.get('image_tag')).toMatchObject({ value: 'v7', origin: { layer: 'shared', name: 'shared', file: 'environments/shared.tfvars', line: 1 } });
    expect(dev.get('region')).toMatchObject({ value: 'eu-west-1', origin: { layer: 'environment', name: 'env', file: 'environments/dev/dev.tfvars', line: 1 } });
    expect(dev.get('replicas')).toMatchObject({ value: 2, origin: { line: 2 } });
    expect(dev.get('state_bucket')).toMatchObject({ value: undefined, required: false, external: true });
  });
});

describe('values inside an object ("at")', () => {
  it('reads Terragrunt inputs beside terraform, include, dependency and locals blocks; references are computed, not errors', async () => {
    const dir = await temp.fixture('terragrunt', LAYOUTS['terragrunt']!);
    const { repos, warnings } = await loadStacks({ cwd: dir });
    expect(warnings).toEqual([]);
    const app = repos.find((r) => r.stack === 'app')!;
    const prod = new Map(effectiveValues(app, 'prod').map((v) => [v.name, v]));
    expect(prod.get('image_tag')).toMatchObject({ value: 'v1.3.0', origin: { name: 'unit', file: 'accounts/app-prod/app/terragrunt.hcl', line: 24 } });
    expect(prod.get('vpc_id')).toMatchObject({ value: '${dependency.vpc.outputs.vpc_id}', computed: true });
    expect(prod.get('team')).toMatchObject({ value: '${local.team}', computed: true });
    expect(prod.get('log_level')).toMatchObject({ value: '${upper("error")}', computed: true });
    const dev = new Map(effectiveValues(app, 'dev').map((v) => [v.name, v]));
    // From the shared common.hcl's inputs, under the unit's.
    expect(dev.get('log_level')).toMatchObject({ value: 'warn', origin: { layer: 'shared', name: 'common', line: 2 } });
    expect(dev.get('tags')).toMatchObject({ value: { Environment: 'dev' } });
    expect(dev.get('image_tag')!.computed).toBeUndefined();
  });

  it('reads the fields of one entry of a map of environments, in .tfvars.json and .tfvars, the later file winning', async () => {
    const dir = await temp.fixture('workspaces', LAYOUTS['workspaces']!);
    const { repos } = await loadStacks({ cwd: dir });
    const prod = new Map(effectiveValues(repos[0]!, 'production').map((v) => [v.name, v]));
    expect(prod.get('min_size')).toMatchObject({ value: 4, origin: { name: 'overrides', file: 'overrides.tfvars', line: 5 } });
    expect(prod.get('image')).toMatchObject({ value: 'app:1', origin: { name: 'base', file: 'settings.tfvars.json', line: 18 } });
    expect(prod.has('environments')).toBe(false);
    const staging = new Map(effectiveValues(repos[0]!, 'staging').map((v) => [v.name, v]));
    expect(staging.get('min_size')).toMatchObject({ value: 2 });
    expect(staging.has('domain')).toBe(false);
  });

  it('an "at" that is not an object is an error at its file:line:col; one that is absent is an empty layer', async () => {
    const files = LAYOUTS['terragrunt']!;
    const dir = await temp.fixture('terragrunt-bad', { ...files, 'accounts/app-prod/vpc/terragrunt.hcl': 'terraform {\n  source = "x"\n}\n\ninputs = "oops"\n', 'accounts/app-dev/vpc/terragrunt.hcl': 'terraform {\n  source = "x"\n}\n' });
    await expect(loadStacks({ cwd: dir, stacks: ['vpc'], environments: ['prod'] })).rejects.toThrow(/inputs must be an object of values/);
    const { repos } = await loadStacks({ cwd: dir, stacks: ['vpc'], environments: ['dev'] });
    expect(effectiveValues(repos[0]!, 'dev').find((v) => v.name === 'cidr')).toMatchObject({ value: undefined, required: true });
  });
});
