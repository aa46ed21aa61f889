import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/hcl/edits.js';
import { formatKeyPath, parseKeyPath, patternCovers } from '../../src/hcl/key-path.js';
import { setPathEdits } from '../../src/hcl/path-edits.js';
import { readPath } from '../../src/hcl/path-locate.js';
import { parseTfvars } from '../../src/hcl/tfvars.js';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { officialValues } from '../../src/io/official-parser.js';

const set = (text: string, path: string, exprText: string, value: JsonValue = null, json = false) =>
  applyEdits(text, setPathEdits(parseTfvars(text, { json }), parseKeyPath(path), { exprText, value }));

describe('key path grammar', () => {
  it('reads names, quoted keys, indexes and globs, and writes them back', () => {
    expect(parseKeyPath('tags."cost center"[0].x')).toEqual({
      name: 'tags',
      parts: [{ kind: 'key', key: 'cost center' }, { kind: 'index', index: 0 }, { kind: 'key', key: 'x' }],
    });
    expect(formatKeyPath(parseKeyPath('tags."cost center"[0].x'))).toBe('tags."cost center"[0].x');
    expect(() => parseKeyPath('tags.*')).toThrow(/only in tfsync.json patterns/);
    expect(() => parseKeyPath('tags..x')).toThrow(/column 6/);
    expect(() => parseKeyPath('a[x]')).toThrow(/expected an index/);
    const glob = parseKeyPath('node_pools.*.image', { globs: true });
    expect(patternCovers(glob, parseKeyPath('node_pools.a.image'))).toBe(true);
    expect(patternCovers(glob, parseKeyPath('node_pools.a.size'))).toBe(false);
    expect(patternCovers(parseKeyPath('tags'), parseKeyPath('tags.x'))).toBe(true);
  });
});

describe('set at a key path', () => {
  const text = 'tags = {\n  # who\n  Environment = "stg" # env\n  Team        = "core"\n}\nlist = [1, { a = 2 }]\n';

  it('replaces only the value bytes, keeping comments and alignment', () => {
    expect(set(text, 'tags.Environment', '"prod"')).toBe(text.replace('"stg"', '"prod"'));
    expect(set(text, 'list[1].a', '3')).toBe(text.replace('a = 2', 'a = 3'));
  });

  it('inserts a new key at the end of its object, aligned like its siblings', () => {
    expect(set(text, 'tags.Owner', '"me"')).toBe(text.replace('  Team        = "core"\n', '  Team        = "core"\n  Owner       = "me"\n'));
    expect(set('o = { a = 1 }\n', 'o."b c"', '2')).toBe('o = { a = 1, "b c" = 2 }\n');
    expect(set('o = {}\n', 'o.b', '2')).toBe('o = { b = 2 }\n');
  });

  it('fails at the first part that does not exist, unless creating parents', () => {
    expect(() => set(text, 'tags.x.y', '1')).toThrow(/tags has no key x \(in tags\.x\.y\)/);
    expect(() => set(text, 'list[5]', '1')).toThrow(/list has no \[5\]/);
    const doc = parseTfvars(text);
    const created = applyEdits(text, setPathEdits(doc, parseKeyPath('tags.x.y'), { exprText: '1', value: 1 }, { createParents: true }));
    expect(parseTfvars(created).byName.get('tags')!.value).toMatchObject({ x: { y: 1 } });
  });

  it('edits .tfvars.json files the same way', () => {
    const json = '{\n  "tags": {\n    "a": 1\n  }\n}\n';
    expect(set(json, 'tags.a', '', 2, true)).toBe(json.replace('"a": 1', '"a": 2'));
    expect(set(json, 'tags.b', '', 'x', true)).toBe(json.replace('"a": 1', '"a": 1,\n    "b": "x"'));
  });

  it('reads back what it wrote, with an error at file:line:col for a missing part', () => {
    const doc = parseTfvars(text);
    expect(readPath(doc, parseKeyPath('tags.Team'), 'f.tfvars')).toEqual({ value: 'core', source: '"core"' });
    try {
      readPath(doc, parseKeyPath('tags.Nope'), 'f.tfvars');
      expect.unreachable();
    } catch (err) {
      expect((err as { location?: { range: { start: number } } }).location?.range.start).toBe(text.indexOf('{'));
    }
  });
});

/** Random nested objects written as multi-line HCL, each item with a comment. */
type Tree = { [key: string]: Tree | number | string };
const keyArb = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((k) => !['null', 'true', 'false'].includes(k));
const leafArb = fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.stringMatching(/^[a-z ]{0,8}$/));
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.dictionary(keyArb, fc.oneof({ depthSize: 'small' }, leafArb, tie('tree')), { minKeys: 1, maxKeys: 4 }),
})).tree;

function hcl(tree: Tree, indent: string): string {
  const inner = `${indent}  `;
  const items = Object.entries(tree).map(
    ([k, v]) => `${inner}# about ${k}\n${inner}${k} = ${typeof v === 'object' ? hcl(v, inner) : JSON.stringify(v)} # ${k} here\n`,
  );
  return `{\n${items.join('')}${indent}}`;
}

/** Every path of the tree (leaves and objects), and one new key under each object. */
function pathsOf(tree: Tree, prefix: string[] = []): string[][] {
  return Object.entries(tree).flatMap(([k, v]) => [[...prefix, k], ...(typeof v === 'object' ? pathsOf(v, [...prefix, k]) : [])]);
}

describe('set at random key paths (property)', () => {
  it('changes only that entry or inserts one item; the result parses to the expected tree and reads back', async () => {
    await fc.assert(
      fc.asyncProperty(treeArb, fc.nat(), fc.boolean(), leafArb, async (tree, pick, insert, leaf) => {
        const text = `# head\nv = ${hcl(tree, '')}\nafter = 1 # tail\n`;
        const paths = pathsOf(tree);
        const chosen = paths[pick % paths.length]!;
        const parts = insert ? [...chosen.slice(0, -1), 'zz_new'] : chosen;
        const pathText = ['v', ...parts].join('.');
        const exprText = JSON.stringify(leaf);
        const edits = setPathEdits(parseTfvars(text), parseKeyPath(pathText), { exprText, value: leaf });
        expect(edits).toHaveLength(1);
        const after = applyEdits(text, edits);
        const doc = parseTfvars(after);
        expect(doc.diagnostics).toEqual([]);
        const expected = structuredClone(tree) as Tree;
        let at = expected;
        for (const k of parts.slice(0, -1)) at = at[k] as Tree;
        const existed = Object.hasOwn(at, parts.at(-1)!);
        at[parts.at(-1)!] = leaf;
        expect(doc.byName.get('v')!.value).toEqual(expected);
        expect(readPath(doc, parseKeyPath(pathText), 'f').value).toEqual(leaf);
        // Every byte outside the edit is as it was: the comments too.
        const [edit] = edits;
        expect(after.slice(0, edit!.offset)).toBe(text.slice(0, edit!.offset));
        expect(after.slice(edit!.offset + edit!.text.length)).toBe(text.slice(edit!.offset + edit!.length));
        if (!existed) expect(edit!.length).toBe(0);
        // The official parser agrees on the values.
        expect((await officialValues('f.tfvars', after))['v']).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
