import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { renderDiffJson } from '../../src/cli/render/json.js';
import { renderDiffText } from '../../src/cli/render/diff-text.js';
import { formatKeyPath } from '../../src/hcl/key-path.js';
import { diffEnvironments } from '../../src/sync/diff.js';
import { leafDifferences } from '../../src/sync/leaf-diff.js';
import { repoOf } from '../helpers/repository.js';

/** A `tags` map of 40 entries, each on its own line with a comment, `Environment` set to `env`. */
function tagsFile(env: string, extra = ''): string {
  const lines = Array.from({ length: 39 }, (_, i) => `  # tag ${i}\n  key_${String(i).padStart(2, '0')} = "value-${i}"`);
  return `tags = {\n${lines.join('\n')}\n  Environment = "${env}" # differs\n${extra}}\n`;
}

const plain = { colors: createColors(false), showSensitive: false, all: false };

describe('leafDifferences', () => {
  it('names only the leaves that differ, with their full paths', () => {
    const a = { tags: { a: 1, b: { c: [1, 2], d: 'x' } }, list: [1, 2] };
    const b = { tags: { a: 1, b: { c: [1, 3], d: 'x', e: true } }, list: [1, 2, 3] };
    const leaves = leafDifferences('v', [a, b], ['stg', 'prod']);
    expect(leaves.map((l) => [formatKeyPath(l.path), l.status, l.values])).toEqual([
      ['v.tags.b.c[1]', 'different', [2, 3]],
      ['v.tags.b.e', 'only-prod', [undefined, true]],
      ['v.list', 'different', [[1, 2], [1, 2, 3]]],
    ]);
  });

  it('quotes keys that are not identifiers', () => {
    const leaves = leafDifferences('tags', [{ 'cost center': 1 }, { 'cost center': 2 }], ['a', 'b']);
    expect(leaves.map((l) => formatKeyPath(l.path))).toEqual(['tags."cost center"']);
  });

  it('finds nothing in equal values', () => {
    expect(leafDifferences('x', [{ a: [1] }, { a: [1] }], ['a', 'b'])).toEqual([]);
  });
});

describe('diff of two 40-entry maps that differ in one leaf', () => {
  const repo = repoOf({
    variables: 'variable "tags" {\n  type = map(string)\n}\n',
    config: { syncable: ['tags'] },
    envs: { stg: tagsFile('stg'), prod: tagsFile('prod') },
  });
  const diff = diffEnvironments(repo, ['stg', 'prod']);

  it('prints that leaf alone', () => {
    const text = renderDiffText(diff, plain);
    const section = text.slice(text.indexOf('Syncable'), text.indexOf('\n\n', text.indexOf('Syncable')));
    expect(section).toBe(['Syncable (1 differ, 0 identical)', '  tags.Environment', '    stg:  "stg"', '    prod: "prod"'].join('\n'));
    expect(text).not.toContain('key_01');
  });

  it('adds paths to --json beside the whole values', () => {
    const doc = JSON.parse(renderDiffJson(diff, { showSensitive: false, all: false }));
    const [tags] = doc.variables;
    expect(tags.paths).toEqual([{ path: 'tags.Environment', status: 'different', values: { stg: 'stg', prod: 'prod' } }]);
    expect(Object.keys(tags.values.stg.value)).toHaveLength(40);
  });

  it('cuts long leaf values to the width, and --full shows them whole', () => {
    const long = 'x'.repeat(300);
    const wide = repoOf({
      config: { syncable: ['tags'] },
      envs: { stg: tagsFile('stg', `  note = "${long}"\n`), prod: tagsFile('stg', '  note = "short"\n') },
    });
    const d = diffEnvironments(wide, ['stg', 'prod']);
    const cut = renderDiffText(d, { ...plain, width: 80 });
    expect(cut).toContain('  tags.note\n');
    expect(cut.split('\n').every((line) => line.length <= 80)).toBe(true);
    expect(cut).toContain('…');
    expect(renderDiffText(d, { ...plain, width: 80, full: true })).toContain(long);
  });

  it('masks the leaves of a sensitive variable', () => {
    const secret = repoOf({
      config: { syncable: ['tags'], sensitive: ['tags'] },
      envs: { stg: tagsFile('stg'), prod: tagsFile('prod') },
    });
    const d = diffEnvironments(secret, ['stg', 'prod']);
    const text = renderDiffText(d, plain);
    expect(text).toContain('  tags.Environment\n    stg:  (sensitive)\n');
    expect(text).not.toContain('"prod"');
    const json = renderDiffJson(d, { showSensitive: false, all: false });
    expect(json).not.toContain('"prod": "prod"');
    expect(json).not.toContain('value-1');
  });
});
