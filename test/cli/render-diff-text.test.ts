import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { renderDiffText } from '../../src/cli/render/diff-text.js';
import { diffEnvironments } from '../../src/sync/diff.js';
import { fixtureRepo, SECRET } from '../helpers/render-fixture.js';

const plain = { colors: createColors(false), showSensitive: false, all: false };
const diffOf = (...envs: string[]) => diffEnvironments(fixtureRepo(), envs);

describe('renderDiffText, two environments', () => {
  it('prints sections, blocks for syncable differences and one line for the others', () => {
    expect(renderDiffText(diffOf('test', 'prod'), plain)).toBe(
      [
        'Comparing test → prod',
        '',
        'Syncable (2 differ, 0 identical)',
        '  image',
        '    test: "v1" (shared)',
        '    prod: "v2"',
        '  workers',
        '    test: 4',
        '    prod: 2 (default)',
        '',
        'Environment-specific (3 differ, 0 identical)  never synced',
        '  domain    "test.example" → "prod.example"',
        '  password  (sensitive) → (sensitive)',
        '  zones',
        '    test: [] (default)',
        '    prod:',
        '      [',
        '        "us-west-2a",',
        '        "us-west-2b",',
        '        "us-west-2c",',
        '        "us-west-2d",',
        '        "us-west-2e",',
        '      ]',
        '',
        'Unclassified (1 differ, 0 identical)  in neither list of tfsync.json; never synced',
        '  odd  (not set) → "a|b"',
        '',
        '2 syncable variables differ; `tfsync promote test prod` makes prod match test.',
        '',
      ].join('\n'),
    );
  });

  it('shows identical variables only with --all', () => {
    const diff = diffOf('test', 'dev');
    expect(diff.sections.map((s) => s.identical)).toEqual([1, 2, 0]);
    const short = renderDiffText(diff, plain);
    expect(short).not.toContain('domain');
    expect(short).toContain('3 identical variables not shown (--all shows them).');
    const all = renderDiffText(diff, { ...plain, all: true });
    expect(all).toContain('  image  "v1" (shared) (same)\n  workers\n    test: 4\n    dev:  2\n');
    expect(all).toContain('  domain    "test.example" (same)\n  password  (sensitive) → (required, not set)\n  zones     [] (default) (same)\n');
  });

  it('says when nothing syncable differs, and marks required values that are missing', () => {
    const text = renderDiffText(diffOf('dev', '@shared'), plain);
    expect(text).toContain('Comparing dev → @shared');
    expect(text).toContain('Syncable (0 differ, 2 identical)\n\nEnvironment-specific (1 differ, 2 identical)  never synced\n  domain  "test.example" → (required, not set)\n');
    expect(text).toContain('dev and @shared are in step: no syncable variable differs.');
  });

  it('shows the secret only with showSensitive', () => {
    expect(renderDiffText(diffOf('test', 'prod'), { ...plain, all: true })).not.toContain(SECRET);
    expect(renderDiffText(diffOf('test', 'prod'), { ...plain, showSensitive: true })).toContain(`"${SECRET}"`);
  });

  it('colours only when asked', () => {
    const coloured = renderDiffText(diffOf('test', 'prod'), { ...plain, colors: createColors(true) });
    expect(coloured).toContain('\u001b[2m(shared)\u001b[22m');
    expect(renderDiffText(diffOf('test', 'prod'), plain)).not.toContain('\u001b');
  });
});

describe('renderDiffText, three environments', () => {
  it('prints a matrix of the differing variables, and values cut short there whole under it', () => {
    const text = renderDiffText(diffOf('dev', 'test', 'prod'), plain);
    expect(text).toContain(
      [
        'Syncable (2 differ, 0 identical)',
        '  variable  dev            test           prod',
        '  image     "v1" (shared)  "v1" (shared)  "v2"',
        '  workers   2              4              2 (default)',
        '',
        'Environment-specific (3 differ, 0 identical)  never synced',
        '  variable  dev                  test            prod',
        '  domain    "test.example"       "test.example"  "prod.example"',
        '  password  (required, not set)  (sensitive)     (sensitive)',
        '  zones     [] (default)         [] (default)    ["us-west-2a", "us-west-2b", "u…',
        '',
        '  zones',
        '    dev:  [] (default)',
        '    test: [] (default)',
        '    prod:',
        '      [',
      ].join('\n'),
    );
    expect(text).toContain('2 syncable variables differ across dev, test and prod.');
    expect(text).not.toContain(SECRET);
  });
});
