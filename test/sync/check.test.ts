import { describe, expect, it } from 'vitest';
import { buildBase, parseEnvironment } from '../../src/model/repository.js';
import { checkEnvironments, DriftChecker, outOfStep } from '../../src/sync/check.js';
import { inputOf, repoOf, type RepoSpec } from '../helpers/repository.js';

const VARIABLES = `variable "image" {
  default = "v1"
}
variable "workers" {
  default = 2
}
variable "token" {
  sensitive = true
  default   = "shared-secret"
}
variable "feature_flag" {}
variable "domain" {}
`;

const DRIFTING: RepoSpec = {
  variables: VARIABLES,
  shared: 'image = "v2"\nfeature_flag = true\n',
  envs: {
    // In step: sets the shared value, inherits the rest.
    a: 'image = "v2"\ndomain = "a.example"\n',
    // Drifts: its own image, workers off the default, a secret of its own.
    b: 'domain = "b.example"\nimage   = "v3"\nworkers = 4\ntoken = "b-secret"\n',
    // Sets the default value: in step with @shared, whose value is that default.
    c: 'workers = 2\nlist = [\n  "x",\n]\n',
  },
  config: { syncable: ['image', 'workers', 'token', 'feature_flag', 'list'], environmentSpecific: ['domain'] },
};

const repo = repoOf(DRIFTING);

describe('checkEnvironments', () => {
  it('reports drift against the shared file, else the default, with both origins', () => {
    const result = checkEnvironments(repo);
    expect(result.inStep).toBe(false);
    expect(result.environments.map((e) => e.environment)).toEqual(['a', 'b', 'c']);
    const b = result.environments[1]!;
    expect(b.file).toBe('environments/b/terraform.tfvars');
    expect(b.drift.map((d) => d.name)).toEqual(['image', 'token', 'workers']);
    expect(b.drift[0]).toEqual({
      name: 'image',
      sensitive: false,
      shared: { value: 'v2', origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 1 } },
      value: { value: 'v3', origin: { layer: 'environment', file: 'environments/b/terraform.tfvars', line: 2 } },
      leaves: [],
    });
    expect(b.drift[2]!.shared).toEqual({ value: 2, origin: { layer: 'default', file: 'variables.tf', line: 4 } });
    expect(b.drift[1]!.sensitive).toBe(true);
  });

  it('is in step where an environment sets the shared value or inherits it', () => {
    const result = checkEnvironments(repo);
    expect(result.environments[0]).toMatchObject({ environment: 'a', drift: [], missing: [] });
    expect(outOfStep(result).map((e) => e.environment)).toEqual(['b', 'c']);
  });

  it('compares values, not text: a list over several lines equals the same list on one', () => {
    const same = repoOf({
      shared: 'list = ["x", "y"]\nmap = { a = 1, b = 2 }\n',
      envs: { a: 'list = [\n  "x",\n  "y",\n]\nmap = {\n  b = 2\n  a = 1\n}\n' },
      config: { syncable: ['list', 'map'] },
    });
    expect(checkEnvironments(same).inStep).toBe(true);
  });

  it('reports a syncable variable set where @shared has no value at all as drift from nothing', () => {
    const c = checkEnvironments(repo).environments[2]!;
    expect(c.drift).toEqual([
      {
        name: 'list',
        sensitive: false,
        shared: { value: undefined, origin: null },
        value: { value: ['x'], origin: { layer: 'environment', file: 'environments/c/terraform.tfvars', line: 2 } },
        leaves: [],
      },
    ]);
  });

  it('reports required syncable variables that no layer sets as missing, with the declaration', () => {
    const noShared = repoOf({
      variables: VARIABLES,
      envs: { a: 'feature_flag = false\n', b: 'domain = "b"\n' },
      config: { syncable: ['image', 'feature_flag'], environmentSpecific: ['domain'] },
    });
    const result = checkEnvironments(noShared);
    expect(result.inStep).toBe(false);
    // No shared file: a's value is compared with the others', and b has none to differ from (it
    // is missing it). domain is not syncable.
    expect(result.reference).toBe('environments');
    expect(result.environments[0]!.missing).toEqual([]);
    expect(result.environments[0]!.drift).toEqual([]);
    expect(result.environments[1]!.missing).toEqual([{ name: 'feature_flag', sensitive: false, declaration: { file: 'variables.tf', line: 11 } }]);
  });

  it('ignores environment-specific and unclassified variables however much they differ', () => {
    const result = checkEnvironments(repoOf({ envs: { a: 'x = 1\ny = 1\n', b: 'x = 2\ny = 2\n' }, config: { environmentSpecific: ['x'] } }));
    expect(result).toEqual({
      inStep: true,
      reference: 'environments',
      shared: { file: 'environments/shared-features.tfvars', exists: false },
      syncable: 0,
      environments: [
        { environment: 'a', file: 'environments/a/terraform.tfvars', drift: [], missing: [] },
        { environment: 'b', file: 'environments/b/terraform.tfvars', drift: [], missing: [] },
      ],
    });
  });

  it('checks only the environments named, skipping @shared, and refuses unknown ones', () => {
    expect(checkEnvironments(repo, ['c', 'a']).environments.map((e) => e.environment)).toEqual(['a', 'c']);
    expect(checkEnvironments(repo, ['@shared', 'a']).environments.map((e) => e.environment)).toEqual(['a']);
    expect(checkEnvironments(repo, ['@shared']).environments).toHaveLength(3);
    expect(() => checkEnvironments(repo, ['d'])).toThrow(/unknown environment "d"/);
  });

  it('finds every drifting value among 200 environments of 1,000 syncable variables', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `var_${i}`);
    const shared = names.map((n, i) => `${n} = ${i}\n`).join('');
    const envs: Record<string, string> = {};
    for (let e = 0; e < 200; e++) envs[`env${e}`] = names.map((n, i) => `${n} = ${i % 97 === e % 97 ? -1 : i}\n`).join('');
    const big = repoOf({ shared, envs, config: { syncable: ['var_*'] } });
    const result = checkEnvironments(big);
    expect(result.environments).toHaveLength(200);
    // Environment e drifts where i ≡ e (mod 97): 11 of the 1,000 names when e mod 97 < 30, else 10.
    for (const { environment, drift } of result.environments) {
      const e = Number(environment.slice(3));
      expect(drift.map((d) => d.name).sort()).toEqual(names.filter((_, i) => i % 97 === e % 97).sort());
      expect(drift).toHaveLength(e % 97 < 30 ? 11 : 10);
    }
  });
});

