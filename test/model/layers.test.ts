import { describe, expect, it } from 'vitest';
import { effectiveValues } from '../../src/model/layers.js';
import { repoOf } from '../helpers/repository.js';

const VARIABLES = `variable "image_tag" {
  default = "v1"
}
variable "workers" {
  default = 2
}
variable "domain" {}
variable "nothing" {
  default = null
}
variable "secret" {
  sensitive = true
}
`;

const repo = repoOf({
  variables: VARIABLES,
  shared: 'image_tag = "v2"\nworkers = 4\ndomain = "shared.example"\nnew_flag = true\n',
  envs: {
    prod: 'domain = "prod.example"\nworkers = 8\nsecret = "s3cr3t"\n',
    dev: '\n\nimage_tag = "v3"\nstray = "x"\n',
  },
  config: { syncable: ['image_tag', 'workers', 'new_flag'], environmentSpecific: ['domain', 'secret'] },
});

const byName = (env: string) => new Map(effectiveValues(repo, env).map((v) => [v.name, v]));

describe('effectiveValues', () => {
  it("takes the environment's file first, then the shared file, then the default", () => {
    const prod = byName('prod');
    expect(prod.get('workers')).toMatchObject({ value: 8, origin: { layer: 'environment', file: 'environments/prod/terraform.tfvars', line: 2 } });
    expect(prod.get('image_tag')).toMatchObject({ value: 'v2', origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 1 } });
    expect(prod.get('nothing')).toMatchObject({ value: null, origin: { layer: 'default', file: 'variables.tf', line: 8 }, required: false });
    expect(byName('dev').get('image_tag')).toMatchObject({ value: 'v3', origin: { line: 3 } });
  });

  it('uses the shared file for syncable variables only', () => {
    // domain is environment-specific: the shared file's value is not one any environment gets.
    expect(byName('dev').get('domain')).toEqual({
      name: 'domain',
      class: 'environment-specific',
      sensitive: false,
      value: undefined,
      origin: null,
      required: true,
    });
  });

  it('includes variables set only in the environment or (syncable) only in the shared file', () => {
    expect(byName('dev').get('stray')).toMatchObject({ class: 'unclassified', value: 'x', required: false });
    expect(byName('prod').get('new_flag')).toMatchObject({ value: true, origin: { layer: 'shared' } });
  });

  it('marks sensitive variables', () => {
    expect(byName('prod').get('secret')).toMatchObject({ sensitive: true, value: 's3cr3t' });
  });

  it('is sorted by name', () => {
    const names = effectiveValues(repo, 'prod').map((v) => v.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(['domain', 'image_tag', 'new_flag', 'nothing', 'secret', 'workers']);
  });

  it('gives @shared the shared file over the defaults, every variable it sets included', () => {
    const shared = byName('@shared');
    expect(shared.get('workers')).toMatchObject({ value: 4, origin: { layer: 'shared', line: 2 } });
    expect(shared.get('domain')).toMatchObject({ value: 'shared.example', origin: { layer: 'shared' } });
    expect(shared.get('secret')).toMatchObject({ value: undefined, required: true });
    expect(shared.has('stray')).toBe(false);
  });

  it('works without a shared file or any declarations', () => {
    const bare = repoOf({ envs: { prod: 'a = 1\n' } });
    expect(effectiveValues(bare, 'prod')).toEqual([
      { name: 'a', class: 'unclassified', sensitive: false, value: 1, origin: { layer: 'environment', file: 'environments/prod/terraform.tfvars', line: 1 }, required: false },
    ]);
    expect(effectiveValues(bare, '@shared')).toEqual([]);
  });

  it('refuses an unknown environment with a suggestion', () => {
    expect(() => effectiveValues(repo, 'prd')).toThrow(/unknown environment "prd"/);
  });
});
