import { describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { assertNoConflicts, buildBase, parseEnvironment, resolveLayer } from '../../src/model/repository.js';
import { repoOf, testConfig } from '../helpers/repository.js';

const VARIABLES = `
variable "image_tag" {
  type    = string
  default = "v1"
}
variable "domain" { type = string }
variable "password" {
  type      = string
  sensitive = true
}
`;

function thrown(fn: () => unknown): TfsyncError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TfsyncError);
    return err as TfsyncError;
  }
  throw new Error('expected a TfsyncError');
}

describe('buildRepository', () => {
  it('reads declarations, layers and classifies every declared or set name', () => {
    const repo = repoOf({
      variables: VARIABLES,
      shared: 'image_tag = "v2"\n',
      envs: { prod: 'domain = "p.example"\nextra = 1\n', dev: 'domain = "d.example"\n' },
      config: { syncable: ['image_*'], environmentSpecific: ['domain'], sensitive: ['*_token'] },
    });
    expect([...repo.declarations.keys()]).toEqual(['image_tag', 'domain', 'password']);
    expect(repo.declarations.get('domain')).toMatchObject({ file: 'variables.tf', hasDefault: false });
    expect([...repo.environments.keys()]).toEqual(['dev', 'prod']);
    expect(repo.shared).toMatchObject({ name: '@shared', exists: true, file: 'environments/shared-features.tfvars' });
    expect([...repo.classification.keys()]).toEqual(['domain', 'extra', 'image_tag', 'password']);
    expect(repo.classification.get('image_tag')?.class).toBe('syncable');
    expect(repo.classification.get('extra')?.class).toBe('unclassified');
    expect(repo.classification.get('password')?.sensitive).toBe(true);
    expect(repo.problems).toEqual([
      expect.objectContaining({ code: 'undeclared', variable: 'extra', file: 'environments/prod/terraform.tfvars', line: 2 }),
    ]);
  });

  it('gives a missing shared file an empty layer', () => {
    const repo = repoOf({ envs: { prod: 'a = 1\n' } });
    expect(repo.shared.exists).toBe(false);
    expect(repo.shared.doc.attributes).toEqual([]);
  });

  it('reports a duplicate declaration across files, keeping the first', () => {
    const repo = repoOf({ variables: ['variable "a" { default = 1 }\n', 'variable "a" { default = 2 }\n'], envs: {} });
    expect(repo.declarations.get('a')?.default).toBe(1);
    expect(repo.problems[0]).toMatchObject({ code: 'duplicate-declaration', file: 'variables1.tf', line: 1 });
  });

  it('warns about a non-syncable variable in the shared file', () => {
    const repo = repoOf({ shared: 'region = "x"\n', envs: {}, config: { environmentSpecific: ['region'] } });
    expect(repo.problems).toEqual([expect.objectContaining({ code: 'shared-not-syncable', variable: 'region' })]);
  });

  it('throws the syntax error of an environment file with its location', () => {
    const err = thrown(() => repoOf({ envs: { prod: 'a = 1\nb = [1,\n' } }));
    expect(err.location?.file).toBe('environments/prod/terraform.tfvars');
  });

  it('throws syntax errors of the variables file', () => {
    const err = thrown(() => repoOf({ variables: 'variable "a" {\n', envs: {} }));
    expect(err.location?.file).toBe('variables.tf');
  });

  it('masks sensitive values in a syntax error, even on the line the parser gave up on', () => {
    const err = thrown(() =>
      repoOf({ variables: VARIABLES, envs: { prod: 'password = "hunter2\napi_token = "tok" "x"\n' }, config: { sensitive: ['*_token'] } }),
    );
    expect(err.options.secrets).toEqual(expect.arrayContaining(['"hunter2', '"tok" "x"']));
  });
});

