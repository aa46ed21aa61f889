/**
 * What keeps a promotion safe, end to end: dry runs, the question on a terminal and the refusal
 * without one, the bytes a file must keep (CRLF, BOM, no final newline, mode), and `restore`.
 */
import { chmod, rm, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { expected, original, PROD, SHARED, TEST, workspaces } from '../helpers/promote-fixture.js';

const TFVARS = [PROD, TEST, SHARED];
const BOM = '\uFEFF';

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

const workspace = workspaces();

describe('promote --dry-run', () => {
  it('prints the plan and the diff, writes nothing, exits 0 (2 with --detailed-exitcode)', async () => {
    const ws = await workspace();
    const before = await ws.snapshot();
    const dry = await ws.run(['promote', 'test', 'prod', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain(`--- a/${PROD}\n+++ b/${PROD}\n`);
    expect(dry.out).toContain('\n-zones = ["us-west-2a"]\n');
    expect(dry.out).toContain('\n+zones = [\n+  "us-west-2a",\n');
    expect(dry.err).toContain('dry run; nothing written');
    expect((await ws.run(['promote', 'test', 'prod', '--dry-run', '--detailed-exitcode'])).code).toBe(2);
    expect(await ws.snapshot()).toEqual(before);
  });

  it('exits 0 with --detailed-exitcode when nothing would change', async () => {
    const ws = await workspace();
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect((await ws.run(['promote', 'test', 'prod', '--dry-run', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('asking before writing', () => {
  it('on a terminal, asks and writes on "y"', async () => {
    const ws = await workspace();
    const result = await ws.run(['promote', 'test', 'prod'], { answer: 'y\n' });
    expect(result.err).toContain(`Write ${SHARED} and ${PROD}? [y/N] `);
    expect(result.code).toBe(0);
    expect(await ws.read(PROD)).toBe(await expected('test-to-prod.prod.tfvars'));
  });

  it.each(['n\n', '\n', ''])('on a terminal, writes nothing on %j (the default is no) and exits 1', async (answer) => {
    const ws = await workspace();
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod'], { answer });
    expect(result.code).toBe(1);
    expect(result.err).toContain('cancelled; nothing written');
    expect(await ws.snapshot()).toEqual(before);
  });

  it('without a terminal, refuses to write without --yes and says how to go on', async () => {
    const ws = await workspace();
    const before = await ws.snapshot();
    const result = await ws.run(['promote', 'test', 'prod']);
    expect(result.code).toBe(1);
    expect(result.out).toContain('~ update workers: 4 → 8');
    expect(result.err).toMatch(/refusing to write without a terminal/);
    expect(result.err).toMatch(/--yes to write, or with --dry-run/);
    expect(await ws.snapshot()).toEqual(before);
    const json = await ws.run(['promote', 'test', 'prod', '--json']);
    expect(json.code).toBe(1);
    // One document on stdout, the error's (the plan is not written, and a script must not read it as done).
    expect(JSON.parse(json.out).error).toMatchObject({ code: 'no-terminal', file: null, line: null, column: null });
    expect(json.err).toMatch(/refusing to write without a terminal/);
  });

  it('--yes writes without asking, even on a terminal', async () => {
    const ws = await workspace();
    const result = await ws.run(['promote', 'test', 'prod', '--yes'], { answer: 'n\n' });
    expect(result.code).toBe(0);
    expect(result.err).not.toContain('[y/N]');
    expect(await ws.read(PROD)).toBe(await expected('test-to-prod.prod.tfvars'));
  });
});

describe('the bytes a file keeps', () => {
  it('CRLF line endings and a BOM', async () => {
    const ws = await workspace();
    for (const file of TFVARS) await writeFile(ws.path(file), BOM + crlf(await original(file)));
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(await ws.read(PROD)).toBe(BOM + crlf(await expected('test-to-prod.prod.tfvars')));
    expect(await ws.read(SHARED)).toBe(BOM + crlf(await expected('test-to-prod.shared.tfvars')));
    expect(await ws.read(`${PROD}.bak`)).toBe(BOM + crlf(await original(PROD)));
  });

  it('an LF source into a CRLF target: inserted lines take CRLF', async () => {
    const ws = await workspace();
    await writeFile(ws.path(PROD), crlf(await original(PROD)));
    await ws.run(['promote', 'test', 'prod', '--yes', '--no-shared', '--var', 'zones', '--var', 'banner']);
    const prod = await ws.read(PROD);
    expect(prod).not.toMatch(/[^\r]\n/);
    expect(prod).toContain('zones = [\r\n  "us-west-2a",\r\n  "us-west-2b", # the second zone\r\n]\r\n');
    expect(prod.endsWith('banner = "maintenance on Sundays"\r\n')).toBe(true);
  });

  it('no final newline', async () => {
    const ws = await workspace();
    await writeFile(ws.path(PROD), (await original(PROD)).trimEnd());
    await writeFile(ws.path(SHARED), (await original(SHARED)).trimEnd());
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(await ws.read(PROD)).toBe((await expected('test-to-prod.prod.tfvars')).trimEnd());
    expect(await ws.read(SHARED)).toBe((await expected('test-to-prod.shared.tfvars')).trimEnd());
  });

  it('the file mode, which the .bak shares', async () => {
    const ws = await workspace();
    await chmod(ws.path(PROD), 0o640);
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(await ws.mode(PROD)).toBe(0o640);
    expect(await ws.mode(`${PROD}.bak`)).toBe(0o640);
  });

  it('a created shared file takes the environment files\' mode', async () => {
    const ws = await workspace();
    await rm(ws.path(SHARED));
    await chmod(ws.path(PROD), 0o600);
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect(await ws.mode(SHARED)).toBe(0o600);
  });
});

describe('tfsync restore', () => {
  it('puts the .bak back after showing the diff, and can itself be undone', async () => {
    const ws = await workspace();
    await ws.run(['promote', 'test', 'prod', '--yes']);
    const promoted = await ws.read(PROD);
    const restored = await ws.run(['restore', 'prod', '--yes']);
    expect(restored.code).toBe(0);
    expect(restored.out).toContain(`--- a/${PROD}\n+++ b/${PROD}\n`);
    expect(restored.out).toContain('-zones = [\n');
    expect(restored.out).toContain('+zones = ["us-west-2a"]\n');
    expect(restored.out).not.toContain('SECRET');
    expect(restored.err).toContain(`restored ${PROD} from ${PROD}.bak; the replaced contents are in ${PROD}.bak`);
    expect(await ws.read(PROD)).toBe(await original(PROD));
    expect(await ws.read(`${PROD}.bak`)).toBe(promoted);
    await ws.run(['restore', 'prod', '--yes']);
    expect(await ws.read(PROD)).toBe(promoted);
    expect(await ws.read(`${PROD}.bak`)).toBe(await original(PROD));
  });

  it('restores @shared, keeping the mode, and says so when there is nothing to restore', async () => {
    const ws = await workspace();
    await chmod(ws.path(SHARED), 0o640);
    await ws.run(['promote', 'test', 'prod', '--yes']);
    expect((await ws.run(['restore', '@shared', '--yes'])).code).toBe(0);
    expect(await ws.read(SHARED)).toBe(await original(SHARED));
    expect(await ws.mode(SHARED)).toBe(0o640);
    expect(await ws.mode(`${SHARED}.bak`)).toBe(0o640);
    await writeFile(ws.path(`${SHARED}.bak`), await ws.read(SHARED));
    const same = await ws.run(['restore', '@shared', '--yes']);
    expect(same.code).toBe(0);
    expect(same.err).toContain('nothing to restore');
  });

  it('follows the asking rules: refuses without a terminal, asks on one, --dry-run only shows', async () => {
    const ws = await workspace();
    await ws.run(['promote', 'test', 'prod', '--yes']);
    const before = await ws.snapshot();
    const refused = await ws.run(['restore', 'prod']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/refusing to write without a terminal/);
    expect((await ws.run(['restore', 'prod'], { answer: 'n\n' })).code).toBe(1);
    expect((await ws.run(['restore', 'prod', '--dry-run', '--detailed-exitcode'])).code).toBe(2);
    expect(await ws.snapshot()).toEqual(before);
    expect((await ws.run(['restore', 'prod'], { answer: 'yes\n' })).code).toBe(0);
    expect(await ws.read(PROD)).toBe(await original(PROD));
  });

  it('works on a file broken beyond parsing, masking what looks like a secret', async () => {
    const ws = await workspace();
    await ws.run(['promote', 'test', 'prod', '--yes']);
    const broken = 'api_token = "tok-broken-SECRET\nzones = [\n';
    await writeFile(ws.path(PROD), broken);
    const result = await ws.run(['restore', 'prod', '--yes']);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('SECRET');
    expect(await ws.read(PROD)).toBe(await original(PROD));
    expect(await ws.read(`${PROD}.bak`)).toBe(broken);
  });

  it('without a .bak: a clear error', async () => {
    const ws = await workspace();
    const result = await ws.run(['restore', 'prod', '--yes']);
    expect(result.code).toBe(1);
    expect(result.err).toContain(`no backup to restore: ${PROD}.bak does not exist`);
    expect((await ws.run(['restore', 'prdo'])).err).toMatch(/unknown environment "prdo"/);
  });
});
