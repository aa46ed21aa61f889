import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { loadConfig, type Config } from '../../src/model/config.js';
import {
  SHARED,
  discoverEnvironments,
  environmentNameFromPath,
  resolveEnvironment,
  validateEnvironmentName,
  type DiscoveryWarning,
  type Environment,
} from '../../src/model/environments.js';

describe('validateEnvironmentName', () => {
  it.each(['prod', 'dev', 'staging-2', 'eu.west_1', '2024', 'A'])('accepts %j', (name) => {
    expect(validateEnvironmentName(name)).toBeUndefined();
  });

  it.each([
    ['..', 'must not contain ".."'],
    ['.', 'must start with a letter or digit'],
    ['a..b', 'must not contain ".."'],
    ['a/b', 'must not contain a path separator'],
    ['a\\b', 'must not contain a path separator'],
    ['@x', 'must start with a letter or digit'],
    ['.hidden', 'must start with a letter or digit'],
    ['-rf', 'must start with a letter or digit'],
    ['a b', 'only letters, digits'],
    ['prod$', 'only letters, digits'],
    ['', 'must not be empty'],
    [SHARED, 'reserved for the shared layer'],
  ])('refuses %j', (name, reason) => {
    expect(validateEnvironmentName(name)).toContain(reason);
  });
});

describe('environmentNameFromPath', () => {
  it.each([
    ['environments/*/terraform.tfvars', 'environments/prod/terraform.tfvars', 'prod'],
    ['environments/*/terraform.tfvars', 'environments/a/b/terraform.tfvars', undefined],
    ['environments/*/terraform.tfvars', 'environments/prod/other.tfvars', undefined],
    ['environments/*/terraform.tfvars', 'environments/terraform.tfvars', undefined],
    ['envs/*.tfvars', 'envs/dev.tfvars', 'dev'],
    ['envs/*.tfvars', 'envs/dev.tfvars.bak', undefined],
    ['envs/*.tfvars', 'other/dev.tfvars', undefined],
    ['envs/*.tfvars', 'envs/.tfvars', ''],
    ['envs/env-*.auto.tfvars', 'envs/env-qa.auto.tfvars', 'qa'],
    ['*.tfvars', 'prod.tfvars', 'prod'],
    ['a*a', 'a', undefined],
    ['a*a', 'aa', ''],
  ])('%s with %s gives %j', (glob, path, name) => {
    expect(environmentNameFromPath(glob, path)).toBe(name);
  });
});

