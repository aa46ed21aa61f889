/**
 * `tfsync validate` end to end through runCli: on the shipped demo (the repository root) and on
 * small repositories made in temporary folders; the GitHub annotation helpers; and, on the built
 * CLI, which heavy modules validate loads that other commands must not.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { annotation, escapeData, escapeProperty } from '../../src/cli/render/github.js';
import { officialValues } from '../../src/io/official-parser.js';
import { appendStepSummary } from '../../src/io/step-summary.js';
import { chunkOf, isBuilt, MAIN, run, tempFolder, tracedNode } from '../helpers/cli.js';

vi.mock('../../src/io/official-parser.js', async (importActual) => {
  const actual = await importActual<typeof import('../../src/io/official-parser.js')>();
  return { ...actual, officialValues: vi.fn(actual.officialValues) };
});

const DEMO_SECRETS = ['fake-englacial-client-secret-do-not-use', 'fake-prod-client-secret-do-not-use', 'fake-dev-client-secret-do-not-use'];

const temp = tempFolder('tfsync-validate-');
const { fixture } = temp;

const CONFIG = JSON.stringify({
  variables: 'variables.tf',
  shared: 'envs/shared.tfvars',
  environments: 'envs/*/terraform.tfvars',
  syncable: ['image_tag', 'workers'],
  environmentSpecific: ['domain', 'node_types', 'db_password'],
}, null, 2);

const VARIABLES = `variable "image_tag" {
  type    = string
  default = "v1"
}

variable "workers" {
  type    = number
  default = 2
}

variable "domain" {
  type = string
}

variable "node_types" {
  type    = list(string)
  default = []
}

variable "db_password" {
  type      = string
  sensitive = true
  default   = ""
}
`;

/** A repository with no problem at all. */
const CLEAN = {
  'tfsync.json': CONFIG,
  'variables.tf': VARIABLES,
  'envs/shared.tfvars': 'image_tag = "v2"\n',
  'envs/prod/terraform.tfvars': 'domain = "prod.example"\nworkers = 4\n',
  'envs/dev/terraform.tfvars': 'domain = "dev.example"\n',
};

