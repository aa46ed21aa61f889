/**
 * promote, backport and restore across layers: planned on effective values, written where the
 * target's value comes from (or into promoteTo), never into a file other environments read unless
 * it is the target by name, inside Terragrunt inputs and map entries, and undone by restore.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS, type Files } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layer-promote-');
const env = { SOURCE_DATE_EPOCH: '1767225600' };
const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');
const syncableDiff = async (dir: string, args: string[]) => {
  const doc = JSON.parse((await run(['diff', ...args, '--json', '--all'], { cwd: dir })).out);
  return doc.variables.filter((v: { class: string; status: string }) => v.class === 'syncable' && v.status !== 'same').map((v: { name: string }) => v.name);
};

describe('promote across layers', () => {
  it('updates the target\'s own file where its value comes from, creates the rest in promoteTo, and leaves files other environments read alone', async () => {
    const dir = await temp.fixture('stack', LAYOUTS['commonPlusStack']!);
    const common = await read(dir, 'terraform/variables/prod/common.tfvars');
    const out = await run(['promote', 'dev', 'prod', '--stack', 'api', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(out.out).toContain('~ update replicas: 5 → 2');
    expect(out.out).toContain('+ create image_tag: "v3"');
    // Written into api.tfvars (the stack layer, promoteTo's default), not into common.tfvars, which web reads too.
    expect(await read(dir, 'terraform/variables/prod/common.tfvars')).toBe(common);
    const api = await read(dir, 'terraform/variables/prod/api.tfvars');
    expect(api).toMatch(/^replicas = 2\ndb_password = "prod-secret"\n/);
    expect(api).toContain('image_tag = "v3"\nfeature_flags = { beta = true }\n');
    expect(out.out + out.err).not.toContain('prod-secret');
    expect(await syncableDiff(dir, ['dev', 'prod', '--stack', 'api'])).toEqual([]);
    const again = await run(['promote', 'dev', 'prod', '--stack', 'api', '--yes'], { cwd: dir, env });
    expect(again.err).toContain('nothing to change');
  });

  it('creates the target\'s own layer file when it has none yet, and restore deletes it again', async () => {
    const dir = await temp.fixture('create', LAYOUTS['commonPlusStack']!);
    const out = await run(['promote', 'staging', 'prod', '--stack', 'web', '--yes'], { cwd: dir, env });
    expect(out.err).toContain('created terraform/variables/prod/web.tfvars');
    expect(await read(dir, 'terraform/variables/prod/web.tfvars')).toBe(
      '# Synced features of this environment, written by `tfsync promote` (see "promoteTo" in tfsync.json).\n# Last synced: 2026-01-01 from: staging\n\nimage_tag = "v3"\nreplicas = 2\n',
    );
    const restored = await run(['restore', 'prod', '--stack', 'web', '--yes'], { cwd: dir });
    expect(restored).toMatchObject({ code: 0 });
    expect((await readdir(join(dir, 'terraform/variables/prod'))).sort()).toEqual(['api.tfvars', 'common.tfvars', 'web.tfvars.bak']);
    const ambiguous = await run(['restore', 'prod', '--yes'], { cwd: dir });
    expect(ambiguous.err).toMatch(/2 stacks have environment "prod" \(api, web\): name one with --stack/);
  });

  it('a value the target already has, from whichever layer, is a noop: nothing is written', async () => {
    const files: Files = { ...LAYOUTS['envTwice']!, 'environments/prod/prod.tfvars': 'region = "us-east-1"\nreplicas = 2\n' };
    const dir = await temp.fixture('noop', files);
    // dev and prod both inherit image_tag = "v7" from the shared file and both set replicas = 2.
    const out = await run(['promote', 'dev', 'prod', '--yes', '--json'], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(out.err).toContain('nothing to change');
    const plan = JSON.parse(out.out);
    expect(plan.files.flatMap((f: { changes: Array<{ name: string; op: string }> }) => f.changes.map((c) => `${c.name}:${c.op}`)).sort()).toEqual(['image_tag:noop', 'replicas:noop']);
    expect(await readdir(join(dir, 'environments/prod'))).toEqual(['prod.tfvars']);
  });

  it('writes into a shared layer only when it is the target by name, and keeps an override SRC does not have', async () => {
    const dir = await temp.fixture('shared', LAYOUTS['envTwice']!);
    const shared = await read(dir, 'environments/shared.tfvars');
    const toDev = await run(['backport', 'prod', 'dev', '--yes'], { cwd: dir, env });
    expect(toDev.code).toBe(0);
    expect(toDev.out).toContain('! kept: dev overrides replicas = 2, prod uses the default');
    expect(await read(dir, 'environments/shared.tfvars')).toBe(shared);
    expect(await read(dir, 'environments/dev/dev.tfvars')).toContain('image_tag = "v6"\n');
    const named = await run(['promote', 'prod', '@shared', '--yes'], { cwd: dir, env });
    expect(named.code).toBe(0);
    expect(await read(dir, 'environments/shared.tfvars')).toBe('image_tag = "v6"\nregion = "nowhere" # overridden everywhere\n');
    expect((await run(['restore', '@shared', '--yes'], { cwd: dir })).code).toBe(0);
    expect(await read(dir, 'environments/shared.tfvars')).toBe(shared);
  });

  it('skips a variable that a layer other environments read sets over the target\'s own ones', async () => {
    const base = LAYOUTS['commonPlusStack']!;
    const config = JSON.parse(base['tfsync.json']!);
    const files: Files = {
      ...base,
      // The common layer (read by every stack of an environment) now comes last: it wins.
      'tfsync.json': JSON.stringify({ ...config, layers: [...config.layers].reverse() }),
      'terraform/variables/prod/common.tfvars': 'region = "us-east-1"\nimage_tag = "v0"\n',
    };
    const dir = await temp.fixture('blocked', files);
    const out = await run(['promote', 'dev', 'prod', '--stack', 'api', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(out.err).toMatch(/image_tag is left alone: terraform\/variables\/prod\/common\.tfvars \(layer "common", read by other environments too\) sets it over prod's own layers/);
    expect(await read(dir, 'terraform/variables/prod/common.tfvars')).toBe('region = "us-east-1"\nimage_tag = "v0"\n');
    expect(await read(dir, 'terraform/variables/prod/api.tfvars')).not.toContain('image_tag');
  });

  it('Terragrunt: edits inside inputs, keeping every block, comment and computed value; a computed source is never copied', async () => {
    const dir = await temp.fixture('terragrunt', LAYOUTS['terragrunt']!);
    const before = await read(dir, 'accounts/app-prod/app/terragrunt.hcl');
    const out = await run(['promote', 'dev', 'prod', '--stack', 'app', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    const after = await read(dir, 'accounts/app-prod/app/terragrunt.hcl');
    expect(after).toBe(before.replace('image_tag = "v1.3.0"', 'image_tag = "v1.4.0"').replace('replicas  = 6', 'replicas  = 2').replace('log_level = upper("error")', 'log_level = "warn"'));
    const vpc = await run(['promote', 'dev', 'prod', '--stack', 'vpc', '--yes'], { cwd: dir, env });
    expect(vpc.code).toBe(0);
    expect(await read(dir, 'accounts/app-prod/vpc/terragrunt.hcl')).toBe('terraform {\n  source = "../../../modules//vpc"\n}\n\ninputs = {\n  cidr = "10.1.0.0/16"\n  flow_logs = true\n}\n');
    // Back the other way, prod's log_level is now a constant; make it an expression again to see it skipped.
    const tg = join(dir, 'accounts/app-prod/app/terragrunt.hcl');
    await writeFile(tg, (await readFile(tg, 'utf8')).replace('log_level = "warn"', 'log_level = lower("WARN")'));
    const back = await run(['backport', 'prod', 'dev', '--stack', 'app', '--dry-run'], { cwd: dir, env });
    expect(back.err).toMatch(/log_level is left alone: prod sets it to an expression tfsync does not evaluate/);
  });

  it('a map of environments: edits the entry\'s fields in .tfvars.json and .tfvars, creating the entry where it lacks one', async () => {
    const dir = await temp.fixture('workspaces', LAYOUTS['workspaces']!);
    const out = await run(['promote', 'development', 'staging', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    const settings = JSON.parse(await read(dir, 'settings.tfvars.json'));
    expect(settings.environments.staging).toEqual({ instance_type: 't3.medium', image: 'app:2', min_size: 1 });
    expect(settings.environments.production).toEqual(JSON.parse(LAYOUTS['workspaces']!['settings.tfvars.json']!).environments.production);
    expect(await read(dir, 'overrides.tfvars')).toBe(
      '# Hand-kept overrides per environment\nenvironments = {\n  production = {\n    domain = "example.com" # the real one\n    min_size = 4\n  }\n  development = {}\n  staging = {\n    features = { search = true }\n  }\n}\n',
    );
    expect(await syncableDiff(dir, ['development', 'staging'])).toEqual([]);
    expect((await run(['promote', 'development', 'staging', '--yes'], { cwd: dir, env })).err).toContain('nothing to change');
  });
});
