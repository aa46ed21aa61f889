/**
 * `tfsync init` on repositories that are not the demo, as a new user adopts tfsync (issue 15):
 * declarations in every .tf file, a Makefile for the repository's own environments and groups
 * that real make runs, classification by the name's nature with a reason per variable (text and
 * --json), and tfsync's backups kept out of git.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IGNORE_COMMENT, IGNORE_PATTERNS } from '../../src/model/gitignore.js';
import { isBuilt, MAIN, run, tempFolder } from '../helpers/cli.js';
import { firstReason, titled } from '../helpers/shared-material.js';
import { commandWorks } from '../helpers/tools.js';

const temp = tempFolder('tfsync-adopt-');
const { fixture } = temp;
const exists = (path: string) => stat(path).then(() => true, () => false);

/** A module whose declarations are spread over three .tf files, one of them holding a sensitive variable. */
const SPREAD = {
  'variables.tf': 'variable "app_image" {\n  default = "app:1"\n}\n\nvariable "region" {}\n',
  'secrets.tf': '# Kept apart so that reviews of variables.tf need not show it.\nvariable "bootstrap_value" {\n  sensitive = true\n}\n',
  'main.tf': 'variable "replicas_wanted" {\n  default = 1\n}\n\nresource "null_resource" "x" {}\n',
  'envs/dev.tfvars': 'app_image = "app:2"\nregion = "eu-west-1"\nbootstrap_value = "hunter2-dev"\n',
  'envs/prod.tfvars': 'app_image = "app:1"\nregion = "us-east-1"\nbootstrap_value = "hunter2-prod"\n',
};