describe('buildBase and parseEnvironment (a repository built one environment at a time)', () => {
  const SHARED_FILE = { path: '/repo/environments/shared-features.tfvars', file: 'environments/shared-features.tfvars' };
  const env = (name: string, text: string) => ({ name, path: `/repo/environments/${name}/terraform.tfvars`, file: `environments/${name}/terraform.tfvars`, text });
  const variables = [{ path: '/repo/variables.tf', file: 'variables.tf', text: VARIABLES }];

  it('holds the declarations and the shared layer, no environment, and classifies names as environments come', () => {
    const config = testConfig({ syncable: ['image_*'], environmentSpecific: ['domain'] });
    const repo = buildBase({ config, variables, shared: { ...SHARED_FILE, text: 'image_tag = "v2"\n' } });
    expect(repo.environments.size).toBe(0);
    expect([...repo.classification.keys()]).toEqual(['domain', 'image_tag', 'password']);
    const layer = parseEnvironment(repo, env('prod', 'image_extra = 1\nzzz = 2\ndomain = "d"\n'));
    expect(layer).toMatchObject({ name: 'prod', file: 'environments/prod/terraform.tfvars', exists: true });
    expect(layer.doc.byName.get('image_extra')?.value).toBe(1);
    expect(repo.classification.get('image_extra')?.class).toBe('syncable');
    expect(repo.classification.get('zzz')?.class).toBe('unclassified');
    // The layer is the caller's to keep or drop.
    expect(repo.environments.size).toBe(0);
  });

  it('throws the shared file\'s syntax error from buildBase, an environment\'s from parseEnvironment, masked', () => {
    const config = testConfig({ sensitive: ['*_token'] });
    expect(thrown(() => buildBase({ config, variables, shared: { ...SHARED_FILE, text: 'a = [1,\n' } })).location?.file).toBe(SHARED_FILE.file);
    const repo = buildBase({ config, variables, shared: SHARED_FILE });
    const err = thrown(() => parseEnvironment(repo, env('prod', 'password = "hunter2\napi_token = "tok" "x"\n')));
    expect(err.location?.file).toBe('environments/prod/terraform.tfvars');
    expect(err.options.secrets).toEqual(expect.arrayContaining(['"hunter2', '"tok" "x"']));
  });

  it('lets assertNoConflicts find conflicts met in environments, first by name whatever the order met', () => {
    const config = testConfig({ syncable: ['dask_*', 'b_*'], environmentSpecific: ['*_size'] });
    const repo = buildBase({ config, variables: [], shared: SHARED_FILE });
    parseEnvironment(repo, env('a', 'dask_node_size = 1\n'));
    parseEnvironment(repo, env('b', 'b_size = 1\n'));
    const err = thrown(() => assertNoConflicts(repo));
    expect(err.message).toMatch(/^variable "b_size" matches/);
    expect(err.options.more?.map((e) => e.message)).toEqual([expect.stringMatching(/^variable "dask_node_size" matches/)]);
  });
});

describe('assertNoConflicts', () => {
  it('names the variable and both patterns', () => {
    const repo = repoOf({ envs: { prod: 'dask_node_size = 1\n' }, config: { syncable: ['dask_*'], environmentSpecific: ['*_size'] } });
    const err = thrown(() => assertNoConflicts(repo));
    expect(err.message).toBe('variable "dask_node_size" matches syncable "dask_*" and environmentSpecific "*_size" in /repo/tfsync.json');
    expect(err.hint).toMatch(/exact name beats a glob/);
    expect(repo.problems).toEqual([expect.objectContaining({ code: 'conflict', severity: 'error' })]);
  });

  it('passes when an exact name settles it', () => {
    const repo = repoOf({
      envs: { prod: 'dask_node_size = 1\n' },
      config: { syncable: ['dask_*'], environmentSpecific: ['*_size', 'dask_node_size'] },
    });
    expect(() => assertNoConflicts(repo)).not.toThrow();
  });
});

describe('resolveLayer', () => {
  const repo = repoOf({ envs: { prod: '', dev: '' } });
  it('finds environments and @shared', () => {
    expect(resolveLayer(repo, 'prod').name).toBe('prod');
    expect(resolveLayer(repo, '@shared')).toBe(repo.shared);
  });
  it('suggests a close name for a typo', () => {
    const err = thrown(() => resolveLayer(repo, 'prdo'));
    expect(err.message).toMatch(/unknown environment "prdo"/);
    expect(err.hint).toBe('did you mean "prod"?');
  });
});
