import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { findConfig } from '../../src/io/find-config.js';
import { CONFIG_DEFAULTS, configSchema, loadConfig, validateConfigShape } from '../../src/model/config.js';

const root = '/repo/infra';
const path = `${root}/tfsync.json`;

const designExample = {
  $schema: './schemas/tfsync.schema.json',
  variables: 'variables.tf',
  shared: 'environments/shared-features.tfvars',
  environments: 'environments/*/terraform.tfvars',
  syncable: ['singleuser_image_*', 'dask_worker_*', 'kernel_cull_timeout'],
  environmentSpecific: ['environment', 'region', 'domain_name', '*_node_*_size'],
  groups: { images: ['singleuser_image_*'], dask: ['dask_*'] },
  sensitive: ['*_password', '*_token'],
};

/** The error loadConfig throws for this text (fails the test when it does not throw). */
function loadError(text: string): TfsyncError {
  try {
    loadConfig(path, text);
  } catch (error) {
    if (error instanceof TfsyncError) return error;
    throw error;
  }
  throw new Error('expected loadConfig to fail');
}

/** The text an error's location points at. */
function pointedAt(error: TfsyncError): string | undefined {
  const location = error.location;
  return location && location.text.slice(location.range.start, location.range.end);
}

describe('loadConfig', () => {
  it('fills in defaults and resolves paths against the config folder', () => {
    expect(loadConfig(path, '{}')).toEqual({
      path,
      root,
      variables: `${root}/variables.tf`,
      shared: `${root}/environments/shared-features.tfvars`,
      environments: `${root}/environments/*/terraform.tfvars`,
      syncable: [],
      environmentSpecific: [],
      sensitive: [],
      groups: {},
      secrets: {},
    });
  });

  it('reads the example from the design', () => {
    const config = loadConfig(path, JSON.stringify(designExample, null, 2));
    expect(config.syncable).toEqual(designExample.syncable);
    expect(config.environmentSpecific).toEqual(designExample.environmentSpecific);
    expect(config.sensitive).toEqual(designExample.sensitive);
    expect(config.groups).toEqual(designExample.groups);
  });

  it('resolves custom layouts and globs', () => {
    const config = loadConfig(path, '{"variables": "*.tf", "shared": "envs/shared.tfvars", "environments": "./envs/*.tfvars"}');
    expect(config.variables).toBe(`${root}/*.tf`);
    expect(config.shared).toBe(`${root}/envs/shared.tfvars`);
    expect(config.environments).toBe(`${root}/envs/*.tfvars`);
  });

  it('accepts absolute paths inside the config folder and `..` that stays inside', () => {
    const config = loadConfig(path, `{"shared": "${root}/layers/shared.tfvars", "variables": "modules/../variables.tf"}`);
    expect(config.shared).toBe(`${root}/layers/shared.tfvars`);
    expect(config.variables).toBe(`${root}/variables.tf`);
  });

  it('accepts a UTF-8 byte order mark', () => {
    expect(loadConfig(path, '\ufeff{"syncable": ["a"]}').syncable).toEqual(['a']);
  });

  it.each([
    ['shared', '../shared.tfvars'],
    ['shared', '/etc/shared.tfvars'],
    ['variables', '../modules/*.tf'],
    ['environments', '../../envs/*.tfvars'],
    ['environments', 'envs/../../*.tfvars'],
    ['shared', '..'],
  ])('refuses /%s %s, which is not inside the config folder', (key, value) => {
    const text = `{\n  "${key}": ${JSON.stringify(value)}\n}`;
    const error = loadError(text);
    expect(error.message).toBe(`tfsync.json: /${key} ${JSON.stringify(value)} is outside the folder of tfsync.json`);
    expect(pointedAt(error)).toBe(JSON.stringify(value));
  });

  it('refuses a path that names the config folder itself', () => {
    const error = loadError('{"variables": "./"}');
    expect(error.message).toBe('tfsync.json: /variables "./" is the folder of tfsync.json');
    expect(error.hint).toBe(`paths in tfsync.json are relative to ${root} and must name something inside it`);
  });

  it('names the JSON path of a value of the wrong type and points at it', () => {
    const error = loadError('{\n  "syncable": ["a", "b", 3]\n}');
    expect(error.message).toBe('tfsync.json: /syncable/2 must be string');
    expect(pointedAt(error)).toBe('3');
    expect(error.location?.file).toBe(path);
    expect(error.location?.range).toEqual({ start: 27, end: 28 });
  });

  it.each([
    ['{"groups": {"images": "singleuser_image_*"}}', 'tfsync.json: /groups/images must be array', '"singleuser_image_*"'],
    ['{"environmentSpecific": ["a", ""]}', 'tfsync.json: /environmentSpecific/1 must not be empty', '""'],
    ['{"sensitive": ["x", "y", "x"]}', 'tfsync.json: /sensitive/2 repeats /sensitive/0', '"x"'],
    ['{"shared": 5}', 'tfsync.json: /shared must be string', '5'],
    ['{"$schema": false}', 'tfsync.json: /$schema must be string', 'false'],
    ['[]', 'tfsync.json: (top level) must be object', '[]'],
  ])('reports %s', (text, message, at) => {
    const error = loadError(text);
    expect(error.message).toBe(message);
    expect(pointedAt(error)).toBe(at);
  });

  it.each(['environments/terraform.tfvars', 'envs/*/*.tfvars', 'envs/**/terraform.tfvars', 'envs/*-?.tfvars', 'envs/{a,b}/*.tfvars'])(
    'requires exactly one * and no other wildcard in environments: %s',
    (glob) => {
      const error = loadError(JSON.stringify({ environments: glob }));
      expect(error.message).toMatch(/^tfsync\.json: \/environments must contain exactly one "\*"/);
      expect(pointedAt(error)).toBe(JSON.stringify(glob));
    },
  );

  it('points at an unknown property and suggests the known one', () => {
    const error = loadError('{\n  "sincable": ["a"]\n}');
    expect(error.message).toBe('tfsync.json: /sincable is not a known property');
    expect(error.hint).toBe('did you mean "syncable"?');
    expect(pointedAt(error)).toBe('"sincable"');
  });

  it('refuses group names that could not be typed after --only', () => {
    const error = loadError('{"groups": {"my images": ["a"]}}');
    expect(error.message).toMatch(/^tfsync\.json: \/groups\/my images is not a valid group name/);
    expect(pointedAt(error)).toBe('"my images"');
  });

  it('reports every problem, the first in the file first', () => {
    const error = loadError('{"groups": {"a": [2]}, "syncable": [1], "sincable": []}');
    expect(error.message).toBe('tfsync.json: /groups/a/0 must be string');
    expect(error.options.more?.map((e) => e.message)).toEqual([
      'tfsync.json: /syncable/0 must be string',
      'tfsync.json: /sincable is not a known property',
    ]);
    expect(error.options.more?.map(pointedAt)).toEqual(['1', '"sincable"']);
  });

  it('uses the file name it was given in messages', () => {
    try {
      loadConfig('/repo/ci/tfsync.ci.json', '{"syncable": "a"}');
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toBe('tfsync.ci.json: /syncable must be array');
    }
  });

  describe('JSON syntax errors', () => {
    it.each([
      ['{"syncable": ["a",]}', 'trailing commas are not allowed in JSON', ','],
      ['{"syncable": ["a"],\n}', 'trailing commas are not allowed in JSON', ','],
      ['{\n  // the schema\n  "syncable": []\n}', 'comments are not allowed in JSON', '/'],
      ['{"syncable": ["a" "b"]}', 'expected "," or "]" but found "\\""', '"'],
      ['{"syncable": ["a"]', 'expected "," or "}" but found the end of the file', ''],
      ['{syncable: []}', 'expected a property name in double quotes but found "s"', 's'],
      ["{'syncable': []}", 'expected a property name in double quotes but found "\'"', "'"],
      ['{"syncable": [tru]}', 'unexpected word "tru" (strings need double quotes)', 't'],
      ['{"syncable": ["a\nb"]}', 'line break inside a string (a missing closing quote?)', '\n'],
      ['{"syncable": ["a\\qb"]}', 'invalid escape sequence', '\\'],
      ['{"syncable": ["a', 'unterminated string', '"'],
      ['{"a": 01}', 'expected "," or "}" but found "1"', '1'],
      ['{} {}', 'unexpected text after the end of the JSON document', '{'],
    ])('reports %j at the offending character', (text, message, at) => {
      const error = loadError(text);
      expect(error.message).toBe(`tfsync.json: invalid JSON: ${message}`);
      expect(pointedAt(error)).toBe(at);
    });

    it('counts offsets in the text as given, byte order mark included', () => {
      const error = loadError('\ufeff{"a": 1,}');
      expect(error.location?.range.start).toBe(8);
    });

    it('says so when the file is empty', () => {
      expect(loadError('').message).toBe('tfsync.json is empty');
      expect(loadError('  \n').message).toBe('tfsync.json is empty');
    });
  });
});

