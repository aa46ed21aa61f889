import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInside, pathInside } from '../../src/model/path-inside.js';

const root = resolve('/repo');

describe('pathInside', () => {
  it('gives the relative path, with forward slashes, of what is strictly inside', () => {
    expect(pathInside(root, join(root, 'environments', 'prod.tfvars'))).toBe('environments/prod.tfvars');
    expect(pathInside(root, join(root, 'a', '..', 'b'))).toBe('b');
  });

  it('treats names that merely start with two dots as inside', () => {
    expect(pathInside(root, join(root, '..notes'))).toBe('..notes');
    expect(pathInside(root, join(root, '...'))).toBe('...');
    expect(isInside(root, join(root, 'environments', '..prod.tfvars'))).toBe(true);
  });

  it('treats the folder itself, its parent, siblings and other trees as not inside', () => {
    expect(pathInside(root, root)).toBeUndefined();
    expect(pathInside(root, resolve(root, '..'))).toBeUndefined();
    expect(pathInside(root, resolve(root, '..', 'repo-other', 'x.tfvars'))).toBeUndefined();
    expect(pathInside(root, resolve(root, '..', 'notes'))).toBeUndefined();
    expect(isInside(join(root, 'environments'), join(root, 'environments-old', 'a.tfvars'))).toBe(false);
  });

  it('agrees with walking the path segment by segment', () => {
    const segment = fc.constantFrom('a', 'b', '..', '.', '..x', 'x..', '...');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (segments) => {
        // Inside means never climbing above the root and ending at least one folder below it.
        let depth = 0;
        let escaped = false;
        for (const s of segments) {
          if (s === '..') depth -= 1;
          else if (s !== '.') depth += 1;
          if (depth < 0) escaped = true;
        }
        expect(isInside(root, resolve(root, ...segments))).toBe(!escaped && depth > 0);
      }),
    );
  });
});