/**
 * What `tfsync check` does: the repository without environments, then each environment parsed,
 * checked and dropped, in name order. Must give exactly what checkEnvironments gives on the
 * repository with every environment loaded.
 */
function streamedCheck(spec: RepoSpec) {
  const { environments, ...base } = inputOf(spec);
  const repo = buildBase(base);
  const checker = new DriftChecker(repo);
  const sources = [...environments].sort((x, y) => (x.name < y.name ? -1 : 1));
  const checks = sources.map((source) => checker.check(parseEnvironment(repo, source)));
  return { repo, result: checker.result(checks) };
}

describe('DriftChecker, one environment at a time', () => {
  const SPECS: Record<string, RepoSpec> = {
    'drift, defaults, secrets and a variable only an environment sets': DRIFTING,
    'missing required variables, no shared file': {
      variables: VARIABLES,
      envs: { a: 'feature_flag = false\n', b: 'domain = "b"\n', c: '' },
      config: { syncable: ['image', 'feature_flag'], environmentSpecific: ['domain'] },
    },
    'syncable names by glob that only some environments set, in between declared ones': {
      variables: 'variable "m_declared" {\n  default = 1\n}\n',
      shared: 'z_shared = "s"\n',
      envs: {
        e1: 'a_only_here = 1\nm_declared = 2\nz_shared = "s"\n',
        e2: 'n_only_here = { k = "v" }\nb_secret_token = "t"\nz_shared = "other"\n',
        e3: 'a_only_here = 1\nunrelated = true\n',
      },
      config: { syncable: ['*_here', 'm_*', 'z_*', '*_token'], sensitive: ['*_token'] },
    },
    'nothing syncable': { envs: { a: 'x = 1\n', b: 'x = 2\n' }, config: { environmentSpecific: ['x'] } },
  };

  for (const [what, spec] of Object.entries(SPECS)) {
    it(`gives what checking the whole repository gives: ${what}`, () => {
      const expected = checkEnvironments(repoOf(spec));
      const { result } = streamedCheck(spec);
      expect(result).toEqual(expected);
      // Not vacuous: toEqual must compare drift lists that exist.
      if (what.startsWith('drift')) expect(result.environments[1]!.drift).toHaveLength(3);
    });
  }

  it('counts and sorts syncable names met only in environments, with their drift from no value', () => {
    const spec = SPECS['syncable names by glob that only some environments set, in between declared ones']!;
    const { result } = streamedCheck(spec);
    // m_declared, z_shared, then a_only_here, n_only_here, b_secret_token met in environments.
    expect(result.syncable).toBe(5);
    expect(result.environments[0]!.drift.map((d) => d.name)).toEqual(['a_only_here', 'm_declared']);
    expect(result.environments[1]!.drift.map((d) => [d.name, d.sensitive, d.shared.origin])).toEqual([
      ['b_secret_token', true, null],
      ['n_only_here', false, null],
      ['z_shared', false, { layer: 'shared', file: 'environments/shared-features.tfvars', line: 1 }],
    ]);
  });

  it('learns the classification of names only environments set, so conflicts there are still found', () => {
    const { repo } = streamedCheck({ envs: { a: 'image_tag = 1\n', b: 'other = 2\n' }, config: { syncable: ['image*'], environmentSpecific: ['*_tag'] } });
    expect(repo.classification.get('image_tag')?.class).toBe('conflict');
    expect(repo.classification.get('other')?.class).toBe('unclassified');
    expect(repo.environments.size).toBe(0);
  });

  it('stops at an environment with a syntax error, naming it', () => {
    const spec: RepoSpec = { envs: { a: 'x = 1\n', b: 'x = [1,\n', c: 'x = (\n' }, config: { syncable: ['x'] } };
    expect(() => streamedCheck(spec)).toThrow(expect.objectContaining({ location: expect.objectContaining({ file: 'environments/b/terraform.tfvars' }) }));
  });
});
