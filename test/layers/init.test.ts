/** init detects the layouts the general form describes, or takes them from --layer and --stacks. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS, type Files } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layer-init-');
const without = (files: Files): Files => ({ ...files, 'tfsync.json': undefined as unknown as string });
const written = async (dir: string) => JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8'));

describe('init detects layouts', () => {
  it('common plus per-stack files over several stacks', async () => {
    const dir = await temp.fixture('common', without(LAYOUTS['commonPlusStack']!));
    const out = await run(['init'], { cwd: dir });
    expect(out).toMatchObject({ code: 0 });
    const config = await written(dir);
    expect(config).toMatchObject({
      stacks: 'terraform/deployments/*',
      variables: 'terraform/deployments/{stack}/*.tf',
      layers: [
        { name: 'common', files: 'terraform/variables/{env}/common.tfvars' },
        { name: 'stack', files: 'terraform/variables/{env}/{stack}.tfvars', optional: true },
      ],
    });
    expect(out.out).toMatch(/Environments +api: dev, prod, staging\n +web: dev, prod, staging/);
    // It reads main.tf too: db_password is declared sensitive there.
    expect(config.environmentSpecific).toContain('db_password');
    expect((await run(['check'], { cwd: dir })).code).not.toBe(1);
  });

  it('the environment twice in the path, leaving out a template', async () => {
    const dir = await temp.fixture('twice', without(LAYOUTS['envTwice']!));
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    expect(await written(dir)).toMatchObject({
      layers: [
        { name: 'shared', files: 'environments/shared.tfvars', optional: true },
        { name: 'env', files: 'environments/{env}/{env}.tfvars' },
      ],
      exclude: ['environments/template/template.tfvars'],
      syncable: ['image_tag'],
    });
    expect((await run(['envs', '--json'], { cwd: dir })).out).not.toContain('template');
  });

  it('Terragrunt units, {env} inside a segment, with the stacks\' modules', async () => {
    const dir = await temp.fixture('tg', without(LAYOUTS['terragrunt']!));
    const out = await run(['init', '--dry-run'], { cwd: dir });
    expect(out.code).toBe(0);
    const config = JSON.parse(out.out);
    expect(config).toMatchObject({ stacks: 'modules/*', variables: 'modules/{stack}/*.tf', layers: [{ name: 'unit', files: 'accounts/app-{env}/{stack}/terragrunt.hcl', at: 'inputs' }] });
    // team = local.team is the same expression everywhere, but no constant: never called syncable.
    expect(config.syncable).not.toContain('team');
  });

  it('one file per environment at the root', async () => {
    const files = LAYOUTS['rootAndJson']!;
    const dir = await temp.fixture('root', without({ ...files, 'envs/west.tfvars.json': undefined as unknown as string, 'envs/north.tfvars.json': undefined as unknown as string }));
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    expect((await written(dir)).layers).toEqual([{ name: 'env', files: 'hub-{env}.tfvars' }]);
  });

  it('--layer (repeatable) and --stacks say what detection cannot know', async () => {
    const dir = await temp.fixture('given', without(LAYOUTS['rootAndJson']!));
    const out = await run(['init', '--layer', 'hub-{env}.tfvars', '--layer', 'envs/{env}.tfvars.json'], { cwd: dir });
    expect(out.code).toBe(0);
    expect((await written(dir)).layers).toEqual([
      { name: 'hub', files: 'hub-{env}.tfvars', optional: true },
      { name: 'envs', files: 'envs/{env}.tfvars.json', optional: true },
    ]);
    expect(out.out).toMatch(/Environments +east, north, west/);
    const stacks = await temp.fixture('given-stacks', without(LAYOUTS['commonPlusStack']!));
    const withStacks = await run(['init', '--dry-run', '--stacks', 'terraform/deployments/*', '--layer', 'terraform/variables/{env}/{stack}.tfvars'], { cwd: stacks });
    expect(JSON.parse(withStacks.out)).toMatchObject({ stacks: 'terraform/deployments/*', variables: 'terraform/deployments/{stack}/*.tf', layers: [{ name: 'layer1', files: 'terraform/variables/{env}/{stack}.tfvars' }] });
  });
});
