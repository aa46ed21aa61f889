import { describe, expect, it } from 'vitest';
import { diffEnvironments, hasSyncableDifferences } from '../../src/sync/diff.js';
import { sameValue } from '../../src/sync/value-equality.js';
import { repoOf } from '../helpers/repository.js';

const repo = repoOf({
  variables: 'variable "timeout" {\n  default = 60\n}\nvariable "domain" {}\n',
  shared: 'image = "v1"\n',
  envs: {
    a: 'image = "v2"\ndomain = "a.example"\nlist = ["x", "y"]\ntags = { b = 1, a = 2 }\nonly_a = 1\n',
    b: 'domain = "b.example"\nlist = [\n  "x",\n  "y",\n]\ntags = {\n  a = 2\n  b = 1\n}\ntimeout = 60\n',
    c: 'image = "v1"\ndomain = "a.example"\nlist = ["y", "x"]\n',
  },
  config: { syncable: ['image', 'list', 'timeout', 'tags'], environmentSpecific: ['domain'] },
});

const statuses = (envs: string[]) => Object.fromEntries(diffEnvironments(repo, envs).variables.map((v) => [v.name, v.status]));

describe('diffEnvironments', () => {
  it('gives each variable a status for two environments', () => {
    expect(statuses(['a', 'b'])).toEqual({
      domain: 'different',
      image: 'different',
      list: 'same',
      only_a: 'only-a',
      tags: 'same',
      timeout: 'same',
    });
    expect(statuses(['b', 'a'])).toMatchObject({ only_a: 'only-a' });
  });

  it('calls a variable set in the second environment only only-<second>', () => {
    expect(statuses(['c', 'a'])).toMatchObject({ only_a: 'only-a', tags: 'only-a' });
  });

  it('uses only same and different for three or more environments', () => {
    expect(statuses(['a', 'b', 'c'])).toEqual({
      domain: 'different',
      image: 'different',
      list: 'different',
      only_a: 'different',
      tags: 'different',
      timeout: 'same',
    });
  });

  it('carries every value with its origin, in the order the environments were given', () => {
    const diff = diffEnvironments(repo, ['b', 'a']);
    const image = diff.variables.find((v) => v.name === 'image')!;
    expect(Object.keys(image.values)).toEqual(['b', 'a']);
    expect(image.values['b']).toEqual({ value: 'v1', origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 1 }, required: false });
    const onlyA = diff.variables.find((v) => v.name === 'only_a')!;
    expect(onlyA.values['b']).toEqual({ value: undefined, origin: null, required: false });
  });

  it('groups the variables into the three sections with counts', () => {
    const diff = diffEnvironments(repo, ['a', 'b']);
    expect(diff.sections.map((s) => [s.name, s.differ, s.identical, s.variables.map((v) => v.name)])).toEqual([
      ['syncable', 1, 3, ['image', 'list', 'tags', 'timeout']],
      ['environment-specific', 1, 0, ['domain']],
      ['unclassified', 1, 0, ['only_a']],
    ]);
    expect(hasSyncableDifferences(diff)).toBe(true);
  });

  it('reports no syncable difference when only other sections differ', () => {
    const same = repoOf({ envs: { a: 'x = 1\nd = 1\n', b: 'x = 1\nd = 2\n' }, config: { syncable: ['x'], environmentSpecific: ['d'] } });
    expect(hasSyncableDifferences(diffEnvironments(same, ['a', 'b']))).toBe(false);
  });

  it('compares @shared like any environment', () => {
    expect(statuses(['@shared', 'c'])).toMatchObject({ image: 'same', domain: 'only-c', timeout: 'same' });
  });

  it('refuses fewer than two environments, a repeated one, and unknown ones', () => {
    expect(() => diffEnvironments(repo, ['a'])).toThrow(/at least two/);
    expect(() => diffEnvironments(repo, ['a', 'a'])).toThrow(/named twice/);
    expect(() => diffEnvironments(repo, ['a', 'bb', 'zzz'])).toThrow(/unknown environment "bb"/);
  });
});

describe('sameValue', () => {
  it.each([
    [1, 1, true],
    [1, '1', false],
    [null, null, true],
    [null, undefined, false],
    [undefined, undefined, true],
    [[1, 2], [1, 2], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: [1] }, { b: [1], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: 2 }, false],
    [{ a: undefined as never }, { b: 1 }, false],
    [[], {}, false],
    [{ a: { b: 'x' } }, { a: { b: 'y' } }, false],
  ])('%j vs %j', (a, b, expected) => {
    expect(sameValue(a, b)).toBe(expected);
    expect(sameValue(b, a)).toBe(expected);
  });
});
