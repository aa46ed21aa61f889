import { describe, expect, it } from 'vitest';
import { renderDiffJson, renderShowJson, renderTfvarsJson } from '../../src/cli/render/json.js';
import { effectiveValues } from '../../src/model/layers.js';
import { diffEnvironments } from '../../src/sync/diff.js';
import { fixtureRepo, SECRET } from '../helpers/render-fixture.js';

const repo = fixtureRepo();

describe('renderDiffJson', () => {
  it('writes the design shape, differing variables only, keys in a fixed order', () => {
    const text = renderDiffJson(diffEnvironments(repo, ['test', 'prod']), { showSensitive: false, all: false });
    const doc = JSON.parse(text);
    expect(Object.keys(doc)).toEqual(['environments', 'variables', 'summary']);
    expect(doc.environments).toEqual(['test', 'prod']);
    expect(doc.variables.map((v: { name: string }) => v.name)).toEqual(['domain', 'image', 'odd', 'password', 'workers', 'zones']);
    expect(doc.variables[1]).toEqual({
      name: 'image',
      class: 'syncable',
      sensitive: false,
      status: 'different',
      values: {
        test: { value: 'v1', origin: { layer: 'shared', file: 'environments/shared-features.tfvars', line: 1 } },
        prod: { value: 'v2', origin: { layer: 'environment', file: 'environments/prod/terraform.tfvars', line: 1 } },
      },
      paths: [{ path: 'image', status: 'different', values: { test: 'v1', prod: 'v2' } }],
    });
    expect(Object.keys(doc.variables[0])).toEqual(['name', 'class', 'sensitive', 'status', 'values', 'paths']);
    expect(doc.variables[2]).toMatchObject({ status: 'only-prod', values: { test: { value: null, origin: null } } });
    expect(doc.summary).toEqual({
      syncable: { differ: 2, identical: 0 },
      'environment-specific': { differ: 3, identical: 0 },
      unclassified: { differ: 1, identical: 0 },
    });
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('masks sensitive values as "(sensitive)" unless showSensitive', () => {
    const diff = diffEnvironments(repo, ['test', 'prod']);
    const masked = renderDiffJson(diff, { showSensitive: false, all: true });
    expect(masked).not.toContain(SECRET);
    const password = JSON.parse(masked).variables.find((v: { name: string }) => v.name === 'password');
    expect(password.values.prod.value).toBe('(sensitive)');
    expect(password.sensitive).toBe(true);
    expect(renderDiffJson(diff, { showSensitive: true, all: true })).toContain(SECRET);
  });

  it('lists identical variables with all', () => {
    const doc = JSON.parse(renderDiffJson(diffEnvironments(repo, ['test', 'dev']), { showSensitive: false, all: true }));
    expect(doc.variables.filter((v: { status: string }) => v.status === 'same').map((v: { name: string }) => v.name)).toEqual([
      'domain',
      'image',
      'zones',
    ]);
  });
});

describe('renderShowJson', () => {
  it('writes { environment, variables } with origins, masking secrets', () => {
    const doc = JSON.parse(renderShowJson('prod', effectiveValues(repo, 'prod'), { showSensitive: false }));
    expect(Object.keys(doc)).toEqual(['environment', 'variables']);
    expect(doc.environment).toBe('prod');
    expect(doc.variables.find((v: { name: string }) => v.name === 'workers')).toEqual({
      name: 'workers',
      class: 'syncable',
      sensitive: false,
      value: 2,
      origin: { layer: 'default', file: 'variables.tf', line: 1 },
      required: false,
    });
    expect(doc.variables.find((v: { name: string }) => v.name === 'password').value).toBe('(sensitive)');
  });

  it('gives an unset variable a null value and origin', () => {
    const doc = JSON.parse(renderShowJson('dev', effectiveValues(repo, 'dev'), { showSensitive: false }));
    expect(doc.variables.find((v: { name: string }) => v.name === 'password')).toMatchObject({ value: null, origin: null, required: true });
  });
});

describe('renderTfvarsJson', () => {
  it('writes effective values flat, leaving sensitive and unset ones out', () => {
    const { text, omitted } = renderTfvarsJson(effectiveValues(repo, 'prod'), { showSensitive: false });
    expect(JSON.parse(text)).toEqual({
      domain: 'prod.example',
      image: 'v2',
      odd: 'a|b',
      workers: 2,
      zones: ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d', 'us-west-2e'],
    });
    expect(omitted).toEqual(['password']);
    expect(JSON.parse(renderTfvarsJson(effectiveValues(repo, 'prod'), { showSensitive: true }).text).password).toBe(SECRET);
  });
});
