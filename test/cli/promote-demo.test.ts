/**
 * The shipped demo keeps working: on a temporary copy (never the demo itself), promoting englacial
 * to prod leaves no syncable difference between them and touches none of prod's
 * environment-specific values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { Workspace } from '../helpers/promote-fixture.js';

interface DiffJson {
  variables: Array<{ name: string; class: string; status: string; values: Record<string, { value: unknown }> }>;
}

let ws: Workspace;
beforeAll(async () => {
  ws = await Workspace.copy(ROOT, ['tfsync.json', 'environments']);
});
afterAll(async () => {
  await ws.remove();
});

async function diff(): Promise<DiffJson> {
  const result = await ws.run(['diff', 'englacial', 'prod', '--json', '--all']);
  expect(result.code).toBe(0);
  return JSON.parse(result.out) as DiffJson;
}

describe('the demo: promote englacial prod --yes', () => {
  it('leaves no syncable difference and prod\'s environment-specific values as they were', async () => {
    const before = await diff();
    expect(before.variables.some((v) => v.class === 'syncable' && v.status !== 'same')).toBe(true);
    const demoBefore = await ws.snapshot();

    const result = await ws.run(['promote', 'englacial', 'prod', '--yes']);
    expect(result.err).not.toMatch(/^tfsync:/m);
    expect(result.code).toBe(0);
    expect(result.out).not.toContain('fake-prod-client-secret-do-not-use');
    expect(result.out).not.toContain('fake-englacial-client-secret-do-not-use');

    const after = await diff();
    expect(after.variables.filter((v) => v.class === 'syncable' && v.status !== 'same')).toEqual([]);
    const specific = (d: DiffJson) => d.variables.filter((v) => v.class !== 'syncable').map((v) => [v.name, v.values.prod]);
    expect(specific(after)).toEqual(specific(before));

    // Only prod's file and the shared file changed, each with its backup.
    const changed = [...(await ws.snapshot())].filter(([file, bytes]) => demoBefore.get(file) !== bytes).map(([file]) => file).sort();
    expect(changed).toEqual([
      'environments/prod/terraform.tfvars',
      'environments/prod/terraform.tfvars.bak',
      'environments/shared-features.tfvars',
      'environments/shared-features.tfvars.bak',
    ]);
    const again = await ws.run(['promote', 'englacial', 'prod', '--dry-run', '--detailed-exitcode']);
    expect(again.code).toBe(0);
  });
});
