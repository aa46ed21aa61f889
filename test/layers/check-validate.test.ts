/** check and validate on general-form repositories: every stack, each line saying which stack it belongs to. */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layer-check-');

describe('check across stacks', () => {
  it('compares each environment\'s effective values with @shared, whichever layer gives them, per stack', async () => {
    const dir = await temp.fixture('text', LAYOUTS['commonPlusStack']!);
    const out = await run(['check'], { cwd: dir });
    expect(out.code).toBe(2);
    expect(out.out).toMatch(/^stack api: dev +terraform\/variables\/dev\/api\.tfvars \(3 drift\)$/m);
    // The value comes from the common layer: the line points there, and the heading at the newest file that exists.
    expect(out.out).toMatch(/^stack web: dev +terraform\/variables\/dev\/web\.tfvars \(1 drift\)\n +image_tag +shared: "w1" \(default\) → dev: "v2" +\(terraform\/variables\/dev\/common\.tfvars:3\)$/m);
    expect(out.out).toMatch(/^stack api: staging +terraform\/variables\/staging\/common\.tfvars \(2 drift\)$/m);
    expect(out.out).toMatch(/In step: web\/prod\./);
    expect(out.out).toMatch(/5 of 6 environments drift/);
    expect(out.out).not.toContain('secret');
  });

  it('--stack narrows it, and --json gives each environment its stack', async () => {
    const dir = await temp.fixture('json', LAYOUTS['commonPlusStack']!);
    const out = await run(['check', '--stack', 'web', '--json'], { cwd: dir });
    expect(out.code).toBe(2);
    const doc = JSON.parse(out.out);
    expect(doc.environments.map((e: { stack: string; environment: string }) => `${e.stack}/${e.environment}`)).toEqual(['web/dev', 'web/prod', 'web/staging']);
    expect(doc.environments[0].drift[0]).toMatchObject({
      name: 'image_tag',
      shared: { value: 'w1', origin: { layer: 'default' } },
      value: { value: 'v2', origin: { name: 'common', file: 'terraform/variables/dev/common.tfvars', line: 3 } },
    });
    const one = await run(['check', 'prod', '--stack', 'web'], { cwd: dir });
    expect(one).toMatchObject({ code: 0 });
    expect(one.out).toMatch(/web\/prod is in step/);
  });

  it('names the stack in annotations (with the promote command for it) and in markdown', async () => {
    const dir = await temp.fixture('github', LAYOUTS['commonPlusStack']!);
    const gh = await run(['check', '--format', 'github', '--stack', 'api'], { cwd: dir });
    expect(gh.out).toContain('::warning file=terraform/variables/prod/api.tfvars,line=1,title=Drift in api/prod%3A replicas::api/prod sets replicas = 5;');
    expect(gh.out).toContain('`tfsync promote @shared prod --stack api` puts the shared value back');
    const md = await run(['check', '--format', 'markdown'], { cwd: dir });
    expect(md.out).toContain('#### Stack `api`: `dev` (3 drift)');
    expect(md.out).toContain('#### Stack `web`: `staging` (2 drift)');
    expect(md.out).toContain('In step: `web/prod`.');
  });

  it('an encrypted layer leaves its variables unknown: not missing, not drift; a shared layer is the reference', async () => {
    const dir = await temp.fixture('crypt', LAYOUTS['appSegments']!);
    const out = await run(['check', '--json'], { cwd: dir });
    const doc = JSON.parse(out.out);
    expect(out.err).toMatch(/secrets\.tfvars is encrypted/);
    // image_tag is required (no default) and set in both: in step; api_key is not syncable.
    expect(doc.environments.every((e: { missing: unknown[] }) => e.missing.length === 0)).toBe(true);
    const shared = await temp.fixture('shared', LAYOUTS['envTwice']!);
    const check = JSON.parse((await run(['check', '--json'], { cwd: shared })).out);
    const prod = check.environments.find((e: { environment: string }) => e.environment === 'prod');
    expect(prod.drift).toEqual([expect.objectContaining({ name: 'image_tag', shared: expect.objectContaining({ value: 'v7' }), value: expect.objectContaining({ value: 'v6' }) })]);
    const devEnv = check.environments.find((e: { environment: string }) => e.environment === 'dev');
    // dev inherits image_tag from the shared file and sets replicas = 2 over the default 1.
    expect(devEnv.drift.map((d: { name: string }) => d.name)).toEqual(['replicas']);
  });

  it('a --stack without "stacks" is an error', async () => {
    const dir = await temp.fixture('no-stacks', LAYOUTS['envTwice']!);
    const out = await run(['check', '--stack', 'x'], { cwd: dir });
    expect(out.code).toBe(1);
    expect(out.err).toMatch(/--stack needs "stacks"/);
  });
});

