/**
 * LineCounter finds line feeds with indexOf and merges in the rare lone carriage returns; it must
 * give the same line starts as the definition: after every LF, and after every CR not followed by
 * an LF.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter } from '../../src/hcl/line-counter.js';

function lineStartsByDefinition(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) starts.push(i + 1);
  }
  return starts;
}

describe('LineCounter', () => {
  it('starts a line after every LF and every lone CR', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '\n', '\r', '\r\n', ' '), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(new LineCounter(text).lineStarts).toEqual(lineStartsByDefinition(text));
      }),
      { numRuns: 500 },
    );
  });

  it('gives lines and columns across mixed line endings', () => {
    const lines = new LineCounter('a\rb\r\nc\nd');
    expect([0, 2, 5, 7].map((o) => lines.position(o))).toEqual([
      { line: 1, col: 1 },
      { line: 2, col: 1 },
      { line: 3, col: 1 },
      { line: 4, col: 1 },
    ]);
    expect(lines.lineText(2)).toBe('b');
  });
});