describe('tfsync validate on the demo', () => {
  it('finds no error and exits 0, printing no secret', async () => {
    const { code, out, err } = await run(['validate']);
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out).not.toMatch(/: error: /);
    expect(out).toMatch(/\n(0 errors, \d+ warnings in 6 files|All 6 files valid\.)\n$/);
    for (const secret of DEMO_SECRETS) expect(out).not.toContain(secret);
  });

  it('reads every native file with the official parser too', async () => {
    vi.mocked(officialValues).mockClear();
    await run(['validate', '--json']);
    const files = vi.mocked(officialValues).mock.calls.map(([file]) => file).sort();
    expect(files).toEqual([
      join('environments', 'dev', 'terraform.tfvars'),
      join('environments', 'englacial', 'terraform.tfvars'),
      join('environments', 'prod', 'terraform.tfvars'),
      join('environments', 'shared-features.tfvars'),
      join('environments', 'variables.tf'),
    ]);
  });

  it('writes one JSON document', async () => {
    const { code, out, err } = await run(['validate', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const doc = JSON.parse(out);
    expect(doc).toMatchObject({ valid: true, errors: 0, notChecked: 0 });
    expect(doc.files).toHaveLength(6);
    // Values equal to their defaults are notes, one per file: the demo passes --strict.
    expect(doc.warnings).toBe(0);
    expect(doc.findings.map((f: { file: string; severity: string }) => `${f.severity} ${f.file}`)).toEqual([
      `note ${join('environments', 'dev', 'terraform.tfvars')}`,
      `note ${join('environments', 'englacial', 'terraform.tfvars')}`,
      `note ${join('environments', 'prod', 'terraform.tfvars')}`,
    ]);
  });

  it('passes --strict, the CI gate the README recommends', async () => {
    const { code, out } = await run(['validate', '--strict']);
    expect(code).toBe(0);
    expect(out).toMatch(/note: 8 variables are set to their default values: owner_email, enable_nat_gateway, single_nat_gateway, system_node_min_size, system_node_max_size and 3 more\n/);
    expect(out).toMatch(/\nAll 6 files valid\.\n$/);
  });

  it('lists every value equal to its default with --verbose', async () => {
    const { code, out } = await run(['validate', '--verbose']);
    expect(code).toBe(0);
    expect(out.match(/note: "[a-z0-9_]+" is set to its default value/g)).toHaveLength(34);
  });
});

describe('tfsync validate on problem repositories', () => {
  it('says so when everything is valid', async () => {
    const dir = await fixture('clean', CLEAN);
    expect(await run(['validate'], { cwd: dir })).toEqual({ code: 0, out: 'All 5 files valid.\n', err: '' });
  });

  it('reports each problem with file:line:col and exits 1', async () => {
    const dir = await fixture('problems', {
      ...CLEAN,
      'tfsync.json': JSON.stringify({ ...JSON.parse(CONFIG), environmentSpecific: ['domain', 'node_types', 'db_password', 'work*'], syncable: ['image_tag', 'work*'] }, null, 2),
      'envs/shared.tfvars': 'image_tag = "v2"\ndomain = "everywhere"\n',
      'envs/prod/terraform.tfvars': 'domain = "prod.example"\nimage_tagg = "v3"\nnode_types = ["m5", ["m6"]]\n',
      'envs/dev/terraform.tfvars': 'workers = 3\n',
      'envs/test/terraform.tfvars': 'domain = "test.example"\nworkers = = 3\n',
    });
    const { code, out, err } = await run(['validate'], { cwd: dir });
    expect(err).toBe('');
    expect(code).toBe(1);
    const lines = out.split('\n');
    for (const expected of [
      'tfsync.json:7:5: error: variable "workers" matches syncable "work*" and environmentSpecific "work*"',
      'envs/shared.tfvars:2:1: error: "domain" is environment-specific but set in the shared file, so Terraform applies it to every environment',
      'envs/dev/terraform.tfvars:1: error: required variable "domain" has no value in dev (variables.tf:11 declares it without a default)',
      'envs/prod/terraform.tfvars:2:1: warning: "image_tagg" is set but not declared in any variables file',
      '  hint: did you mean "image_tag"?',
      'envs/prod/terraform.tfvars:3:21: error: node_types[1] must be a string',
      'envs/test/terraform.tfvars:2:11: error: Expected the start of an expression, but found "=".',
    ]) {
      expect(lines).toContain(expected);
    }
    expect(lines.at(-2)).toMatch(/^\d+ errors, \d+ warnings? in 6 files$/);
  });

  it('exits 0 with only warnings, and 1 with --strict; a value equal to its default is a note', async () => {
    const dir = await fixture('warnings', { ...CLEAN, 'envs/prod/terraform.tfvars': 'domain = "prod.example"\nworkers = 2\nimage_tagg = "v1"\n' });
    const lenient = await run(['validate'], { cwd: dir });
    expect(lenient.code).toBe(0);
    expect(lenient.out).toBe(
      'envs/prod/terraform.tfvars:2:1: note: "workers" is set to its default value (variables.tf:6)\n' +
        '  hint: remove the line to follow the default\n' +
        'envs/prod/terraform.tfvars:3:1: warning: "image_tagg" is set but not declared in any variables file\n' +
        '  hint: did you mean "image_tag"?\n\n0 errors, 1 warning in 5 files\n',
    );
    expect((await run(['validate', '--strict'], { cwd: dir })).code).toBe(1);
    const strictJson = await run(['validate', '--strict', '--json'], { cwd: dir });
    expect(strictJson.code).toBe(1);
    expect(JSON.parse(strictJson.out)).toMatchObject({ valid: false, errors: 0, warnings: 1 });
  });

  it('reports an invalid tfsync.json as findings', async () => {
    const dir = await fixture('bad-config', { ...CLEAN, 'tfsync.json': '{\n  "syncable": "image_tag"\n}\n' });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toMatch(/^tfsync\.json:2:\d+: error: .*syncable/);
    expect(out).toMatch(/\n1 error, 0 warnings in 1 file\n$/);
  });

  it('still needs a tfsync.json to start from', async () => {
    const dir = await fixture('no-config', { 'variables.tf': VARIABLES });
    const { code, err } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(err).toContain('no tfsync.json found');
  });

  it('never prints a sensitive value, in any format', async () => {
    const dir = await fixture('secrets', {
      ...CLEAN,
      'envs/prod/terraform.tfvars': 'domain = "prod.example"\ndb_password = ["hunter2-list"]\n',
      'envs/dev/terraform.tfvars': 'domain = "dev.example"\ndb_password = [swordfish-token hunter2-bad]\n',
      'envs/stage/terraform.tfvars': 'domain = "stage.example"\ndb_password = ""\n',
    });
    const summary = join(dir, 'summary.md');
    const runs = [
      await run(['validate'], { cwd: dir }),
      await run(['validate', '--json'], { cwd: dir }),
      await run(['validate', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } }),
    ];
    const all = runs.map((r) => r.out + r.err).join('\n') + (await readFile(summary, 'utf8'));
    expect(all).toContain('db_password must be a string');
    expect(all).toContain('(sensitive)');
    expect(all).not.toMatch(/hunter2|swordfish/);
  });
});

