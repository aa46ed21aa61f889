import { describe, expect, it } from 'vitest';
import { classAt, classifiedUnits, classify, leafSensitive, syncsAnyPart, type ClassifyConfig } from '../../src/model/classify.js';
import { formatKeyPath, parseKeyPath } from '../../src/hcl/key-path.js';
import { parsePathPattern } from '../../src/model/path-rules.js';
import { loadConfig } from '../../src/model/config.js';
import { TfsyncError } from '../../src/errors.js';

const base: ClassifyConfig = { syncable: [], environmentSpecific: [], sensitive: [], groups: {} };

function one(name: string, config: Partial<ClassifyConfig>) {
  return classify([name], { ...base, ...config }).get(name)!;
}

const at = (path: string) => parseKeyPath(path).parts;

describe('classification on key paths', () => {
  it('tags.* syncable with tags.Environment as an exception: the exact key wins over the glob', () => {
    const c = one('tags', { syncable: ['tags.*'], environmentSpecific: ['tags.Environment'] });
    expect(c.class).toBe('unclassified');
    expect(syncsAnyPart(c)).toBe(true);
    expect(classAt(c, at('tags.Team'))).toBe('syncable');
    expect(classAt(c, at('tags.Environment'))).toBe('environment-specific');
    expect(classAt(c, [])).toBe('unclassified');
  });

  it('a longer entry beats a shorter one, whichever list it is in', () => {
    const c = one('node_pools', { environmentSpecific: ['node_pools'], syncable: ['node_pools.*.image'] });
    expect(c.class).toBe('environment-specific');
    expect(classAt(c, at('node_pools.gpu.image'))).toBe('syncable');
    expect(classAt(c, at('node_pools.gpu.image.tag'))).toBe('syncable');
    expect(classAt(c, at('node_pools.gpu.size'))).toBe('environment-specific');
    // A whole-variable glob is one wildcard: an exact name beats it at the same length.
    const d = one('node_pools', { syncable: ['*_pools.*.image'], environmentSpecific: ['node_pools.*.image'] });
    expect(classAt(d, at('node_pools.a.image'))).toBe('environment-specific');
    expect(d.class).not.toBe('conflict');
  });

  it('entries of both lists that tie and can meet are a conflict', () => {
    const c = one('a', { syncable: ['a.*.c'], environmentSpecific: ['a.b.*'] });
    expect(c.class).toBe('conflict');
    expect(c.conflict).toEqual({ syncable: ['a.*.c'], environmentSpecific: ['a.b.*'] });
    // Ties that can never cover the same path are not.
    expect(one('a', { syncable: ['a.x.*'], environmentSpecific: ['a.y.*'] }).class).not.toBe('conflict');
    expect(one('a', { syncable: ['a.x'], environmentSpecific: ['a.x'] }).class).toBe('conflict');
  });

  it('splits a partly syncable map into the pieces its entries decide', () => {
    const c = one('tags', { syncable: ['tags.*'], environmentSpecific: ['tags.Environment'] });
    const units = classifiedUnits('tags', c, [{ Team: 'a', Environment: 'dev' }, { Team: 'b', Owner: 'x' }]);
    expect(units.map((u) => [formatKeyPath(u.path), u.class])).toEqual([
      ['tags.Team', 'syncable'],
      ['tags.Environment', 'environment-specific'],
      ['tags.Owner', 'syncable'],
    ]);
    // A variable no entry reaches inside is one piece.
    const whole = one('tags', { syncable: ['tags'] });
    expect(classifiedUnits('tags', whole, [{ a: 1 }]).map((u) => formatKeyPath(u.path))).toEqual(['tags']);
    // Where a value is not an object, it cannot split.
    expect(classifiedUnits('tags', c, ['${local.tags}']).map((u) => [formatKeyPath(u.path), u.class])).toEqual([['tags', 'unclassified']]);
  });

  it('groups and sensitive entries may name key paths', () => {
    const c = one('databases', {
      syncable: ['databases'],
      groups: { engines: ['databases.*.engine_version'], all: ['databases'] },
      sensitive: ['databases.*.password'],
    });
    expect(c.groups).toEqual(['all']);
    expect(c.groupPaths?.map((g) => [g.group, g.source])).toEqual([['engines', 'databases.*.engine_version']]);
    // Whole-value outputs mask the variable; leaf outputs only what holds the password.
    expect(c.sensitive).toBe(true);
    expect(leafSensitive(c, at('databases.api.password'))).toBe(true);
    expect(leafSensitive(c, at('databases.api'))).toBe(true);
    expect(leafSensitive(c, at('databases.api.engine_version'))).toBe(false);
    const units = classifiedUnits('databases', c, [{ api: { password: 'p', engine_version: '15' } }]);
    expect(units.map((u) => formatKeyPath(u.path))).toEqual(['databases.api.password', 'databases.api.engine_version']);
    // A variable declared sensitive stays sensitive in every leaf.
    const declared = classify(['databases'], { ...base, sensitive: ['databases.*.password'] }, new Set(['databases'])).get('databases')!;
    expect(leafSensitive(declared, at('databases.api.engine_version'))).toBe(true);
  });

  it('entries without steps keep their meaning', () => {
    const c = one('dask_worker_size', { syncable: ['dask_*', 'tags.*'], environmentSpecific: ['*_size'] });
    expect(c.class).toBe('conflict');
    expect(c.paths).toBeUndefined();
  });

  it('parses entries as a name pattern followed by key-path steps', () => {
    expect(parsePathPattern('node_*.*.image').parts).toEqual([{ kind: 'any' }, { kind: 'key', key: 'image' }]);
    expect(parsePathPattern('tags."cost-center"').parts).toEqual([{ kind: 'key', key: 'cost-center' }]);
    expect(() => parsePathPattern('tags..x')).toThrow(/invalid key path "tags\.\.x" at column 6/);
    expect(() => parsePathPattern('.x')).toThrow(/column 1/);
  });
});

describe('tfsync.json entries with key paths', () => {
  const load = (json: object) => loadConfig('/r/tfsync.json', JSON.stringify(json, null, 2));

  it('accepts them in syncable, environmentSpecific, groups and sensitive', () => {
    const config = load({ syncable: ['tags.*', 'node_pools.*.image'], environmentSpecific: ['tags.Environment'], groups: { g: ['tags.Team'] }, sensitive: ['db.*.password'] });
    expect(config.syncable).toEqual(['tags.*', 'node_pools.*.image']);
  });

  it('refuses a bad key path at its line and column', () => {
    let error: unknown;
    try {
      load({ syncable: ['ok', 'tags.[0'] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TfsyncError);
    const e = error as TfsyncError;
    expect(e.message).toMatch(/\/syncable\/1 is not a valid key path at column 6/);
    expect(e.location?.text.slice(e.location.range.start, e.location.range.end)).toBe('"tags.[0"');
  });

  it('refuses key paths in external', () => {
    expect(() => load({ external: ['tags.x'] })).toThrow(/\/external\/0 names a key path/);
  });
});
