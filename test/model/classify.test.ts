import { describe, expect, it } from 'vitest';
import { classify, resolveGroup, type ClassifyConfig } from '../../src/model/classify.js';
import { TfsyncError } from '../../src/errors.js';

const config: ClassifyConfig = {
  syncable: ['singleuser_image_*', 'dask_worker_*', 'kernel_cull_timeout', 'core_node_max_size', 'region'],
  environmentSpecific: ['environment', 'region', 'domain_name', '*_node_*_size', 'dask_worker_max_*'],
  sensitive: ['*_password', '*_token'],
  groups: { images: ['singleuser_image_*'], dask: ['dask_*'], sizes: ['*_size'] },
};

function one(name: string, declared: Set<string> = new Set()) {
  const result = classify([name], config, declared).get(name);
  if (!result) throw new Error(`no classification for ${name}`);
  return result;
}

describe('classify', () => {
  it('classifies by exact name and by glob', () => {
    expect(one('kernel_cull_timeout').class).toBe('syncable');
    expect(one('singleuser_image_tag').class).toBe('syncable');
    expect(one('domain_name').class).toBe('environment-specific');
    expect(one('user_node_min_size').class).toBe('environment-specific');
  });

  it('leaves names in neither list unclassified', () => {
    const c = one('hub_replicas');
    expect(c.class).toBe('unclassified');
    expect(c.conflict).toBeUndefined();
  });

  it('lets an exact syncable name beat an environment-specific glob', () => {
    // core_node_max_size matches *_node_*_size, but is listed by name as syncable.
    expect(one('core_node_max_size')).toMatchObject({ class: 'syncable' });
    expect(one('core_node_max_size').conflict).toBeUndefined();
  });

  it('lets an exact environment-specific name beat a syncable glob', () => {
    const c = classify(['dask_worker_size'], { ...config, environmentSpecific: ['dask_worker_size'] }).get('dask_worker_size');
    expect(c?.class).toBe('environment-specific');
  });

  it('reports a name matched by globs of both lists as a conflict, naming the globs', () => {
    const c = one('dask_worker_max_memory');
    expect(c.class).toBe('conflict');
    expect(c.conflict).toEqual({ syncable: ['dask_worker_*'], environmentSpecific: ['dask_worker_max_*'] });
  });

  it('reports a name listed exactly in both lists as a conflict', () => {
    const c = one('region');
    expect(c.class).toBe('conflict');
    expect(c.conflict).toEqual({ syncable: ['region'], environmentSpecific: ['region'] });
  });

  it('marks names declared sensitive or matching a sensitive pattern', () => {
    expect(one('db_password').sensitive).toBe(true);
    expect(one('github_token').sensitive).toBe(true);
    expect(one('password_length').sensitive).toBe(false);
    expect(one('kernel_cull_timeout').sensitive).toBe(false);
    expect(one('kernel_cull_timeout', new Set(['kernel_cull_timeout'])).sensitive).toBe(true);
  });

  it('lists the groups whose patterns match, in config order', () => {
    expect(one('singleuser_image_tag').groups).toEqual(['images']);
    expect(one('dask_worker_size').groups).toEqual(['dask', 'sizes']);
    expect(one('environment').groups).toEqual([]);
  });

  it('returns one entry per distinct name, in input order', () => {
    const result = classify(['b_token', 'environment', 'b_token', 'zzz'], config);
    expect([...result.keys()]).toEqual(['b_token', 'environment', 'zzz']);
  });

  it('classifies everything as unclassified with an empty schema', () => {
    const empty = { syncable: [], environmentSpecific: [], sensitive: [], groups: {} };
    const result = classify(new Set(['a', 'b']), empty);
    expect([...result.values()].map((c) => c.class)).toEqual(['unclassified', 'unclassified']);
  });
});

describe('resolveGroup', () => {
  it('returns the group with its patterns', () => {
    expect(resolveGroup(config, 'images')).toEqual({ name: 'images', patterns: ['singleuser_image_*'] });
  });

  it('suggests the closest group for a typo and lists the known ones', () => {
    const error = catchError(() => resolveGroup(config, 'imgaes'));
    expect(error).toBeInstanceOf(TfsyncError);
    expect(error.message).toBe('unknown group "imgaes" (known groups: images, dask, sizes)');
    expect(error.hint).toBe('did you mean "images"?');
  });

  it('gives no hint when nothing is close', () => {
    expect(catchError(() => resolveGroup(config, 'networking')).hint).toBeUndefined();
  });

  it('says so when the config defines no groups', () => {
    expect(catchError(() => resolveGroup({ groups: {} }, 'images')).message).toBe('unknown group "images": tfsync.json defines no groups');
  });

  it('does not find inherited object properties', () => {
    expect(catchError(() => resolveGroup(config, 'constructor')).message).toMatch(/^unknown group "constructor"/);
    expect(catchError(() => resolveGroup(config, 'toString')).message).toMatch(/^unknown group "toString"/);
  });
});

function catchError(fn: () => unknown): TfsyncError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TfsyncError) return error;
    throw error;
  }
  throw new Error('expected a TfsyncError');
}