describe('tfsync validate --format github', () => {
  it('writes one escaped annotation per finding, errors first, and a job summary', async () => {
    const dir = await fixture('github', {
      ...CLEAN,
      'tfsync.json': JSON.stringify({ ...JSON.parse(CONFIG), variables: 'vars,main.tf', syncable: ['image_tag', 'workers', '100%_*'] }),
      'vars,main.tf': VARIABLES,
      'envs/prod/terraform.tfvars': 'domain = "prod.example"\nimage_tagg = "v3"\n',
    });
    const summary = join(dir, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    const { code, out, err } = await run(['validate'], { cwd: dir, env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: temp.dir } });
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.split('\n').sort()).toEqual([
      '',
      '0 errors, 2 warnings in 5 files',
      '::warning file=github/envs/prod/terraform.tfvars,line=2,col=1,title=tfsync validate%3A undeclared::"image_tagg" is set but not declared in any variables file%0Ahint: did you mean "image_tag"?',
      '::warning file=github/tfsync.json,line=1,col=134,title=tfsync validate%3A unused-pattern::syncable pattern "100%25_*" matches no variable',
    ]);
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toMatch(/^# earlier step\n### tfsync validate\n\n0 errors, 2 warnings in 5 files\n\n\| \| Where \| Problem \|\n/);
    expect(markdown).toContain('| ⚠️ warning | `envs/prod/terraform.tfvars:2:1` | "image_tagg" is set but not declared in any variables file<br>hint: did you mean "image_tag"? |');
  });

  it('escapes file names that GitHub would split', async () => {
    const dir = await fixture('github-names', {
      ...CLEAN,
      'tfsync.json': JSON.stringify({ ...JSON.parse(CONFIG), variables: 'vars,main.tf' }),
      'vars,main.tf': `${VARIABLES}variable "orphan" {\n  default = 1\n}\n`,
    });
    const { out } = await run(['validate', '--format', 'github'], { cwd: dir });
    expect(out).toContain('::warning file=vars%2Cmain.tf,line=25,title=tfsync validate%3A unclassified::"orphan" is neither syncable');
  });

  it('is not the default outside GitHub Actions, and --json wins over it inside', async () => {
    const dir = await fixture('github-default', CLEAN);
    expect((await run(['validate'], { cwd: dir })).out).toBe('All 5 files valid.\n');
    expect(JSON.parse((await run(['validate', '--json'], { cwd: dir, env: { GITHUB_ACTIONS: 'true' } })).out)).toMatchObject({ valid: true });
  });
});

describe('GitHub workflow commands', () => {
  it('escapes data and properties as @actions/core does', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
    expect(annotation('error', { file: 'a,b:c.tfvars', line: 3, col: 7, title: 'T: x' }, 'bad\nvalue 5%')).toBe(
      '::error file=a%2Cb%3Ac.tfvars,line=3,col=7,title=T%3A x::bad%0Avalue 5%25',
    );
    expect(annotation('notice', {}, 'plain')).toBe('::notice::plain');
    expect(annotation('warning', { file: 'f', line: undefined, title: '' }, ':: not a command')).toBe('::warning file=f:::: not a command');
  });

  it('appends the job summary only where GitHub says', async () => {
    const path = join(temp.dir, 'step-summary.md');
    expect(await appendStepSummary('# one', {})).toBe(false);
    expect(await appendStepSummary('# one', { GITHUB_STEP_SUMMARY: path })).toBe(true);
    expect(await appendStepSummary('two\n', { GITHUB_STEP_SUMMARY: path })).toBe(true);
    expect(await readFile(path, 'utf8')).toBe('# one\ntwo\n');
    await expect(appendStepSummary('x', { GITHUB_STEP_SUMMARY: join(temp.dir, 'missing', 'dir', 'summary.md') })).rejects.toThrow(
      /cannot append to the job summary .* \(GITHUB_STEP_SUMMARY\): no such file \(ENOENT\)/,
    );
  });
});

/**
 * validate is the read-only command that pays for ajv and the WASM parser; the others must not
 * (show-diff.test.ts checks that diff never loads @cdktn/hcl2json). A preloaded module records
 * every module the process resolves or requires.
 */
describe('the built CLI', () => {
  const built = isBuilt('cli/commands/validate.js');
  const traced = (args: string[]) => tracedNode([MAIN, ...args], { env: { FORCE_COLOR: undefined, GITHUB_ACTIONS: undefined } });

  const ajv = () => chunkOf('node_modules/ajv/lib/ajv.ts');

  it.skipIf(!built)('validate loads ajv and the official parser', async () => {
    const { status, stdout, modules } = await traced(['validate']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/in 6 files|All 6 files valid/);
    expect(modules).toContain('@cdktn/hcl2json');
    expect(modules).toContain(ajv());
  });

  it.skipIf(!built)('diff loads neither', async () => {
    const { status, modules } = await traced(['diff', 'englacial', 'prod']);
    expect(status).toBe(0);
    expect(modules).toContain(chunkOf('src/sync/diff.ts'));
    expect(modules).not.toContain(ajv());
    expect(modules).not.toContain('@cdktn/hcl2json');
  });
});
