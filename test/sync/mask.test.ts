import { describe, expect, it } from 'vitest';
import { isMasked, maskValue, SENSITIVE } from '../../src/sync/mask.js';

describe('maskValue', () => {
  it('hides a sensitive value unless asked to show it', () => {
    expect(maskValue('hunter2', true, false)).toBe(SENSITIVE);
    expect(maskValue({ nested: 'x' }, true, false)).toBe(SENSITIVE);
    expect(maskValue(null, true, false)).toBe(SENSITIVE);
    expect(maskValue('hunter2', true, true)).toBe('hunter2');
    expect(maskValue('plain', false, false)).toBe('plain');
  });

  it('keeps "no value" visible', () => {
    expect(maskValue(undefined, true, false)).toBeUndefined();
  });

  it('writes the marker as "(sensitive)" in JSON, and tells it from a real string', () => {
    expect(JSON.stringify({ value: SENSITIVE })).toBe('{"value":"(sensitive)"}');
    expect(isMasked(SENSITIVE)).toBe(true);
    expect(isMasked('(sensitive)')).toBe(false);
  });
});