describe('validate across stacks', () => {
  it('reports each stack\'s findings with the stack, a common file once, and every syntax error of every layer file', async () => {
    const dir = await temp.fixture('validate', {
      ...LAYOUTS['commonPlusStack']!,
      'terraform/variables/prod/common.tfvars': 'region = "us-east-1"\nimage_tag = \n',
      'terraform/variables/dev/web.tfvars': 'domain = "dev.example.com"\nreplicas = [1,\n',
    });
    const out = await run(['validate'], { cwd: dir });
    expect(out.code).toBe(1);
    // The common file is read by both stacks: its error is reported once.
    expect(out.out.match(/terraform\/variables\/prod\/common\.tfvars:2:\d+: error:/g)).toHaveLength(1);
    expect(out.out).toMatch(/terraform\/variables\/dev\/web\.tfvars:\d+:\d+: error:/);
    expect(out.out).toMatch(/required variable "domain" has no value in staging .*\(stack web\)/);
    expect(out.out).toMatch(/required variable "db_password" has no value in staging .*\(stack api\)/);
    const json = JSON.parse((await run(['validate', '--json'], { cwd: dir })).out);
    expect(json.files).toContain('terraform/variables/prod/common.tfvars');
    expect(json.findings.find((f: { code: string; message: string }) => f.code === 'required' && f.message.includes('"domain" has no value in staging'))).toMatchObject({ stacks: ['web'] });
    // A syncable pattern that matches a variable in one stack is used.
    expect(json.findings.filter((f: { code: string }) => f.code === 'unused-pattern')).toEqual([]);
  });

  it('--stack narrows it; a pattern no stack uses is one finding about tfsync.json', async () => {
    const files = LAYOUTS['commonPlusStack']!;
    const config = JSON.parse(files['tfsync.json']!);
    const dir = await temp.fixture('validate-stack', { ...files, 'tfsync.json': JSON.stringify({ ...config, syncable: [...config.syncable, 'nothing_*'] }, null, 2) });
    const json = JSON.parse((await run(['validate', '--json', '--stack', 'api'], { cwd: dir })).out);
    expect(json.files.some((f: string) => f.includes('web'))).toBe(false);
    // Over api alone, "domain" (web's) is unused too.
    const unused = json.findings.filter((f: { code: string }) => f.code === 'unused-pattern');
    expect(unused.map((f: { message: string }) => f.message)).toEqual(['syncable pattern "nothing_*" matches no variable', 'environmentSpecific pattern "domain" matches no variable']);
    const all = JSON.parse((await run(['validate', '--json'], { cwd: dir })).out);
    expect(all.findings.filter((f: { code: string }) => f.code === 'unused-pattern')).toHaveLength(1);
    expect(unused[0].stacks).toBeUndefined();
    const gh = await run(['validate', '--format', 'github'], { cwd: dir });
    expect(gh.out).toMatch(/::error file=terraform\/variables\/prod\/web\.tfvars,line=1,title=tfsync validate%3A required \(stack web\)::/);
  });

  it('is clean on layouts whose files are all valid, and says once that an encrypted file is unknown', async () => {
    for (const name of ['envTwice', 'appSegments', 'rootAndJson']) {
      const dir = await temp.fixture(`valid-${name}`, LAYOUTS[name]!);
      const out = await run(['validate'], { cwd: dir });
      expect(out, name).toMatchObject({ code: 0 });
      expect(out.out).toMatch(/^All \d+ files valid\.$/m);
      if (name === 'appSegments') expect(out.err.match(/is encrypted/g)).toHaveLength(1);
    }
  });
});

describe('check and validate of values inside objects', () => {
  it('Terragrunt inputs: computed values are never drift; validate reads the blocks beside inputs without complaint', async () => {
    const dir = await temp.fixture('tg', LAYOUTS['terragrunt']!);
    const doc = JSON.parse((await run(['check', '--json'], { cwd: dir })).out);
    const prod = doc.environments.find((e: { stack: string; environment: string }) => e.stack === 'app' && e.environment === 'prod');
    // log_level = upper("error") is an expression: not compared with common.hcl's "warn".
    expect(prod.drift.map((d: { name: string }) => d.name)).toEqual(['image_tag', 'replicas']);
    const validate = await run(['validate', '--strict'], { cwd: dir });
    expect(validate).toMatchObject({ code: 0 });
    expect(validate.out).toMatch(/All 8 files valid/);
  });

  it('a map of environments: its fields are no undeclared variables, and the map is no required one', async () => {
    const dir = await temp.fixture('ws', LAYOUTS['workspaces']!);
    const validate = await run(['validate', '--strict'], { cwd: dir });
    expect(validate).toMatchObject({ code: 0 });
    const check = JSON.parse((await run(['check', '--json'], { cwd: dir })).out);
    expect(check.environments.find((e: { environment: string }) => e.environment === 'production').drift.find((d: { name: string }) => d.name === 'min_size'))
      .toMatchObject({ value: { value: 4, origin: { file: 'overrides.tfvars', line: 5 } } });
  });
});
