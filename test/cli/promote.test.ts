/**
 * `tfsync promote` and `backport` end to end through runCli, on temporary copies of
 * fixtures/promote/basic: what is written where, byte for byte, and what is refused.
 */
import { CREATED_MARKER } from '../../src/io/write-file.js';
import { rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { EPOCH_DATE, expected, original, PROD, SHARED, TEST, workspaces, type Workspace } from '../helpers/promote-fixture.js';

const SECRETS = ['tok-test-SECRET-5e6f7a', 'tok-prod-SECRET-1a2b3c', 'test-db-password-8c1f', 'prod-db-password-3d9a', 'SECRET'];

const workspace = workspaces();

/** Runs a command that must succeed. */
async function ok(ws: Workspace, ...argv: string[]) {
  const result = await ws.run(argv);
  expect(result.err).not.toMatch(/^tfsync:/m);
  expect(result.code).toBe(0);
  return result;
}

function expectNoSecrets(text: string) {
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('tfsync promote SRC DST', () => {
  it('writes the source values into the shared file and the target, keeping every other byte', async () => {
    const ws = await workspace();
    const { out, err } = await ok(ws, 'promote', 'test', 'prod', '--yes');
    // Multi-line list over a one-liner, one-line map over a multi-line one, a heredoc whose
    // trailing comment moves above it, sed metacharacters, `name=value` indented, a block
    // comment that mentions synced names left alone, a new synced section for the created one.
    expect(await ws.read(PROD)).toBe(await expected('test-to-prod.prod.tfvars'));
    // The header's Last synced line stamped; creates at the end; the trailing comment kept.
    expect(await ws.read(SHARED)).toBe(await expected('test-to-prod.shared.tfvars'));
    expect(await ws.read(SHARED)).toContain(`# Last synced: ${EPOCH_DATE} from: test\n`);
    expect(await ws.read(TEST)).toBe(await original(TEST));
    expect(await ws.read(`${PROD}.bak`)).toBe(await original(PROD));
    expect(await ws.read(`${SHARED}.bak`)).toBe(await original(SHARED));
    expect(err).toContain(`wrote ${PROD} (previous contents in ${PROD}.bak)`);
    expect(out).toContain('~ update zones: ["us-west-2a"] → ["us-west-2a", "us-west-2b"]');
    expect(out).toContain('! kept: prod overrides legacy_flag = true, test uses the default (--prune deletes it)');
    expect(out).toContain('! kept: prod overrides extra_debug = "verbose", test does not set it (--prune deletes it)');
    expectNoSecrets(out + err);
  });

  it('writes the layouts the other way too: one-line list, multi-line map, a heredoc replaced by a string', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', 'prod', 'test', '--yes', '--no-shared');
    expect(await ws.read(TEST)).toBe(await expected('prod-to-test.test.tfvars'));
    expect(await ws.read(SHARED)).toBe(await original(SHARED));
    expect(await ws.exists(`${SHARED}.bak`)).toBe(false);
  });

  it('backport is the same operation', async () => {
    const ws = await workspace();
    const { out } = await ok(ws, 'backport', 'test', 'prod', '--yes');
    expect(out).toMatch(/^Backport test → prod\n/);
    expect(await ws.read(PROD)).toBe(await expected('test-to-prod.prod.tfvars'));
  });

  it('promoting twice is promoting once: the second run changes nothing and writes no backup', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', 'test', 'prod', '--yes');
    const after = await ws.snapshot();
    const again = await ws.run(['promote', 'test', 'prod', '--yes', '--verbose']);
    expect(again.code).toBe(0);
    expect(again.err).toContain('nothing to change');
    expect(again.out).toContain('No changes.');
    expect(again.out).toContain('= noop zones: ["us-west-2a", "us-west-2b"]');
    expect(again.out).not.toContain('---');
    expect(await ws.snapshot()).toEqual(after);
    expect(await ws.read(`${PROD}.bak`)).toBe(await original(PROD));
  });

  it('a plan that changes nothing writes nothing and leaves no .bak', async () => {
    const ws = await workspace();
    const before = await ws.snapshot();
    const result = await ws.run(['promote', '@shared', 'prod', '--yes', '--only', 'images']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('= 2 unchanged');
    expect(await ws.snapshot()).toEqual(before);
  });

  it('--only GROUP and --var NAME promote just those', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', 'test', 'prod', '--yes', '--only', 'images', '--var', 'workers');
    const prod = await ws.read(PROD);
    expect(prod).toContain('  image_tag="2025.02.01"\n');
    expect(prod).toContain('workers    = 8 # scaled for prod\n');
    expect(prod).toContain('zones = ["us-west-2a"]\n');
    expect(prod).toContain('motd        = "Welcome." # shown at login\n');
    expect(prod).not.toContain('banner');
    // No synced section was created, and prod has no Last synced line to stamp.
    expect(prod).not.toContain('Last synced');
    const shared = await ws.read(SHARED);
    expect(shared).toBe((await original(SHARED)).replace('2024.12.01" #', '2025.02.01" #').replace('= 4', '= 8').replace('2024-12-01 from: prod', `${EPOCH_DATE} from: test`));
  });

  it('--only with a group of one list, given before the positionals', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', '--only', 'network', 'test', 'prod', '--yes', '--no-shared');
    expect(await ws.read(PROD)).toBe((await original(PROD)).replace('zones = ["us-west-2a"]\n', 'zones = [\n  "us-west-2a",\n  "us-west-2b", # the second zone\n]\n'));
  });

  it.each([
    [['--var', 'domain'], /"domain" is environment-specific/],
    [['--var', 'db_password'], /"db_password" is environment-specific/],
    [['--var', 'owner'], /"owner" is unclassified/],
    [['--var', 'workerz'], /unknown variable "workerz"[\s\S]*did you mean "workers"/],
    [['--only', 'imagez'], /unknown group "imagez"[\s\S]*did you mean "images"/],
  ])('refuses %j before writing anything', async (extra, message) => {
    const ws = await workspace();
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod', '--yes', ...extra]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(result.out).toBe('');
    expect(await ws.snapshot()).toEqual(before);
  });

  it('refuses unknown environments and promoting an environment onto itself', async () => {
    const ws = await workspace();
    expect((await ws.run(['promote', 'test', 'prdo', '--yes'])).err).toMatch(/unknown environment "prdo"[\s\S]*did you mean "prod"/);
    expect((await ws.run(['promote', 'prod', 'prod', '--yes'])).err).toMatch(/source and target are the same/);
  });

  it('--prune deletes the overrides the source has no value for; without it they are kept', async () => {
    const ws = await workspace();
    const { out } = await ok(ws, 'promote', 'test', 'prod', '--yes', '--prune');
    expect(out).toContain('- delete legacy_flag: true');
    expect(out).toContain('- delete extra_debug: "verbose"');
    const want = (await expected('test-to-prod.prod.tfvars')).replace('legacy_flag = true\nextra_debug = "verbose"\n', '');
    expect(await ws.read(PROD)).toBe(want);
  });

  it('promote SRC @shared writes only the shared file', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', 'test', '@shared', '--yes');
    expect(await ws.read(SHARED)).toBe(await expected('test-to-prod.shared.tfvars'));
    expect(await ws.read(PROD)).toBe(await original(PROD));
    expect(await ws.exists(`${PROD}.bak`)).toBe(false);
  });

  it('promote @shared DST applies the shared values, and SRC → @shared → DST equals SRC → DST', async () => {
    const ws = await workspace();
    await ok(ws, 'promote', 'test', '@shared', '--yes');
    const { out } = await ok(ws, 'promote', '@shared', 'prod', '--yes');
    expect(out).toContain('Promote @shared → prod');
    expect(await ws.read(PROD)).toBe((await expected('test-to-prod.prod.tfvars')).replace('from: test', 'from: @shared'));
  });

  it('creates a missing shared file with a header on the first promotion', async () => {
    const ws = await workspace();
    await rm(ws.path(SHARED));
    const { out, err } = await ok(ws, 'promote', 'test', 'prod', '--yes');
    expect(out).toContain(`${SHARED} (new file)`);
    expect(out).toContain('--- /dev/null');
    expect(err).toContain(`created ${SHARED}`);
    const shared = await ws.read(SHARED);
    expect(shared).toMatch(/^# Shared features: /);
    expect(shared).toContain(`# Last synced: ${EPOCH_DATE} from: test\n\nimage_name = "org/app"\nimage_tag = "2025.02.01"\nworkers = 8\nzones = [\n`);
    expect(shared.endsWith('api_token = "tok-test-SECRET-5e6f7a"\n')).toBe(true);
    // Its backup records that it did not exist, so that restore can undo the creation.
    expect(await ws.read(`${SHARED}.bak`)).toBe(CREATED_MARKER);
    // A second run finds it in place.
    expect((await ws.run(['promote', 'test', 'prod', '--yes'])).err).toContain('nothing to change');
    // restore @shared deletes it, keeping its contents as the .bak; restoring again brings it back.
    const restored = await ws.run(['restore', '@shared', '--yes']);
    expect(restored).toMatchObject({ code: 0 });
    expect(restored.err).toContain(`deleted ${SHARED}, which tfsync had created`);
    expect(await ws.exists(SHARED)).toBe(false);
    expect(await ws.read(`${SHARED}.bak`)).toBe(shared);
    expect((await ws.run(['restore', '@shared', '--yes'])).code).toBe(0);
    expect(await ws.read(SHARED)).toBe(shared);
  });

  it('stamps the date of SOURCE_DATE_EPOCH, and refuses a malformed one', async () => {
    const ws = await workspace();
    await ws.run(['promote', 'test', 'prod', '--yes', '--var', 'workers'], { env: { SOURCE_DATE_EPOCH: '0' } });
    expect(await ws.read(SHARED)).toContain('# Last synced: 1970-01-01 from: test\n');
    const bad = await ws.run(['promote', 'test', 'prod', '--yes'], { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('SOURCE_DATE_EPOCH');
  });

  it.each([PROD, TEST, SHARED, 'variables.tf'])('a syntax error in %s stops everything: exit 1, file:line:col, nothing written', async (file) => {
    const ws = await workspace();
    await writeFile(ws.path(file), `${await ws.read(file)}\nbroken = [1, 2\n`);
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(new RegExp(`^${file.replace(/[./]/g, '\\$&')}:\\d+:\\d+: `, 'm'));
    expect(await ws.snapshot()).toEqual(before);
  });

  it('refuses a classification conflict before writing', async () => {
    const ws = await workspace();
    const config = JSON.parse(await ws.read('tfsync.json'));
    config.environmentSpecific.push('image_t*');
    await writeFile(ws.path('tfsync.json'), JSON.stringify(config));
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('variable "image_tag" matches syncable "image_*" and environmentSpecific "image_t*"');
    expect(await ws.snapshot()).toEqual(before);
  });

  it('--json prints the plan document and nothing else on stdout', async () => {
    const ws = await workspace();
    const dry = await ws.run(['promote', 'test', 'prod', '--json', '--dry-run']);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.out);
    expect(plan.written).toBe(false);
    expect(plan.files.map((f: { file: string }) => f.file)).toEqual([SHARED, PROD]);
    const prodChanges = plan.files[1].changes;
    expect(prodChanges.find((c: { name: string }) => c.name === 'zones')).toEqual({ name: 'zones', op: 'update', from: ['us-west-2a'], to: ['us-west-2a', 'us-west-2b'] });
    expect(prodChanges.find((c: { name: string }) => c.name === 'banner')).toEqual({ name: 'banner', op: 'create', from: null, to: 'maintenance on Sundays' });
    expect(prodChanges.find((c: { name: string }) => c.name === 'image_name')).toEqual({ name: 'image_name', op: 'noop', from: 'org/app', to: 'org/app' });
    expect(prodChanges.find((c: { name: string }) => c.name === 'api_token')).toEqual({ name: 'api_token', op: 'update', from: '(sensitive)', to: '(sensitive)' });
    expect(plan.kept).toEqual([
      { name: 'legacy_flag', file: PROD, value: true },
      { name: 'extra_debug', file: PROD, value: 'verbose' },
    ]);
    expectNoSecrets(dry.out + dry.err);
    const wrote = await ws.run(['promote', 'test', 'prod', '--json', '--yes']);
    expect(JSON.parse(wrote.out).written).toBe(true);
  });

  it('keeps sensitive values out of the plan, the diff and the JSON unless --show-sensitive', async () => {
    const ws = await workspace();
    const text = await ws.run(['promote', 'test', 'prod', '--dry-run']);
    expect(text.out).toContain('~ update api_token: (sensitive) → (sensitive)');
    expect(text.out).toContain('+api_token   = (sensitive, changed)');
    // Environment-specific secrets in the diff's context lines are masked too.
    expectNoSecrets(text.out + text.err);
    const shown = await ws.run(['promote', 'test', 'prod', '--dry-run', '--show-sensitive']);
    expect(shown.out).toContain('tok-test-SECRET-5e6f7a');
  });
});
