import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { loadConfig, type Config } from '../../src/model/config.js';
import { discoverEnvironments, findEnvironment } from '../../src/io/discover-environments.js';
import {
  SHARED,
  environmentNameFromPath,
  resolveEnvironment,
  validateEnvironmentName,
  type DiscoveryWarning,
  type Environment,
} from '../../src/model/environments.js';

/**
 * Makes throw-away repositories under `base`: `files` (empty) and a tfsync.json holding `config`,
 * in a fresh folder whose name starts with `prefix`; returns the loaded config.
 */
function repositoryMaker(base: string) {
  return (config: object, files: string[], prefix = 'repo-'): Config => {
    const dir = mkdtempSync(join(base, prefix));
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), '');
    }
    const path = join(dir, 'tfsync.json');
    const text = JSON.stringify(config);
    writeFileSync(path, text);
    return loadConfig(path, text);
  };
}

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

  const repo = repositoryMaker(base);

  it('asks the file system it is given, so that a fault injected there reaches discovery', async () => {
    const config = repo({}, ['variables.tf', 'environments/dev/terraform.tfvars', 'environments/prod/terraform.tfvars']);
    const seen: string[] = [];
    const faulty = {
      stat: async () => ({ isFile: () => true }),
      readdir: async () => [],
      realpath: async (path: string) => {
        seen.push(path);
        if (path.includes('/prod/')) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return path;
      },
    };
    const warnings: DiscoveryWarning[] = [];
    const environments = await discoverEnvironments(config, warnings, faulty);
    expect(environments.map((e) => e.name)).toEqual(['dev']);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringContaining('has disappeared; environment "prod" is skipped')]);
    expect(seen).toContain(config.root);
  });

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

describe('findEnvironment (a named environment without a listing)', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfsync-find-')));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  const repo = repositoryMaker(base);

  /** Every name findEnvironment is asked must get discovery's answer: the same file, or none. */
  async function expectAgreement(config: Config, names: string[]): Promise<void> {
    const discovered = await discoverEnvironments(config);
    for (const name of [...new Set([...names, ...discovered.map((e) => e.name)])]) {
      const expected = discovered.find((e) => e.name === name);
      expect(await findEnvironment(config, name), name).toEqual(expected);
    }
  }

  it('agrees with discovery on environments/*/terraform.tfvars', async () => {
    const config = repo({}, [
      'environments/shared-features.tfvars',
      'environments/prod/terraform.tfvars',
      'environments/dev/terraform.tfvars',
      'environments/dev/terraform.tfvars.bak',
      'environments/empty/other.tfvars',
      'environments/nested/deeper/terraform.tfvars',
      'environments/.hidden/terraform.tfvars',
      'environments/my env/terraform.tfvars',
      'environments/-rf/terraform.tfvars',
    ]);
    // A folder named like the file: the glob's onlyFiles leaves it out.
    mkdirSync(join(config.root, 'environments/folder/terraform.tfvars'), { recursive: true });
    const names = ['prod', 'dev', 'empty', 'nested', 'nested/deeper', '.hidden', 'my env', '-rf', 'folder', 'missing', '..', '', '@shared', 'Prod', 'x'.repeat(300)];
    await expectAgreement(config, names);
    expect(await findEnvironment(config, 'prod')).toEqual({ name: 'prod', file: join(config.root, 'environments/prod/terraform.tfvars') });
  });

  it('never takes the shared file for an environment, even when the pattern matches it', async () => {
    const config = repo({ environments: 'envs/*.tfvars', shared: 'envs/shared.tfvars' }, ['envs/shared.tfvars', 'envs/prod.tfvars', 'envs/dev.tfvars.bak']);
    expect(await findEnvironment(config, 'shared')).toBeUndefined();
    await expectAgreement(config, ['shared', 'prod', 'dev', 'dev.tfvars']);
    // The * in the first segment: the folder listed is the repository's own.
    const top = repo({ environments: '*.tfvars', shared: 'shared.tfvars' }, ['shared.tfvars', 'prod.tfvars', 'sub/qa.tfvars']);
    expect(await findEnvironment(top, 'prod')).toEqual({ name: 'prod', file: join(top.root, 'prod.tfvars') });
    await expectAgreement(top, ['shared', 'prod', 'qa', 'sub']);
  });

  it('follows links inside the repository and refuses those that lead out, as discovery does', async () => {
    const config = repo({ environments: 'envs/*/terraform.tfvars' }, ['envs/prod/terraform.tfvars', 'live/qa/terraform.tfvars']);
    const outside = mkdtempSync(join(base, 'outside-'));
    writeFileSync(join(outside, 'terraform.tfvars'), '');
    symlinkSync(join(config.root, 'live/qa'), join(config.root, 'envs/qa'));
    symlinkSync(outside, join(config.root, 'envs/evil'));
    symlinkSync(join(config.root, 'nowhere'), join(config.root, 'envs/gone'));
    expect(await findEnvironment(config, 'qa')).toEqual({ name: 'qa', file: join(config.root, 'envs/qa/terraform.tfvars') });
    expect(await findEnvironment(config, 'evil')).toBeUndefined();
    await expectAgreement(config, ['prod', 'qa', 'evil', 'gone']);
  });

  it('treats glob characters in folder names literally', async () => {
    const files = ['env (old)/prod.tfvars', 'env o/dev.tfvars', 'env (old)/+(x)/qa.tfvars', 'env (old)/*.tfvars'];
    const config = repo({ environments: 'env (old)/*.tfvars' }, files, '[repo] {copy} ');
    await expectAgreement(config, ['prod', 'dev', 'qa', '*', '+(x)/qa']);
    expect(await findEnvironment(config, 'prod')).toEqual({ name: 'prod', file: join(config.root, 'env (old)/prod.tfvars') });
  });

  it('with the * inside a segment, requires the exact entry in the listing, not just a file there', async () => {
    const config = repo({ environments: 'envs/env-*.auto.tfvars' }, ['envs/env-qa.auto.tfvars', 'envs/qa.auto.tfvars']);
    await expectAgreement(config, ['qa', 'env-qa', 'QA']);
    // A file system that answers stat for a name its listing spells otherwise (case-insensitive
    // ones do): not confirmed, so the caller falls back to discovery.
    const probe = {
      stat: async () => ({ isFile: () => true }),
      realpath: async (path: string) => path,
      readdir: async () => ['env-qa.auto.tfvars'],
    };
    expect(await findEnvironment(config, 'QA', probe)).toBeUndefined();
    expect(await findEnvironment(config, 'qa', probe)).toEqual({ name: 'qa', file: join(config.root, 'envs/env-qa.auto.tfvars') });
  });

  it('says nothing (leaving it to discovery) when the file system fails', async () => {
    const config = repo({}, ['environments/prod/terraform.tfvars']);
    const failing = {
      stat: async () => ({ isFile: () => true }),
      realpath: async (path: string) => path,
      readdir: async (): Promise<string[]> => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
    };
    expect(await findEnvironment(config, 'prod', failing)).toBeUndefined();
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
