import { describe, expect, it } from 'vitest';
import { addIgnorePatterns, IGNORE_COMMENT, IGNORE_PATTERNS } from '../../src/model/gitignore.js';

describe('addIgnorePatterns', () => {
  it('creates the file: a comment, then every pattern', () => {
    expect(addIgnorePatterns(undefined)).toEqual({ text: `${[IGNORE_COMMENT, ...IGNORE_PATTERNS].join('\n')}\n`, added: [...IGNORE_PATTERNS] });
    expect(IGNORE_PATTERNS).toContain('*.tfvars.bak');
    expect(IGNORE_PATTERNS).toContain('tfsync.json.bak');
  });

  it('keeps every existing line and appends after a blank line, with or without a final newline', () => {
    const withNewline = addIgnorePatterns('node_modules/\n# mine\n');
    expect(withNewline.text!.startsWith('node_modules/\n# mine\n\n# tfsync:')).toBe(true);
    const without = addIgnorePatterns('node_modules/');
    expect(without.text!.startsWith('node_modules/\n\n# tfsync:')).toBe(true);
  });

  it('never repeats a line: a second run adds nothing', () => {
    const once = addIgnorePatterns('.terraform/\n').text!;
    expect(addIgnorePatterns(once)).toEqual({ text: undefined, added: [] });
  });

  it('counts a broader pattern as present (*.bak covers the backups), and adds only what is missing', () => {
    const update = addIgnorePatterns('*.bak\n/*.tfsync.lock\n');
    expect(update.added).toEqual(['.*.tfsync-tmp-*', '.*.tfsync-prev-*']);
    expect(update.text).toBe(`*.bak\n/*.tfsync.lock\n\n${IGNORE_COMMENT}\n.*.tfsync-tmp-*\n.*.tfsync-prev-*\n`);
  });

  it('does not trust a broad pattern when a ! line re-includes files: the exact lines are added', () => {
    expect(addIgnorePatterns('*.bak\n!keep.bak\n').added).toEqual([...IGNORE_PATTERNS]);
  });

  it('writes in the file\'s own line ending', () => {
    const update = addIgnorePatterns('a\r\nb\r\n');
    expect(update.text!.startsWith('a\r\nb\r\n\r\n# tfsync:')).toBe(true);
    expect(update.text!.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
