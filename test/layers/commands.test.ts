/** The read-only commands on general-form repositories: var-files, envs, show and diff across stacks. */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layer-commands-');

describe('var-files', () => {
  it('prints the -var-file arguments in layer order, leaving out an optional file that is absent', async () => {
    const dir = await temp.fixture('vf', LAYOUTS['commonPlusStack']!);
    const api = await run(['var-files', 'prod', '--stack', 'api'], { cwd: dir });
    expect(api).toMatchObject({ code: 0, err: '' });
    expect(api.out).toBe('-var-file=terraform/variables/prod/common.tfvars\n-var-file=terraform/variables/prod/api.tfvars\n');
    const web = await run(['var-files', 'prod', '--stack', 'web'], { cwd: dir });
    expect(web.out).toBe('-var-file=terraform/variables/prod/common.tfvars\n');
  });

  it('asks for --stack when several stacks have the environment, and --json lists them all', async () => {
    const dir = await temp.fixture('vf-ambiguous', LAYOUTS['commonPlusStack']!);
    const text = await run(['var-files', 'dev'], { cwd: dir });
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/2 stacks have environment "dev" \(api, web\): name one with --stack/);
    const json = JSON.parse((await run(['var-files', 'dev', '--json'], { cwd: dir })).out);
    expect(json.stacks.map((s: { stack: string; files: unknown[] }) => [s.stack, s.files.length])).toEqual([
      ['api', 2],
      ['web', 2],
    ]);
  });

  it('works for the classic form too: the shared file, then the environment file', async () => {
    const out = await run(['var-files', 'prod']);
    expect(out).toMatchObject({ code: 0, out: '-var-file=environments/shared-features.tfvars\n-var-file=environments/prod/terraform.tfvars\n' });
  });

  it('names the unknown environment and the known ones', async () => {
    const dir = await temp.fixture('vf-unknown', LAYOUTS['envTwice']!);
    const out = await run(['var-files', 'prdo'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.err).toMatch(/unknown environment "prdo" \(known: dev, prod/);
  });
});

describe('show, diff and envs across stacks', () => {
  it('show names the layer and file:line of every origin, per stack', async () => {
    const dir = await temp.fixture('show', LAYOUTS['commonPlusStack']!);
    const out = await run(['show', 'dev'], { cwd: dir });
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/^stack api: dev/m);
    expect(out.out).toMatch(/^stack web: dev/m);
    expect(out.out).toMatch(/image_tag += "v3" +# stack:1/);
    expect(out.out).toMatch(/region += "eu-west-1" +# common:2/);
    expect(out.out).toMatch(/db_password += \(sensitive\)/);
    expect(out.out).not.toContain('dev-secret');
    const json = JSON.parse((await run(['show', 'dev', '--json', '--stack', 'web'], { cwd: dir })).out);
    expect(json.variables.find((v: { name: string }) => v.name === 'image_tag')).toMatchObject({
      stack: 'web',
      value: 'v2',
      origin: { layer: 'environment', name: 'common', file: 'terraform/variables/dev/common.tfvars', line: 3 },
    });
  });

  it('diff compares each stack on its own declarations and says which stack each line belongs to', async () => {
    const dir = await temp.fixture('diff', LAYOUTS['commonPlusStack']!);
    const json = JSON.parse((await run(['diff', 'dev', 'staging', '--json', '--all'], { cwd: dir })).out);
    const byKey = new Map(json.variables.map((v: { stack: string; name: string; status: string }) => [`${v.stack}.${v.name}`, v.status]));
    expect(byKey.get('api.image_tag')).toBe('same');
    expect(byKey.get('api.replicas')).toBe('same');
    expect(byKey.get('web.image_tag')).toBe('different');
    // web declares no replicas, but staging's common file sets it for every stack.
    expect(byKey.get('web.replicas')).toBe('only-staging');
    const text = await run(['diff', 'dev', 'staging', '--stack', 'web'], { cwd: dir });
    expect(text.out).toMatch(/^stack web/);
    expect(text.out).not.toMatch(/stack api/);
  });

  it('envs lists every stack environment with its files in layer order', async () => {
    const dir = await temp.fixture('envs', LAYOUTS['commonPlusStack']!);
    const out = await run(['envs'], { cwd: dir });
    expect(out.out).toMatch(/^web\/prod +terraform\/variables\/prod\/common\.tfvars → terraform\/variables\/prod\/web\.tfvars \(absent\)$/m);
    const json = JSON.parse((await run(['envs', '--json'], { cwd: dir })).out);
    expect(json.environments.map((e: { stack: string; name: string }) => `${e.stack}/${e.name}`)).toEqual(['api/dev', 'api/prod', 'api/staging', 'web/dev', 'web/prod', 'web/staging']);
  });

  it('a --stack the config does not define is an error with the known ones', async () => {
    const dir = await temp.fixture('bad-stack', LAYOUTS['commonPlusStack']!);
    const out = await run(['show', 'dev', '--stack', 'apj'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.err).toMatch(/unknown stack "apj" \(known: api, web\)/);
  });
});
