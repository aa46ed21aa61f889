import { describe, expect, it } from 'vitest';
import { closestName, didYouMean, editDistance, listNames } from '../../src/model/suggest.js';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('', '')).toBe(0);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('prod', 'prod')).toBe(0);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('prdo', 'prod')).toBe(1);
    expect(editDistance('ab', 'ba')).toBe(1);
  });

  it('is symmetric', () => {
    for (const [a, b] of [['staging', 'stagign'], ['dev', 'prod'], ['images', 'imgaes'], ['a', 'xyz']] as const) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });
});

describe('closestName', () => {
  const environments = ['dev', 'prod', 'staging', '@shared'];

  it('suggests the name one slip away', () => {
    expect(closestName('prdo', environments)).toBe('prod');
    expect(closestName('stagin', environments)).toBe('staging');
    expect(closestName('shared', environments)).toBe('@shared');
    expect(closestName('imgaes', ['dask', 'images'])).toBe('images');
  });

  it('ignores case but returns the name as spelled', () => {
    expect(closestName('PROD', environments)).toBe('prod');
    expect(closestName('Staging', environments)).toBe('staging');
  });

  it('suggests nothing when no name is close', () => {
    expect(closestName('production-eu', environments)).toBeUndefined();
    expect(closestName('qa', environments)).toBeUndefined();
    expect(closestName('x', ['y', 'z'])).toBeUndefined();
    expect(closestName('dev', [])).toBeUndefined();
  });

  it('prefers the closest, then the earliest', () => {
    expect(closestName('test1', ['test12', 'test1x', 'tset1'])).toBe('test12');
    expect(closestName('node_size', ['node_sizes', 'node_size_'])).toBe('node_sizes');
    expect(closestName('kernel_cull_timout', ['kernel_cull', 'kernel_cull_timeout'])).toBe('kernel_cull_timeout');
  });
});

describe('didYouMean and listNames', () => {
  it('phrases the hint', () => {
    expect(didYouMean('prdo', ['prod'])).toBe('did you mean "prod"?');
    expect(didYouMean('zzz', ['prod'])).toBeUndefined();
  });

  it('lists names, shortening long lists', () => {
    expect(listNames([])).toBe('(none)');
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(['a', 'b', 'c', 'd'], 2)).toBe('a, b and 2 more');
  });
});