describe('init reads every .tf file of the module', () => {
  it('says which files it read, writes a glob for them, and a sensitive variable from another file is masked by diff, show and get', async () => {
    const dir = await fixture('spread', SPREAD);
    const { code, out } = await run(['init'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/^Declarations +\*\.tf \(all 3 \.tf files in the root module; variable blocks in main\.tf, secrets\.tf, variables\.tf\)$/m);
    expect(out).toMatch(/^Read +main\.tf, secrets\.tf, variables\.tf$/m);
    const config = JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8'));
    expect(config.variables).toBe('*.tf');
    // bootstrap_value's name says nothing: only its declaration in secrets.tf makes it a secret.
    expect(config.sensitive ?? []).not.toContain('bootstrap_value');

    for (const argv of [['diff', 'dev', 'prod', '--all'], ['show', 'dev'], ['show', 'prod', '--json'], ['get', 'envs/dev.tfvars'], ['get', 'envs/dev.tfvars', 'bootstrap_value'], ['check']]) {
      const result = await run(argv, { cwd: dir });
      expect(result.code, `${argv.join(' ')}: ${result.err}`).toBeLessThan(2 + Number(argv[0] === 'check'));
      expect(`${result.out}${result.err}`, argv.join(' ')).not.toContain('hunter2');
    }
    expect((await run(['show', 'dev'], { cwd: dir })).out).toMatch(/bootstrap_value.*\(sensitive\)/);
    // The glob init wrote is what tfsync reads: validate finds all three declarations.
    const validate = await run(['validate', '--json'], { cwd: dir });
    expect(validate.out).not.toMatch(/undeclared/i);
  });
});

const MAKE_MISSING = firstReason(
  !commandWorks('make', ['--version']) && 'skipped: make is not installed',
  !isBuilt('cli/main.js') && 'skipped: dist/ is not built (npm run build)',
);

describe('init --makefile for the repository it runs in', () => {
  const STACK = {
    'variables.tf': ['web_image_tag', 'worker_memory_limit', 'domain_name', 'db_name'].map((n) => `variable "${n}" {}\n`).join(''),
    'tfvars/staging.tfvars': 'web_image_tag = "1.4.0"\nworker_memory_limit = "2Gi"\ndomain_name = "staging.example.org"\ndb_name = "app_staging"\n',
    'tfvars/prod.tfvars': 'web_image_tag = "1.3.9"\nworker_memory_limit = "2Gi"\ndomain_name = "example.org"\ndb_name = "app"\n',
    'tfvars/qa.tfvars': 'web_image_tag = "1.4.1"\nworker_memory_limit = "4Gi"\ndomain_name = "qa.example.org"\ndb_name = "app_qa"\n',
  };

  it('before init: the environments in promotion order and the groups init would write; never a bare npx', async () => {
    const dir = await fixture('makefile-before', STACK);
    const { code, out } = await run(['init', '--makefile'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/^SYNC_SOURCE \?= qa$/m);
    expect(out).toMatch(/^SYNC_TARGET \?= staging$/m);
    expect(out).toMatch(/^sync-images: /m);
    expect(out).not.toMatch(/englacial|sync-dask|sync-timeouts/);
    expect(out).not.toMatch(/npx tfsync/);
    expect(out).toContain('npx --no-install tfsync');
    expect(await exists(join(dir, 'tfsync.json'))).toBe(false);
  });

  it("after init: its tfsync.json's groups, by name", async () => {
    const dir = await fixture('makefile-after', STACK);
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    const path = join(dir, 'tfsync.json');
    const config = JSON.parse(await readFile(path, 'utf8'));
    await writeFile(path, JSON.stringify({ ...config, groups: { web: ['web_*'], workers: ['worker_*'] } }, null, 2));
    const { out } = await run(['init', '--makefile'], { cwd: dir });
    expect([...out.matchAll(/^(sync-[a-z-]+):/gm)].map((m) => m[1])).toEqual([
      'sync-diff', 'sync-features-from', 'sync-features-to', 'sync-promote', 'sync-backport', 'sync-web', 'sync-workers', 'sync-check', 'sync-validate',
    ]);
  });

  it.skipIf(MAKE_MISSING !== undefined)(titled('`make sync-diff` runs tfsync from the local install and diffs the default environments', MAKE_MISSING), async () => {
    const dir = await fixture('makefile-run', STACK);
    expect((await run(['init'], { cwd: dir })).code).toBe(0);
    await writeFile(join(dir, 'Makefile'), (await run(['init', '--makefile'], { cwd: dir })).out);
    // As `npm i -D tfsync` leaves it: node_modules/.bin/tfsync, a link to the package's CLI.
    await mkdir(join(dir, 'node_modules', '.bin'), { recursive: true });
    await symlink(MAIN, join(dir, 'node_modules', '.bin', 'tfsync'));
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[name];
    const make = (...args: string[]) => execFileSync('make', ['--no-print-directory', ...args], { cwd: dir, env, encoding: 'utf8' });
    const out = make('sync-diff');
    expect(out).toMatch(/^node_modules\/\.bin\/tfsync diff qa staging/m);
    expect(out).toContain('web_image_tag');
    expect(out).toContain('"1.4.1"');
  });
});

describe('init classifies by the nature of the name, with a reason for each variable', () => {
  it('drifted features stay syncable, undeclared names are not guessed at, and --json carries every reason', async () => {
    const dir = await fixture('drifted', {
      'variables.tf': ['api_image_tag', 'checkout_timeout', 'enable_search', 'region', 'admin_email'].map((n) => `variable "${n}" {}\n`).join(''),
      'envs/dev.tfvars': 'api_image_tag = "2.1.0"\ncheckout_timeout = 30\nenable_search = true\nregion = "eu-west-1"\nadmin_email = "a@dev"\nleftover = 1\n',
      'envs/staging.tfvars': 'api_image_tag = "2.0.3"\ncheckout_timeout = 45\nenable_search = false\nregion = "eu-west-1"\nadmin_email = "a@stg"\nleftover = 1\n',
      'envs/prod.tfvars': 'api_image_tag = "1.9.8"\ncheckout_timeout = 60\nenable_search = false\nregion = "us-east-1"\nadmin_email = "a@prod"\nleftover = 1\n',
    });
    const { code, out, err } = await run(['init', '--json'], { cwd: dir });
    expect(code, err).toBe(0);
    const doc = JSON.parse(out);
    const byName = Object.fromEntries(doc.decisions.map((d: { name: string; class: string; reason: string }) => [d.name, d]));
    expect(byName.api_image_tag).toEqual({ name: 'api_image_tag', class: 'syncable', reason: 'by nature: a container image (name or tag); 3 different values across 3 environments: drift to promote' });
    expect(byName.checkout_timeout.class).toBe('syncable');
    expect(byName.enable_search.reason).toMatch(/^by nature: a feature flag/);
    expect(byName.region.reason).toBe('by nature: a region or zone');
    expect(byName.leftover).toEqual({ name: 'leftover', class: 'unclassified', reason: 'declared in no .tf file: Terraform ignores it (with a warning), so init does not guess' });
    expect(doc.written).toBe(true);
    expect(doc.declarations).toEqual({ variables: 'variables.tf', files: ['variables.tf'], declaring: ['variables.tf'] });
    expect(doc.content.syncable).toEqual(['api_image_tag', 'checkout_timeout', 'enable_search']);
    expect(doc.content).toEqual(JSON.parse(await readFile(join(dir, 'tfsync.json'), 'utf8')));
    expect(doc.gitignore).toEqual({ file: '.gitignore', added: [...IGNORE_PATTERNS], written: true });
  });
});

describe('init keeps tfsync\'s backups out of git', () => {
  const ENVS = { 'envs/a.tfvars': 'x = 1\n', 'envs/b.tfvars': 'x = 1\n' };

  it('creates .gitignore with the backup patterns, and says so', async () => {
    const dir = await fixture('ignore-new', ENVS);
    const { out } = await run(['init'], { cwd: dir });
    expect(out).toContain('Added *.tfvars.bak, *.tfvars.json.bak, tfsync.json.bak');
    expect(out).toContain("to .gitignore: tfsync's .bak backups hold earlier contents of environment files, secrets included.");
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(`${[IGNORE_COMMENT, ...IGNORE_PATTERNS].join('\n')}\n`);
  });

  it('keeps what .gitignore holds, never repeats a line, and a dry run only says what it would add', async () => {
    const dir = await fixture('ignore-kept', { ...ENVS, '.gitignore': '.terraform/\n*.tfstate\n' });
    const dry = await run(['init', '--dry-run'], { cwd: dir });
    expect(dry.err).toContain('Would add *.tfvars.bak');
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('.terraform/\n*.tfstate\n');
    await run(['init'], { cwd: dir });
    const once = await readFile(join(dir, '.gitignore'), 'utf8');
    expect(once.startsWith('.terraform/\n*.tfstate\n\n# tfsync:')).toBe(true);
    const again = await run(['init', '--force'], { cwd: dir });
    expect(again.out).toContain(".gitignore already ignores tfsync's .bak backups");
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(once);
  });

  it('says why it cannot when .gitignore is not a file, and still writes tfsync.json', async () => {
    const dir = await fixture('ignore-dir', ENVS);
    await mkdir(join(dir, '.gitignore'));
    const { code, out } = await run(['init'], { cwd: dir });
    expect(code).toBe(0);
    expect(out).toMatch(/Could not add tfsync's backup patterns to \.gitignore: .+\. Add them by hand: its \.bak files can hold secrets\./);
    expect(await exists(join(dir, 'tfsync.json'))).toBe(true);
  });
});
