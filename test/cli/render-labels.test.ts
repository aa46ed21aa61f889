/**
 * Widths and cutting a value to the room a line leaves for it: whole when it fits, else the first
 * width − 1 code points and `…`, never splitting a character outside the Basic Multilingual Plane.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cut, displayWidth } from '../../src/cli/render/labels.js';

describe('displayWidth', () => {
  it('counts code points as a string iterator does, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('\ud83d', '\ude00', '😀', 'é', 'a')), maxLength: 30 }), (text) => {
        expect(displayWidth(text)).toBe([...text].length);
      }),
    );
  });
});

describe('cut', () => {
  it('keeps a text that fits and cuts one that does not, by code points', () => {
    expect(cut('abc', 3)).toBe('abc');
    expect(cut('abcd', 3)).toBe('ab…');
    expect(cut('a😀b😀c', 4)).toBe('a😀b…');
    expect(cut('😀😀😀', 3)).toBe('😀😀😀');
    expect(cut('abc', 0)).toBe('…');
    expect(cut('', 0)).toBe('');
    expect(cut('abc', Infinity)).toBe('abc');
  });

  it('is the longest prefix within width − 1 code points, then …, for any text and width', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 0, max: 50 }), (text, width) => {
        const points = [...text];
        const expected = points.length <= width ? text : `${points.slice(0, Math.max(0, width - 1)).join('')}…`;
        const out = cut(text, width);
        expect(out).toBe(expected);
        if (points.length > width) expect(displayWidth(out)).toBe(Math.max(width, 1));
      }),
    );
  });
});
