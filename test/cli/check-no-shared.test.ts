/**
 * `tfsync check` before the shared file exists (right after `tfsync init`): the environments are
 * compared with each other. Those that agree are in step (exit 0) and the message says how to
 * create the shared layer; those that differ on a syncable variable still drift (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-check-no-shared-');

const CONFIG = JSON.stringify({ variables: 'variables.tf', shared: 'envs/shared.tfvars', environments: 'envs/*.tfvars', syncable: ['image', 'workers', 'beta', 'db_pass'], environmentSpecific: ['region'] });
const DECLARATIONS = 'variable "image" {\n  default = "v1"\n}\nvariable "workers" {\n  default = 2\n}\nvariable "beta" {\n  default = false\n}\nvariable "db_pass" {\n  sensitive = true\n  default = "x"\n}\nvariable "region" {}\n';

/** A repository with CONFIG, DECLARATIONS and these environment files (envs/NAME.tfvars), and no shared file. */
const repo = (name: string, envs: Record<string, string>) =>
  temp.fixture(name, { 'tfsync.json': CONFIG, 'variables.tf': DECLARATIONS, ...Object.fromEntries(Object.entries(envs).map(([env, text]) => [`envs/${env}.tfvars`, text])) });

describe('check with no shared file', () => {
  it('environments that agree (each setting a non-default value) are in step, and the message says how to create the shared layer', async () => {
    const dir = await repo('agree', {
      dev: 'image = "v2"\nworkers = 4\nregion = "eu"\n',
      prod: 'image = "v2"\nworkers = 4\nregion = "us"\n',
      // Not setting a variable is agreeing on its default: `beta` is the default everywhere.
    });
    const { code, out, err } = await run(['check'], { cwd: dir });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).toContain('All 2 environments are in step: they agree on every syncable variable.');
    expect(out).toContain('No shared file yet (envs/shared.tfvars): the environments were compared with each other. Create it with `tfsync promote ENV @shared`');
    const json = JSON.parse((await run(['check', '--json'], { cwd: dir })).out);
    expect(json).toMatchObject({ inStep: true, reference: 'environments', sharedFile: { file: 'envs/shared.tfvars', exists: false } });
  });

  it('environments that disagree on a syncable variable drift from the value most of them have; secrets stay masked', async () => {
    const dir = await repo('disagree', {
      dev: 'image = "v3"\nworkers = 4\nbeta = true\ndb_pass = "hunter2-dev"\nregion = "eu"\n',
      staging: 'image = "v2"\nworkers = 4\ndb_pass = "hunter2-stg"\nregion = "eu"\n',
      prod: 'image = "v2"\nworkers = 4\nregion = "us"\n',
    });
    const { code, out } = await run(['check'], { cwd: dir });
    expect(code).toBe(2);
    expect(out).not.toContain('hunter2');
    // image: v2 in two environments, v3 in dev; beta: the default (false) in two, true in dev.
    expect(out).toMatch(/^dev {2}envs\/dev\.tfvars \(2 drift\)$/m);
    expect(out).toMatch(/^ {2}image +most: "v2" → dev: "v3" +\(envs\/dev\.tfvars:1\)$/m);
    expect(out).toMatch(/^ {2}beta +most: false \(default\) → dev: true/m);
    // db_pass has three values (two set, one default): no majority, so the first environment's is
    // the reference, and the other two drift from it.
    expect(out).toMatch(/^staging {2}envs\/staging\.tfvars \(1 drift\)\n {2}db_pass +most: \(sensitive\) → staging: \(sensitive\)/m);
    expect(out).toMatch(/^prod {2}envs\/prod\.tfvars \(1 drift\)\n {2}db_pass +most: \(sensitive\) → prod: \(sensitive\) \(default\)/m);
    expect(out).not.toMatch(/^ {2}(region|workers)/m);
    expect(out).toContain('3 of 3 environments drift: 4 variables.');
    expect(out).toContain('No shared file yet');
    const json = JSON.parse((await run(['check', '--json'], { cwd: dir })).out);
    expect(json.reference).toBe('environments');
    expect(json.environments.find((e: { environment: string }) => e.environment === 'prod').drift.map((d: { name: string }) => d.name)).toEqual(['db_pass']);
    expect(JSON.stringify(json)).not.toContain('hunter2');
  });

  it('annotations, the markdown table and --report pr say there is no shared file rather than quoting @shared', async () => {
    const dir = await repo('formats', {
      dev: 'image = "v3"\n',
      staging: 'image = "v2"\n',
      prod: 'image = "v2"\n',
    });
    const github = await run(['check', '--format', 'github'], { cwd: dir });
    expect(github.code).toBe(2);
    expect(github.out).toContain('::warning file=envs/dev.tfvars,line=1,title=Drift in dev%3A image::dev has image = "v3"; most environments have "v2" (envs/prod.tfvars:1). There is no shared file yet');
    expect(github.out).not.toContain('@shared has');
    const markdown = await run(['check', '--format', 'markdown'], { cwd: dir });
    expect(markdown.out).toContain('| Variable | most environments | `dev` | Where |');
    expect(markdown.out).toContain('No shared file yet (envs/shared.tfvars)');
    const pr = await run(['check', '--report', 'pr'], { cwd: dir, env: { GITHUB_TOKEN: 'x', GITHUB_REPOSITORY: 'o/r' } });
    expect(pr.code).toBe(1);
    expect(pr.err).toContain('--report pr promotes @shared into the drifting environments, and there is no shared file yet (envs/shared.tfvars)');
    expect(pr.err).toContain('create it first with `tfsync promote ENV @shared`, or use --report issue');
  });

  it('right after `tfsync init`, environments that agree are in step', async () => {
    const dir = await temp.fixture('after-init', {
      'variables.tf': 'variable "app_image" {\n  default = "app:1"\n}\nvariable "region" {}\n',
      'envs/dev.tfvars': 'app_image = "app:2"\nregion = "eu"\n',
      'envs/prod.tfvars': 'app_image = "app:2"\nregion = "us"\n',
    });
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    const { code, out } = await run(['check'], { cwd: dir });
    expect(out).toContain('All 2 environments are in step');
    expect(out).toContain('`tfsync promote ENV @shared`');
    expect(code).toBe(0);
  });

  it('once the shared file exists, environments are measured against it again', async () => {
    const dir = await repo('shared', {
      dev: 'image = "v2"\n',
      prod: 'image = "v2"\n',
    });
    expect((await run(['check'], { cwd: dir })).code).toBe(0);
    expect((await run(['promote', 'dev', '@shared', '--yes'], { cwd: dir })).code).toBe(0);
    const after = await run(['check', '--json'], { cwd: dir });
    expect(JSON.parse(after.out)).toMatchObject({ inStep: true, reference: 'shared', sharedFile: { exists: true } });
  });
});
