/** Builds a Repository from texts, for tests of the pure model and the renderers. */
import type { Config } from '../../src/model/config.js';
import { buildRepository, type Repository, type RepositoryInput } from '../../src/model/repository.js';

export interface RepoSpec {
  variables?: string | string[];
  /** Undefined: no shared file yet. */
  shared?: string;
  envs: Record<string, string>;
  config?: Partial<Pick<Config, 'syncable' | 'environmentSpecific' | 'sensitive' | 'groups'>>;
}

export function testConfig(overrides: RepoSpec['config'] = {}): Config {
  return {
    path: '/repo/tfsync.json',
    root: '/repo',
    variables: '/repo/variables.tf',
    shared: '/repo/environments/shared-features.tfvars',
    environments: '/repo/environments/*/terraform.tfvars',
    syncable: [],
    environmentSpecific: [],
    sensitive: [],
    groups: {},
    secrets: {},
    ...overrides,
  };
}

/** The sources buildRepository takes for `spec`, every file under /repo. */
export function inputOf(spec: RepoSpec): RepositoryInput {
  const variables = spec.variables === undefined ? [] : Array.isArray(spec.variables) ? spec.variables : [spec.variables];
  return {
    config: testConfig(spec.config),
    variables: variables.map((text, i) => ({ path: `/repo/variables${i || ''}.tf`, file: `variables${i || ''}.tf`, text })),
    shared: {
      path: '/repo/environments/shared-features.tfvars',
      file: 'environments/shared-features.tfvars',
      ...(spec.shared === undefined ? {} : { text: spec.shared }),
    },
    environments: Object.entries(spec.envs).map(([name, text]) => ({
      name,
      path: `/repo/environments/${name}/terraform.tfvars`,
      file: `environments/${name}/terraform.tfvars`,
      text,
    })),
  };
}

/** A Repository built from `spec`. */
export function repoOf(spec: RepoSpec): Repository {
  return buildRepository(inputOf(spec));
}
