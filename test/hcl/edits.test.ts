import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../src/hcl/edits.js';

describe('applyEdits', () => {
  const text = 'a = 1\nb = 2\nc = 3\n';

  it('returns the text unchanged for no edits', () => {
    expect(applyEdits(text, [])).toBe(text);
  });

  it('applies replacements, insertions and deletions given in any order', () => {
    const edits = [
      { offset: 16, length: 1, text: '30' },
      { offset: 0, length: 0, text: '# top\n' },
      { offset: 6, length: 6, text: '' },
    ];
    expect(applyEdits(text, edits)).toBe('# top\na = 1\nc = 30\n');
  });

  it('keeps the given order of insertions at one offset', () => {
    const edits = [
      { offset: 18, length: 0, text: 'd = 4\n' },
      { offset: 18, length: 0, text: 'e = 5\n' },
      { offset: 18, length: 0, text: 'f = 6\n' },
    ];
    expect(applyEdits(text, edits)).toBe(`${text}d = 4\ne = 5\nf = 6\n`);
  });

  it('puts an insertion at the start of a replacement before the replaced text', () => {
    const edits = [
      { offset: 4, length: 1, text: '10' },
      { offset: 4, length: 0, text: '/* x */ ' },
    ];
    expect(applyEdits(text, edits)).toBe('a = /* x */ 10\nb = 2\nc = 3\n');
  });

  it('allows an edit that starts where the previous one ends', () => {
    const edits = [
      { offset: 0, length: 5, text: 'a = 9' },
      { offset: 5, length: 1, text: ' # nine\n' },
    ];
    expect(applyEdits(text, edits)).toBe('a = 9 # nine\nb = 2\nc = 3\n');
  });

  it('rejects overlapping replacements', () => {
    expect(() =>
      applyEdits(text, [
        { offset: 0, length: 5, text: 'x' },
        { offset: 4, length: 3, text: 'y' },
      ]),
    ).toThrow(/overlapping edits/);
  });

  it('rejects two replacements of the same span', () => {
    expect(() =>
      applyEdits(text, [
        { offset: 4, length: 1, text: 'x' },
        { offset: 4, length: 1, text: 'y' },
      ]),
    ).toThrow(/overlapping edits/);
  });

  it('rejects an insertion inside a replaced span', () => {
    expect(() =>
      applyEdits(text, [
        { offset: 0, length: 5, text: 'x' },
        { offset: 2, length: 0, text: 'y' },
      ]),
    ).toThrow(/overlapping edits/);
  });

  it('rejects edits outside the text', () => {
    expect(() => applyEdits(text, [{ offset: 17, length: 5, text: '' }])).toThrow(/out of range/);
    expect(() => applyEdits(text, [{ offset: -1, length: 0, text: '' }])).toThrow(/out of range/);
    expect(() => applyEdits(text, [{ offset: 1.5, length: 0, text: '' }])).toThrow(/out of range/);
  });

  it('does not change the edits it is given', () => {
    const edits = [
      { offset: 6, length: 0, text: 'x' },
      { offset: 0, length: 0, text: 'y' },
    ];
    const copy = structuredClone(edits);
    applyEdits(text, edits);
    expect(edits).toEqual(copy);
  });
});
