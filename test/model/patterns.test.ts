import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePattern, isExactPattern, matches, matchesAny, matchingPatterns } from '../../src/model/patterns.js';

/** The obvious, slow definition: `*` any run, `?` one code point, everything else itself. */
function naiveMatch(pattern: readonly string[], name: readonly string[]): boolean {
  if (pattern.length === 0) return name.length === 0;
  const [head, ...tail] = pattern;
  if (head === '*') return naiveMatch(tail, name) || (name.length > 0 && naiveMatch(pattern, name.slice(1)));
  if (name.length === 0) return false;
  return (head === '?' || head === name[0]) && naiveMatch(tail, name.slice(1));
}

// Regex metacharacters, a path separator, a dash and a character outside the BMP: everything a
// careless translation to RegExp would get wrong.
const alphabet = ['a', 'b', '_', '.', '\\', '(', ')', '[', ']', '^', '$', '|', '+', '{', '}', '-', '/', '\n', '😀'];
const char = fc.constantFrom(...alphabet);
const patternChar = fc.oneof({ arbitrary: char, weight: 4 }, { arbitrary: fc.constantFrom('*', '?'), weight: 1 });
const pattern = fc.array(patternChar, { maxLength: 8 });
const name = fc.array(char, { maxLength: 10 });

describe('matches', () => {
  it('treats * as any run and ? as one character', () => {
    expect(matches('singleuser_image_*', 'singleuser_image_tag')).toBe(true);
    expect(matches('singleuser_image_*', 'singleuser_image_')).toBe(true);
    expect(matches('singleuser_image_*', 'singleuser_imag')).toBe(false);
    expect(matches('*_node_*_size', 'core_node_max_size')).toBe(true);
    expect(matches('*_node_*_size', 'core_node_size')).toBe(false);
    expect(matches('dask_worker_?', 'dask_worker_a')).toBe(true);
    expect(matches('dask_worker_?', 'dask_worker_ab')).toBe(false);
    expect(matches('dask_worker_?', 'dask_worker_')).toBe(false);
  });

  it('anchors at both ends', () => {
    expect(matches('image', 'singleuser_image_tag')).toBe(false);
    expect(matches('image*', 'singleuser_image')).toBe(false);
    expect(matches('*image', 'image_tag')).toBe(false);
  });

  it('takes regex metacharacters literally', () => {
    expect(matches('a.b', 'a.b')).toBe(true);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('a+', 'aa')).toBe(false);
    expect(matches('(x|y)', 'x')).toBe(false);
    expect(matches('(x|y)', '(x|y)')).toBe(true);
    expect(matches('[ab]*', 'a_tag')).toBe(false);
    expect(matches('a-b*', 'a-b-c')).toBe(true);
    expect(matches('^$', '^$')).toBe(true);
  });

  it('matches ? against one character even outside the BMP', () => {
    expect(matches('x?y', 'x😀y')).toBe(true);
  });

  it('agrees with a naive matcher on arbitrary patterns and names', () => {
    fc.assert(
      fc.property(pattern, name, (p, n) => {
        expect(matches(p.join(''), n.join(''))).toBe(naiveMatch(p, n));
      }),
      { numRuns: 2000 },
    );
  });

  it('matches every name made by filling in a pattern', () => {
    const instance = pattern.chain((p) =>
      fc
        .tuple(...p.map((c) => (c === '*' ? fc.array(char, { maxLength: 3 }).map((cs) => cs.join('')) : c === '?' ? char : fc.constant(c))))
        .map((parts) => ({ p: p.join(''), n: parts.join('') })),
    );
    fc.assert(
      fc.property(instance, ({ p, n }) => {
        expect(matches(p, n)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('compilePattern', () => {
  it('marks patterns without wildcards as exact', () => {
    expect(compilePattern('region').exact).toBe(true);
    expect(compilePattern('region_*').exact).toBe(false);
    expect(compilePattern('region_?').exact).toBe(false);
    expect(isExactPattern('a.b')).toBe(true);
  });

  it('compiles a pattern once', () => {
    expect(compilePattern('dask_*')).toBe(compilePattern('dask_*'));
  });

  it('does not blow up on many stars', () => {
    const start = performance.now();
    expect(matches('*a*a*a*a*a*a*a*b', 'a'.repeat(5000))).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('pattern lists', () => {
  it('reports which patterns match, in order', () => {
    expect(matchingPatterns(['dask_*', 'x', '*_size', '*'], 'dask_worker_size')).toEqual(['dask_*', '*_size', '*']);
    expect(matchesAny(['a', 'b*'], 'bee')).toBe(true);
    expect(matchesAny(['a', 'b*'], 'cee')).toBe(false);
    expect(matchesAny([], 'a')).toBe(false);
  });
});
