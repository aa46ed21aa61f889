/**
 * The README's promises that can be checked: the two quick-start commands stay as they are, the
 * install section says how to install and call tfsync in one's own repository, and its tfsync.json
 * example agrees with the shipped one (same paths; every pattern it lists is the shipped one's, in
 * the same list) and loads.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/model/config.js';
import { ROOT } from './helpers/cli.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const SHIPPED = JSON.parse(readFileSync(join(ROOT, 'tfsync.json'), 'utf8'));

describe('README.md', () => {
  it('keeps the two quick-start commands', () => {
    expect(README).toContain('```sh\nnpm ci && npx tfsync diff englacial prod\n```');
    expect(README).toContain('```sh\nnpm ci && npm test\n```');
  });

  it('says how to install tfsync into one\'s own repository and how Makefiles should call it', () => {
    const section = README.slice(README.indexOf('## Install in your own repository'));
    expect(section).toContain('npm i -D tfsync');
    expect(section).toContain('npx tfsync init');
    expect(section).toContain('npx --no-install tfsync');
    expect(section).toContain('node_modules/.bin/tfsync');
    expect(section).toContain('.gitignore');
    expect(section).toContain('./node_modules/tfsync/schemas/tfsync.schema.json');
  });

  it("has a tfsync.json example consistent with the shipped one, that loads", () => {
    const section = README.slice(README.indexOf('## Configuration: `tfsync.json`'));
    const example = JSON.parse(/```json\n([^]*?)```/.exec(section)![1]!);
    for (const key of ['variables', 'shared', 'environments'] as const) expect(example[key], key).toBe(SHIPPED[key]);
    for (const list of ['syncable', 'environmentSpecific', 'sensitive'] as const) {
      for (const pattern of example[list]) expect(SHIPPED[list], `${list}: ${pattern}`).toContain(pattern);
    }
    for (const [group, patterns] of Object.entries(example.groups)) expect(SHIPPED.groups[group]).toEqual(expect.arrayContaining(patterns as string[]));
    expect(() => loadConfig(join(ROOT, 'tfsync.json'), JSON.stringify(example))).not.toThrow();
    expect(section).toMatch(/`variables` is a file or a glob/);
  });
});
