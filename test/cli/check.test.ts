/**
 * `tfsync check` end to end through runCli: on the shipped demo (the repository root) and on small
 * repositories made in temporary folders.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without type declarations, so that it runs without a build.
import { generateLayout } from '../../bench/generate.mjs';
import { renderCheckJson } from '../../src/cli/render/check-json.js';
import { renderCheckMarkdown } from '../../src/cli/render/check-markdown.js';
import { renderCheckText } from '../../src/cli/render/check-text.js';
import { nodeFileSystem, type FileSystem } from '../../src/io/file-system.js';
import { loadRepository } from '../../src/io/load-repository.js';
import { createColors } from '../../src/cli/colors.js';
import { checkEnvironments, type CheckResult } from '../../src/sync/check.js';
import { SecretAudit } from '../../src/cli/check-secrets.js';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-check-');
const { fixture } = temp;

const SECRET = 'hunter2-never-print-me';

/** A repository whose drift includes a sensitive value, a value that needs escaping, and a missing variable. */
function secretRepo(name: string) {
  return fixture(name, {
    'tfsync.json': JSON.stringify({ variables: 'variables.tf', syncable: ['image', 'api_token', 'motd', 'license'], environmentSpecific: ['domain'] }),
    'variables.tf': 'variable "image" {\n  default = "v1"\n}\n\nvariable "api_token" {\n  sensitive = true\n  default   = "x"\n}\n\nvariable "motd" {\n  default = ""\n}\n\nvariable "license" {}\n',
    'environments/shared-features.tfvars': 'image = "v2"\n',
    'environments/dev/terraform.tfvars': `domain = "dev"\nimage = "v2"\napi_token = "${SECRET}"\nmotd = "100%, ok\\nreally: yes"\nlicense = "MIT"\n`,
    'environments/prod/terraform.tfvars': 'domain = "prod"\n',
  });
}

describe('tfsync check on the demo', () => {
  it('prints each drifting environment and a summary, and exits 2', async () => {
    const { code, out, err } = await run(['check']);
    expect(code).toBe(2);
    // The demo's placeholders for github_client_secret are written in tracked files: warnings, never values.
    expect(err.split('\n').filter(Boolean)).toEqual(['dev', 'englacial', 'prod'].map((env) => expect.stringMatching(new RegExp(`^tfsync: warning: environments/${env}/terraform\\.tfvars:\\d+: github_client_secret is sensitive`))));
    expect(err).not.toContain('fake-');
    expect(out).toMatch(/^dev {2}environments\/dev\/terraform\.tfvars \(4 drift\)\n/);
    expect(out).toContain('  dask_cluster_max_cores          shared: 40 → englacial: 200  (environments/englacial/terraform.tfvars:81)\n');
    expect(out).toContain('  singleuser_image_tag      shared: "2025.01.10" → dev: "2024.11.28"  (environments/dev/terraform.tfvars:54)\n');
    expect(out).toContain('In step: prod.\n');
    expect(out).toContain('2 of 3 environments drift: 8 variables.\n');
  });

  it('exits 0 for an environment in step', async () => {
    const { code, out } = await run(['check', 'prod']);
    expect(code).toBe(0);
    expect(out).toBe('prod is in step with @shared.\n');
  });

  it('writes the JSON shape: inStep, and per environment its drift and missing variables', async () => {
    const { code, out, err } = await run(['check', '--json']);
    expect(code).toBe(2);
    expect(err).not.toContain('fake-');
    const doc = JSON.parse(out);
    expect(doc.inStep).toBe(false);
    expect(doc.environments.map((e: { environment: string }) => e.environment)).toEqual(['dev', 'englacial', 'prod']);
    expect(doc.environments[2]).toEqual({ environment: 'prod', file: 'environments/prod/terraform.tfvars', drift: [], missing: [] });
    expect(doc.environments[1].drift[0]).toEqual({
      name: 'dask_cluster_max_cores',
      sensitive: false,
      shared: { value: 40, origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 17 } },
      value: { value: 200, origin: { layer: 'environment', file: 'environments/englacial/terraform.tfvars', line: 81 } },
    });
  });

  it('writes markdown tables', async () => {
    const { code, out } = await run(['check', '--format', 'markdown']);
    expect(code).toBe(2);
    expect(out).toContain('#### `englacial` (4 drift)');
    expect(out).toContain('| `kernel_cull_timeout` | `1200` | `1800` | `environments/englacial/terraform.tfvars:90` |');
  });

  it('exits 1 on an unknown environment, naming the known ones', async () => {
    const { code, out, err } = await run(['check', 'prdo']);
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('hint: did you mean "prod"?');
  });
});