describe('the schema', () => {
  it('compiles under ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true, strictTypes: true, strictTuples: true });
    expect(() => ajv.compile(configSchema())).not.toThrow();
  });

  it('documents every property', () => {
    const properties = configSchema()['properties'] as Record<string, { title?: string; description?: string }>;
    expect(Object.keys(properties).sort()).toEqual(
      [
        '$schema',
        'environmentSpecific',
        'environments',
        'exclude',
        'external',
        'groups',
        'layers',
        'promoteTo',
        'secrets',
        'sensitive',
        'shared',
        'stacks',
        'syncable',
        'variables',
      ].sort(),
    );
    for (const [name, property] of Object.entries(properties)) {
      expect(property.title, name).toBeTruthy();
      expect(property.description, name).toBeTruthy();
    }
  });

  it('states the defaults the loader uses', () => {
    const properties = configSchema()['properties'] as Record<string, { default?: unknown }>;
    for (const [key, value] of Object.entries(CONFIG_DEFAULTS)) expect(properties[key]?.default).toBe(value);
    const config = loadConfig(path, '{}');
    for (const key of ['syncable', 'environmentSpecific', 'sensitive', 'groups'] as const) {
      expect(properties[key]?.default).toEqual(config[key]);
    }
  });

  it('accepts the design example and rejects unknown properties', () => {
    expect(validateConfigShape(designExample)).toEqual([]);
    expect(validateConfigShape({ ...designExample, extra: 1 })).toHaveLength(1);
  });
});