describe('discoverEnvironments', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfsync-envs-')));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function repo(config: object, files: string[], prefix = 'repo-'): Config {
    const dir = mkdtempSync(join(base, prefix));
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    const path = join(dir, 'tfsync.json');
    const text = JSON.stringify(config);
    writeFileSync(path, text);
    return loadConfig(path, text);
  }

  it('finds environments/*/terraform.tfvars, sorted by name', async () => {
    const config = repo({}, [
      'variables.tf',
      'environments/shared-features.tfvars',
      'environments/staging/terraform.tfvars',
      'environments/prod/terraform.tfvars',
      'environments/dev/terraform.tfvars',
      'environments/dev/terraform.tfvars.bak',
      'environments/dev/notes.md',
      'environments/empty/other.tfvars',
      'environments/nested/deeper/terraform.tfvars',
    ]);
    const environments = await discoverEnvironments(config);
    expect(environments).toEqual([
      { name: 'dev', file: join(config.root, 'environments/dev/terraform.tfvars') },
      { name: 'prod', file: join(config.root, 'environments/prod/terraform.tfvars') },
      { name: 'staging', file: join(config.root, 'environments/staging/terraform.tfvars') },
    ]);
  });

  it('finds envs/*.tfvars and never takes the shared file for an environment', async () => {
    const config = repo({ environments: 'envs/*.tfvars', shared: 'envs/shared.tfvars' }, [
      'envs/shared.tfvars',
      'envs/prod.tfvars',
      'envs/dev.tfvars',
      'envs/dev.tfvars.bak',
      'envs/README.md',
    ]);
    const environments = await discoverEnvironments(config);
    expect(environments.map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(environments[0]?.file).toBe(join(config.root, 'envs/dev.tfvars'));
  });

  it('skips names it refuses, and says why', async () => {
    const config = repo({}, [
      'environments/prod/terraform.tfvars',
      'environments/.hidden/terraform.tfvars',
      'environments/my env/terraform.tfvars',
    ]);
    const warnings: DiscoveryWarning[] = [];
    const environments = await discoverEnvironments(config, warnings);
    expect(environments.map((e) => e.name)).toEqual(['prod']);
    expect(warnings.map((w) => w.name)).toEqual(['.hidden', 'my env']);
    expect(warnings[0]?.file).toBe(join(config.root, 'environments/.hidden/terraform.tfvars'));
    expect(warnings[0]?.message).toMatch(/^invalid environment name "\.hidden": .* is skipped$/);
  });

  it('finds nothing, without failing, when no file matches', async () => {
    const config = repo({ environments: 'nowhere/*.tfvars' }, []);
    expect(await discoverEnvironments(config)).toEqual([]);
  });

  it('follows links inside the repository but not out of it', async () => {
    const config = repo({ environments: 'envs/*/terraform.tfvars' }, ['envs/prod/terraform.tfvars', 'live/qa/terraform.tfvars']);
    const outside = mkdtempSync(join(base, 'outside-'));
    writeFileSync(join(outside, 'terraform.tfvars'), '');
    symlinkSync(join(config.root, 'live/qa'), join(config.root, 'envs/qa'));
    symlinkSync(outside, join(config.root, 'envs/evil'));
    const warnings: DiscoveryWarning[] = [];
    const environments = await discoverEnvironments(config, warnings);
    expect(environments.map((e) => e.name)).toEqual(['prod', 'qa']);
    // The file keeps the path through the link, which is where the user expects it.
    expect(environments[1]?.file).toBe(join(config.root, 'envs/qa/terraform.tfvars'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.name).toBe('evil');
    expect(warnings[0]?.message).toContain('outside');
  });

  it('ignores a dangling link', async () => {
    const config = repo({ environments: 'envs/*.tfvars' }, ['envs/prod.tfvars']);
    symlinkSync(join(config.root, 'nowhere.tfvars'), join(config.root, 'envs/gone.tfvars'));
    expect((await discoverEnvironments(config)).map((e) => e.name)).toEqual(['prod']);
  });

  it('treats glob characters in folder names literally', async () => {
    const files = ['env (old)/prod.tfvars', 'env o/dev.tfvars', 'env (old)/+(x)/qa.tfvars'];
    const config = repo({ environments: 'env (old)/*.tfvars' }, files, '[repo] {copy} ');
    expect(config.root).toContain('[repo] {copy}');
    expect((await discoverEnvironments(config)).map((e) => e.name)).toEqual(['prod']);
  });
});

describe('resolveEnvironment', () => {
  const config = loadConfig('/repo/tfsync.json', '{}');
  const environments: Environment[] = ['dev', 'prod', 'staging'].map((name) => ({
    name,
    file: `/repo/environments/${name}/terraform.tfvars`,
  }));

  function resolveError(envs: readonly Environment[], name: string): TfsyncError {
    try {
      resolveEnvironment(config, envs, name);
    } catch (error) {
      if (error instanceof TfsyncError) return error;
      throw error;
    }
    throw new Error('expected resolveEnvironment to fail');
  }

  it('returns a known environment', () => {
    expect(resolveEnvironment(config, environments, 'prod')).toBe(environments[1]);
  });

  it('returns the shared layer for @shared, even before its file exists', () => {
    expect(resolveEnvironment(config, [], SHARED)).toEqual({ name: '@shared', file: '/repo/environments/shared-features.tfvars' });
  });

  it('suggests the closest name for a typo and lists the known ones', () => {
    const error = resolveError(environments, 'prdo');
    expect(error.message).toBe('unknown environment "prdo" (known: dev, prod, staging, @shared)');
    expect(error.hint).toBe('did you mean "prod"?');
  });

  it('suggests @shared for shared', () => {
    expect(resolveError(environments, 'shared').hint).toBe('did you mean "@shared"?');
  });

  it('gives no hint when nothing is close', () => {
    expect(resolveError(environments, 'production-eu').hint).toBeUndefined();
  });

  it('recognises the path of an environment file', () => {
    expect(resolveError(environments, 'environments/prod/terraform.tfvars').hint).toBe(
      'environments are given by name: did you mean "prod"?',
    );
    expect(resolveError(environments, './environments/dev/terraform.tfvars').hint).toBe(
      'environments are given by name: did you mean "dev"?',
    );
  });

  it('explains an empty repository', () => {
    const error = resolveError([], 'prod');
    expect(error.message).toBe('unknown environment "prod": no files match environments/*/terraform.tfvars');
    expect(error.hint).toBe('check "environments" in /repo/tfsync.json');
  });
});