describe('tfsync check --format github', () => {
  it('is the default on GitHub Actions: a warning per drifting attribute at its file and line', async () => {
    const { code, out } = await run(['check', 'englacial'], { env: { GITHUB_ACTIONS: 'true' } });
    expect(code).toBe(2);
    const annotations = out.split('\n').filter((line) => line.startsWith('::'));
    // 4 drifting attributes, then the plain-text github_client_secret of englacial's file.
    expect(annotations).toHaveLength(5);
    expect(annotations[4]).toMatch(/^::warning file=environments\/englacial\/terraform\.tfvars,line=\d+,title=Sensitive value in plain text%3A github_client_secret::/);
    expect(annotations[0]).toBe(
      '::warning file=environments/englacial/terraform.tfvars,line=81,title=Drift in englacial%3A dask_cluster_max_cores::' +
        'englacial sets dask_cluster_max_cores = 200; @shared has 40 (environments/shared-features.tfvars:17). ' +
        '`tfsync promote @shared englacial` puts the shared value back; `tfsync promote englacial @shared` shares this one.',
    );
    expect(out).toContain('1 of 1 environment drifts: 4 variables.\n');
  });

  it('--json beats the GitHub default; GITHUB_ACTIONS other than "true" changes nothing', async () => {
    expect(JSON.parse((await run(['check', '--json'], { env: { GITHUB_ACTIONS: 'true' } })).out).inStep).toBe(false);
    expect((await run(['check'], { env: { GITHUB_ACTIONS: 'false' } })).out).not.toContain('::warning');
  });

  it('appends a markdown summary to $GITHUB_STEP_SUMMARY, keeping what was there', async () => {
    const summary = join(temp.dir, 'summary.md');
    await writeFile(summary, '## earlier step\n');
    const { code } = await run(['check', '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(code).toBe(2);
    const text = await readFile(summary, 'utf8');
    expect(text.startsWith('## earlier step\n### `tfsync check`\n')).toBe(true);
    expect(text).toContain('**2 of 3 environments drift: 8 variables.**');
    expect(text).toContain('| `singleuser_image_tag` | `"2025.01.10"` | `"2025.01.24"` | `environments/englacial/terraform.tfvars:73` |');
  });

  it('warns, and still reports, when the summary cannot be written', async () => {
    const { code, out, err } = await run(['check'], { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(temp.dir, 'no-such-dir', 'summary.md') } });
    expect(code).toBe(2);
    expect(out).toContain('::warning ');
    expect(err).toContain('tfsync: warning: cannot append to the job summary');
  });

  it('puts paths relative to GITHUB_WORKSPACE when run in a subfolder', async () => {
    const dir = await secretRepo('workspace/infra');
    const { out } = await run(['check'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: join(temp.dir, 'workspace') } });
    expect(out).toContain('::warning file=infra/environments/dev/terraform.tfvars,line=4,');
  });

  it('marks a missing required variable as an error at its declaration, escapes messages, masks secrets', async () => {
    const dir = await secretRepo('github');
    const summary = join(dir, 'summary.md');
    const { code, out, err } = await run(['check'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(code).toBe(2);
    const lines = out.split('\n');
    expect(lines[0]).toBe(
      '::error file=variables.tf,line=14,title=Missing in prod%3A license::prod has no value for license: it is declared without a default, and neither environments/prod/terraform.tfvars nor the shared file sets it.',
    );
    // The newline and % of the value are escaped, so the value cannot end the command early.
    expect(out).toContain('dev sets motd = "100%25, ok\\nreally: yes"; @shared has "" (default, variables.tf:10).');
    expect(out).toContain('dev sets api_token = (sensitive); @shared has (sensitive) (default, variables.tf:5).');
    const everything = out + err + (await readFile(summary, 'utf8'));
    expect(everything).not.toContain(SECRET);
  });
});

describe('tfsync check on small repositories', () => {
  it('never prints a sensitive value, in any format', async () => {
    const dir = await secretRepo('secret');
    for (const argv of [['check'], ['check', '--json'], ['check', '--format', 'markdown'], ['check', '--format', 'github']]) {
      const { code, out, err } = await run(argv, { cwd: dir });
      expect(code).toBe(2);
      expect(out + err).not.toContain(SECRET);
      expect(out).toContain('(sensitive)');
    }
    expect((await run(['check', '--show-sensitive'], { cwd: dir })).out).toContain(SECRET);
  });

  it('lists missing variables in text and JSON', async () => {
    const dir = await secretRepo('missing');
    const { out } = await run(['check', 'prod'], { cwd: dir });
    expect(out).toContain('  license  (required, not set): neither prod nor the shared file sets it  (declared at variables.tf:14)\n');
    expect(out).toContain('1 of 1 environment is out of step: 1 required variable missing.\n');
    const doc = JSON.parse((await run(['check', 'prod', '--json'], { cwd: dir })).out);
    expect(doc.environments[0].missing).toEqual([{ name: 'license', declaration: { file: 'variables.tf', line: 14 } }]);
  });

  it('exits 0 when every environment is in step', async () => {
    const dir = await fixture('in-step', {
      'tfsync.json': JSON.stringify({ syncable: ['image'], environmentSpecific: ['domain'] }),
      'environments/shared-features.tfvars': 'image = "v2"\n',
      'environments/a/terraform.tfvars': 'image = "v2"\ndomain = "a"\n',
      'environments/b/terraform.tfvars': 'domain = "b"\n',
    });
    const { code, out, err } = await run(['check'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toBe('All 2 environments are in step with @shared.\n');
    expect(err).toContain('no variables file matches');
  });

  it('exits 1 on a classification conflict, a syntax error, or no environments', async () => {
    const conflict = await fixture('conflict', {
      'tfsync.json': JSON.stringify({ syncable: ['image*'], environmentSpecific: ['*_tag'] }),
      'environments/a/terraform.tfvars': 'image_tag = "v2"\n',
    });
    expect(await run(['check'], { cwd: conflict })).toMatchObject({ code: 1, out: '' });
    const broken = await fixture('broken', {
      'tfsync.json': JSON.stringify({ syncable: ['image'] }),
      'environments/a/terraform.tfvars': 'image = \n',
    });
    const syntax = await run(['check'], { cwd: broken });
    expect(syntax.code).toBe(1);
    expect(syntax.err).toContain('environments/a/terraform.tfvars:1:');
    const empty = await fixture('empty', { 'tfsync.json': JSON.stringify({ syncable: ['image'] }) });
    const none = await run(['check'], { cwd: empty });
    expect(none.code).toBe(1);
    expect(none.err).toContain('no environments to check');
  });
});

/**
 * check goes through the environments one at a time (read, parse, compare, drop). Its report must be
 * what checking the repository loaded whole gives (loadRepository + checkEnvironments, the way
 * check worked before), byte for byte, in every format.
 */
describe('tfsync check, one environment at a time', () => {
  it('reports exactly what checking the whole repository reports, on a generated 12-environment layout', async () => {
    const dir = join(temp.dir, 'generated');
    const layout: { environments: string[] } = generateLayout(dir, { environments: 12, variables: 120, seed: 7, driftShare: 0.2 });
    const { repo } = await loadRepository({ cwd: dir });
    // The secrets part (plain-text values) is the same audit over the whole repository.
    const audited = async (result: CheckResult) => {
      const audit = new SecretAudit();
      for (const env of result.environments) audit.add(repo, repo.environments.get(env.environment)!, env);
      return audit.finish(result, { root: dir, env: {}, strict: false });
    };
    const whole = await audited(checkEnvironments(repo));
    expect(whole.environments).toHaveLength(12);
    expect(whole.environments.filter((e) => e.drift.length > 0).length).toBeGreaterThan(5);

    const json = await run(['check', '--json'], { cwd: dir });
    expect(json.code).toBe(2);
    expect(json.out).toBe(renderCheckJson(whole, { showSensitive: false }));
    expect((await run(['check', '--format', 'markdown'], { cwd: dir })).out).toBe(renderCheckMarkdown(whole, { showSensitive: false }));
    expect((await run(['check'], { cwd: dir })).out).toBe(renderCheckText(whole, { colors: createColors(false), showSensitive: false }));

    const [first, second] = [layout.environments[3]!, layout.environments[1]!];
    const named = await run(['check', first, second, '--json'], { cwd: dir });
    expect(named.out).toBe(renderCheckJson(await audited(checkEnvironments(repo, [first, second])), { showSensitive: false }));
  });

  it('reads every environment once, and with names only those', async () => {
    const dir = await fixture('reads', {
      'tfsync.json': JSON.stringify({ syncable: ['image'] }),
      'environments/shared-features.tfvars': 'image = "v1"\n',
      'environments/a/terraform.tfvars': 'image = "v2"\n',
      'environments/b/terraform.tfvars': '',
      'environments/c/terraform.tfvars': 'image = "v1"\n',
    });
    const record = () => {
      const read: string[] = [];
      const fs: FileSystem = { ...nodeFileSystem, readFile: (path) => (read.push(path.slice(dir.length + 1)), nodeFileSystem.readFile(path)) };
      return { fs, read };
    };
    const all = record();
    expect((await run(['check'], { cwd: dir, fs: all.fs })).code).toBe(2);
    expect(all.read.filter((f) => f.endsWith('terraform.tfvars')).sort()).toEqual(['a', 'b', 'c'].map((e) => join('environments', e, 'terraform.tfvars')));
    const one = record();
    expect((await run(['check', 'c'], { cwd: dir, fs: one.fs })).code).toBe(0);
    expect(one.read.filter((f) => f.endsWith('terraform.tfvars'))).toEqual([join('environments', 'c', 'terraform.tfvars')]);
  });

  it('stops at a syntax error in any environment with file:line:col, before a conflict elsewhere, and prints nothing on stdout', async () => {
    const envs: Record<string, string> = {};
    for (let i = 0; i < 10; i++) envs[`environments/e${i}/terraform.tfvars`] = `image = "v${i}"\n`;
    const dir = await fixture('syntax-middle', {
      'tfsync.json': JSON.stringify({ syncable: ['image*'], environmentSpecific: ['*_tag'] }),
      ...envs,
      'environments/e2/terraform.tfvars': 'image_tag = "conflict"\n',
      'environments/e7/terraform.tfvars': 'image = "v7"\nworkers = [1,\n',
      'environments/e9/terraform.tfvars': 'image = (\n',
    });
    const { code, out, err } = await run(['check'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toMatch(new RegExp(`^${join('environments', 'e7', 'terraform.tfvars')}:\\d+:\\d+: `));
    expect(err).not.toContain('e9');
    expect(err).not.toContain('    at ');
  });

  it('masks a secret in the excerpt of a syntax error', async () => {
    const dir = await fixture('syntax-secret', {
      'tfsync.json': JSON.stringify({ syncable: ['image'], sensitive: ['*_token'] }),
      'environments/a/terraform.tfvars': 'image = "v1"\n',
      'environments/b/terraform.tfvars': `api_token = "${SECRET}\n`,
    });
    const { code, err } = await run(['check'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain(join('environments', 'b', 'terraform.tfvars'));
    expect(err).not.toContain(SECRET);
  });
});