describe('findConfig', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'tfsync-config-')));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  function tree(...files: string[]): string {
    const dir = mkdtempSync(join(base, 'tree-'));
    for (const file of files) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      if (!file.endsWith('/')) writeFileSync(join(dir, file), '{}');
    }
    return dir;
  }

  it('finds tfsync.json in the start folder', () => {
    const dir = tree('tfsync.json');
    expect(findConfig(dir)).toBe(join(dir, 'tfsync.json'));
  });

  it('walks up to the nearest tfsync.json', () => {
    const dir = tree('tfsync.json', 'infra/tfsync.json', 'infra/environments/prod/terraform.tfvars');
    expect(findConfig(join(dir, 'infra/environments/prod'))).toBe(join(dir, 'infra/tfsync.json'));
    expect(findConfig(join(dir, 'infra'))).toBe(join(dir, 'infra/tfsync.json'));
  });

  it('skips a folder called tfsync.json', () => {
    const dir = tree('tfsync.json', 'a/tfsync.json/', 'a/b/');
    expect(findConfig(join(dir, 'a/b'))).toBe(join(dir, 'tfsync.json'));
  });

  it('accepts a relative start folder', () => {
    const dir = tree('tfsync.json', 'a/');
    const previous = process.cwd();
    process.chdir(dir);
    try {
      expect(findConfig('a')).toBe(join(dir, 'tfsync.json'));
    } finally {
      process.chdir(previous);
    }
  });

  it('finds nothing inside a tree without one', () => {
    const dir = tree('a/b/c/');
    // Whatever lies above the temporary folder is not ours to control; only require that the search
    // did not stop inside the tree and went on to the same answer as from its parent.
    const found = findConfig(join(dir, 'a/b/c'));
    expect(found).toBe(findConfig(base));
    expect(found?.startsWith(dir) ?? false).toBe(false);
  });
});
