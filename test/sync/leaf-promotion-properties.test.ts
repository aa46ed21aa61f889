/**
 * Promotion of random leaf sets between random files (property): with some key paths of a map
 * syncable and the map itself environment-specific, promoting SRC to DST sets exactly those leaves
 * in DST (creating the objects on the way), and leaves every other leaf and every comment of DST as
 * it was; the official parser reads the same values as tfsync.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { scan, T } from '../../src/hcl/scanner.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';
import { officialValues } from '../../src/io/official-parser.js';
import { planPromotion } from '../../src/sync/plan.js';
import { rewritePlan } from '../../src/sync/rewrite.js';
import { repoOf } from '../helpers/repository.js';

/** Object keys start with `o`, leaf keys with `l`: a path never meets a leaf where the other file has an object. */
type Tree = { [key: string]: Tree | number | string };
const objectKey = fc.stringMatching(/^o[a-c]$/);
const leafKey = fc.stringMatching(/^l[a-d]$/);
const leafArb = fc.oneof(fc.integer({ min: -50, max: 50 }), fc.stringMatching(/^[a-z]{0,4}$/));
function treeOf(depth: number): fc.Arbitrary<Tree> {
  const objects = depth === 0 ? fc.constant({}) : fc.dictionary(objectKey, treeOf(depth - 1), { maxKeys: 2 });
  return fc.tuple(fc.dictionary(leafKey, leafArb, { maxKeys: 3 }), objects).map(([leaves, nested]) => ({ ...leaves, ...nested }));
}
const treeArb = treeOf(3);

function hcl(tree: Tree, indent: string): string {
  const inner = `${indent}  `;
  const items = Object.entries(tree).map(
    ([k, v]) => `${inner}# about ${k}\n${inner}${k} = ${typeof v === 'object' ? hcl(v, inner) : JSON.stringify(v)} # ${k} here\n`,
  );
  return items.length === 0 ? '{}' : `{\n${items.join('')}${indent}}`;
}

/** Every leaf path of the tree. */
function pathsOf(tree: Tree, prefix: string[] = []): string[][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'object' ? pathsOf(v, [...prefix, k]) : [[...prefix, k]]));
}

function valueAt(tree: JsonValue | undefined, path: string[]): JsonValue | undefined {
  let at = tree;
  for (const k of path) at = at !== null && typeof at === 'object' && !Array.isArray(at) && Object.hasOwn(at, k) ? at[k] : undefined;
  return at;
}

function setAt(tree: Tree, path: string[], value: Tree | number | string): void {
  let at = tree;
  for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Tree;
  at[path.at(-1)!] = structuredClone(value);
}

function comments(text: string): string[] {
  const { tokens } = scan(text);
  const out: string[] = [];
  for (let i = 0; i < tokens.count; i++) if (tokens.kind(i) === T.Comment) out.push(text.slice(tokens.start(i), tokens.end(i)).trim());
  return out;
}

/** Whether `sub` appears in `all` in order (other items may come between). */
function inOrder(sub: string[], all: string[]): boolean {
  let i = 0;
  for (const item of all) if (item === sub[i]) i++;
  return i === sub.length;
}

describe('promotion of random leaf sets (property)', () => {
  it('sets exactly the syncable leaves in DST and keeps every other leaf and comment', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, fc.option(treeArb, { freq: 4 }), fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), async (src, dstTree, picks) => {
        const paths = pathsOf(src);
        fc.pre(paths.length > 0);
        const chosen = [...new Set(picks.map((p) => paths[p % paths.length]!.join('.')))].map((p) => p.split('.'));
        const srcText = `# source\nv = ${hcl(src, '')}\n`;
        // DST may not set v at all: it is then created from what DST sees (no default: {}).
        const dst = dstTree ?? {};
        const dstText = `# target head\nkeep = "x" # untouched\n${dstTree ? `v = ${hcl(dstTree, '')} # after v\n` : ''}# target tail\n`;
        const repo = repoOf({
          envs: { src: srcText, dst: dstText },
          config: { syncable: chosen.map((p) => ['v', ...p].join('.')), environmentSpecific: ['v', 'keep'] },
        });
        const plan = planPromotion(repo, { source: 'src', target: 'dst', shared: false });
        const [rewrite] = rewritePlan(plan, { date: '2000-01-01', source: 'src' });
        const after = rewrite!.after;
        const doc = parseTfvars(after);
        expect(doc.diagnostics).toEqual([]);

        // The expected tree: DST's, with each chosen leaf set to SRC's value (objects created on the way).
        const expected = structuredClone(dst);
        for (const path of chosen) setAt(expected, path, valueAt(src, path) as Tree);
        expect(doc.byName.get('v')!.value).toEqual(expected);
        expect(doc.byName.get('keep')!.value).toBe('x');
        // Every comment DST had is still there, in order; the official parser reads the same values.
        expect(inOrder(comments(dstText), comments(after))).toBe(true);
        expect(await officialValues('dst.tfvars', after)).toEqual({ keep: 'x', v: expected });
        // A second promotion finds nothing to do.
        const again = planPromotion(repoOf({ envs: { src: srcText, dst: after }, config: repo.config }), { source: 'src', target: 'dst', shared: false });
        expect(again.files.every((f) => f.changes.every((c) => c.op === 'noop'))).toBe(true);
      }),
      { numRuns: 80 },
    );
  });
});
