/**
 * Property: for random layer stacks and random promotions, DST's effective values of the promoted
 * variables equal SRC's afterwards, nothing else changes (no other environment's file, no shared
 * file, no environment-specific value), and a second run is a no-op.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { run, writeFiles } from '../helpers/cli.js';

const ENVS = ['dev', 'prod', 'qa'];
const VARS = ['a', 'b', 'c', 'd'];
const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('"x"', '"y"', '["x", "y"]', '{ k = 1 }'));
/** A layer file: which variables it sets (and `region`, environment-specific), or absent. */
const layerFile = fc.option(fc.record({ values: fc.dictionary(fc.constantFrom(...VARS), value, { maxKeys: 4 }), region: fc.boolean() }), { nil: undefined });

const repository = fc.record({
  shared: layerFile,
  base: fc.tuple(layerFile, layerFile, layerFile),
  extra: fc.tuple(layerFile, layerFile, layerFile),
  defaults: fc.dictionary(fc.constantFrom(...VARS), value, { maxKeys: 4 }),
  pair: fc.constantFrom(['dev', 'prod'], ['prod', 'dev'], ['qa', 'prod'], ['dev', 'qa']),
});

function text(file: { values: Record<string, string | number>; region: boolean } | undefined, env: string): string | undefined {
  if (!file) return undefined;
  const lines = Object.entries(file.values).map(([k, v]) => `${k} = ${v} # ${env}`);
  if (file.region) lines.unshift(`region = "${env}-1"`);
  return `# ${env}\n${lines.join('\n')}\n`;
}

async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else out.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  };
  await walk(dir);
  return out;
}

const effective = async (dir: string, name: string) =>
  new Map((JSON.parse((await run(['show', name, '--json'], { cwd: dir })).out).variables as Array<{ name: string; value: unknown; origin: { layer: string } | null }>).map((v) => [v.name, v]));

describe('promotion across random layer stacks', () => {
  it('makes DST\'s effective values of the promoted variables SRC\'s, touches only DST\'s own files, and is idempotent', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tfsync-layer-prop-'));
    let n = 0;
    try {
      await fc.assert(
        fc.asyncProperty(repository, async (r) => {
          const dir = join(root, String(n++));
          const files: Record<string, string | undefined> = {
            'tfsync.json': JSON.stringify({
              variables: 'variables.tf',
              layers: [
                { name: 'shared', files: 'shared.tfvars', optional: true },
                { name: 'base', files: 'envs/{env}/base.tfvars', optional: true },
                { name: 'extra', files: 'envs/{env}/extra.tfvars', optional: true },
              ],
              environments: ENVS,
              syncable: VARS,
              environmentSpecific: ['region'],
            }),
            'variables.tf': [...VARS.map((v) => (r.defaults[v] === undefined ? `variable "${v}" {}` : `variable "${v}" {\n  default = ${r.defaults[v]}\n}`)), 'variable "region" {\n  default = "none"\n}'].join('\n') + '\n',
            'shared.tfvars': text(r.shared, 'shared'),
          };
          ENVS.forEach((e, i) => {
            files[`envs/${e}/base.tfvars`] = text(r.base[i], e);
            files[`envs/${e}/extra.tfvars`] = text(r.extra[i], e);
          });
          await writeFiles(dir, files);
          const [src, dst] = r.pair as [string, string];
          const before = await snapshot(dir);
          const srcBefore = await effective(dir, src);
          const dstBefore = await effective(dir, dst);
          const out = await run(['promote', src, dst, '--yes'], { cwd: dir });
          expect(out.code, out.err).toBe(0);
          const after = await snapshot(dir);
          const dstAfter = await effective(dir, dst);
          for (const v of VARS) {
            const s = srcBefore.get(v);
            // A value SRC leaves to its default is not promoted: DST's override is kept (no --prune).
            if (s?.origin && s.origin.layer !== 'default') expect(dstAfter.get(v)?.value, v).toEqual(s.value);
            else expect(dstAfter.get(v)?.value, v).toEqual(dstBefore.get(v)?.value);
          }
          expect(dstAfter.get('region')?.value).toEqual(dstBefore.get('region')?.value);
          // Only DST's own files (and their backups) change.
          for (const [file, bytes] of after) {
            if (before.get(file) === bytes) continue;
            expect(file, `changed ${file}`).toMatch(new RegExp(`^envs/${dst}/(base|extra)\\.tfvars(\\.bak)?$`));
          }
          for (const file of before.keys()) expect(after.has(file), `removed ${file}`).toBe(true);
          const again = await run(['promote', src, dst, '--yes'], { cwd: dir });
          expect(again.err).toContain('nothing to change');
        }),
        { numRuns: 25 },
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }, 120_000);
});
