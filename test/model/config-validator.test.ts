import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script without types
import { compileConfigValidator, OUTPUT } from '../../scripts/compile-config-validator.mjs';
import { validateConfigShape } from '../../src/model/config.js';

describe('the precompiled tfsync.json validator', () => {
  it('is up to date with schemas/tfsync.schema.json (run scripts/compile-config-validator.mjs)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(compileConfigValidator());
  });

  it('accepts a valid config and reports the JSON path of a bad one', () => {
    expect(validateConfigShape({ syncable: ['a_*'], groups: { images: ['x'] } })).toEqual([]);
    const errors = validateConfigShape({ syncable: [3], bogus: true });
    expect(errors.map((e) => `${e.instancePath} ${e.keyword}`)).toEqual(
      expect.arrayContaining(['/syncable/0 type', ' additionalProperties']),
    );
  });
});
