import { describe, expect, it } from 'vitest';
import { checkEnvironments, outOfStep } from '../../src/sync/check.js';
import { repoOf } from '../helpers/repository.js';

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

const repo = repoOf({
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
});

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
    // a sets it: drift from "no value"; b leaves it unset: missing. domain is not syncable.
    expect(result.environments[0]!.missing).toEqual([]);
    expect(result.environments[0]!.drift.map((d) => d.name)).toEqual(['feature_flag']);
    expect(result.environments[1]!.missing).toEqual([{ name: 'feature_flag', sensitive: false, declaration: { file: 'variables.tf', line: 11 } }]);
  });

  it('ignores environment-specific and unclassified variables however much they differ', () => {
    const result = checkEnvironments(repoOf({ envs: { a: 'x = 1\ny = 1\n', b: 'x = 2\ny = 2\n' }, config: { environmentSpecific: ['x'] } }));
    expect(result).toEqual({
      inStep: true,
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

  it('handles 200 environments of 1,000 syncable variables quickly', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `var_${i}`);
    const shared = names.map((n, i) => `${n} = ${i}\n`).join('');
    const envs: Record<string, string> = {};
    for (let e = 0; e < 200; e++) envs[`env${e}`] = names.map((n, i) => `${n} = ${i % 97 === e % 97 ? -1 : i}\n`).join('');
    const big = repoOf({ shared, envs, config: { syncable: ['var_*'] } });
    const start = performance.now();
    const result = checkEnvironments(big);
    const elapsed = performance.now() - start;
    expect(result.environments).toHaveLength(200);
    expect(result.environments[0]!.drift.length).toBe(11);
    // The check itself (not the parsing) is a map lookup per variable and environment.
    expect(elapsed).toBeLessThan(500);
  });
});
