import { describe, expect, it } from 'vitest';
import { code, renderDiffMarkdown } from '../../src/cli/render/diff-markdown.js';
import { diffEnvironments } from '../../src/sync/diff.js';
import { repoOf } from '../helpers/repository.js';
import { fixtureRepo, SECRET } from '../helpers/render-fixture.js';

describe('renderDiffMarkdown', () => {
  it('writes a table per section, folding the sections that are never synced', () => {
    const md = renderDiffMarkdown(diffEnvironments(fixtureRepo(), ['test', 'prod']), { showSensitive: false, all: false });
    expect(md).toBe(
      [
        '### `tfsync diff test prod`',
        '',
        '**Syncable** (2 differ, 0 identical)',
        '',
        '| Variable | `test` | `prod` |',
        '| --- | --- | --- |',
        '| `image` | `"v1"` _(shared)_ | `"v2"` |',
        '| `workers` | `4` | `2` _(default)_ |',
        '',
        '<details>',
        '<summary><b>Environment-specific</b> (3 differ, 0 identical) — never synced</summary>',
        '',
        '| Variable | `test` | `prod` |',
        '| --- | --- | --- |',
        '| `domain` | `"test.example"` | `"prod.example"` |',
        '| `password` | _(sensitive)_ | _(sensitive)_ |',
        '| `zones` | `[]` _(default)_ | `["us-west-2a", "us-west-2b", "us-west-2c", "us-west-2d", "us-west-2e"]` |',
        '',
        '</details>',
        '',
        '<details>',
        '<summary><b>Unclassified</b> (1 differ, 0 identical) — in neither list of tfsync.json; never synced</summary>',
        '',
        '| Variable | `test` | `prod` |',
        '| --- | --- | --- |',
        '| `odd` | _(not set)_ | `"a\\|b"` |',
        '',
        '</details>',
        '',
      ].join('\n'),
    );
    expect(md).not.toContain(SECRET);
  });

  it('says so when a section has no differences', () => {
    const repo = repoOf({ envs: { a: 'x = 1\n', b: 'x = 1\n' }, config: { syncable: ['x'] } });
    const md = renderDiffMarkdown(diffEnvironments(repo, ['a', 'b']), { showSensitive: false, all: false });
    expect(md).toContain('**Syncable** (0 differ, 1 identical)\n\n_No differences._\n');
  });

  it('keeps every row one line with exactly the table pipes, whatever the values hold', () => {
    const repo = repoOf({ envs: { a: 'x = "a|b`c"\ny = "${[for s in ["|"] :\n  s][0]}"\n', b: 'x = 1\ny = 2\n' }, config: { syncable: ['x', 'y'] } });
    const md = renderDiffMarkdown(diffEnvironments(repo, ['a', 'b']), { showSensitive: false, all: false });
    const rows = md.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toEqual(['| `x` | ``"a\\|b`c"`` | `1` |', '| `y` | `[for s in ["\\|"] : s][0]` | `2` |']);
  });

  it('shows the secret with showSensitive', () => {
    const md = renderDiffMarkdown(diffEnvironments(fixtureRepo(), ['test', 'prod']), { showSensitive: true, all: false });
    expect(md).toContain(`\`"${SECRET}"\``);
  });
});

describe('code', () => {
  it.each([
    ['x', '`x`'],
    ['a`b', '``a`b``'],
    ['`a', '`` `a ``'],
    ['a``b`', '``` a``b` ```'],
  ])('%s → %s', (text, expected) => {
    expect(code(text)).toBe(expected);
  });
});
