/**
 * The repository's Makefile and the snippet `tfsync init --makefile` writes for the demo (its
 * groups: images, dask, timeouts) carry the same sync targets. They must not drift apart: same
 * targets, same descriptions, same tfsync commands (TFSYNC differs: the repository pins it; and
 * the defaults: the repository keeps the seed's, the snippet takes the promotion order).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makefileSnippet, TFSYNC_DEFAULT } from '../src/cli/makefile-snippet.js';
import { REPO_ROOT } from './helpers/seed-makefile.js';
import { commandWorks } from './helpers/tools.js';

interface Rule {
  help: string | undefined;
  recipe: string[];
}

/** Rules (`name: ## help` followed by tab-indented recipe lines) and `NAME ?= value` variables. */
function readMakefile(text: string): { rules: Map<string, Rule>; vars: Map<string, string> } {
  const rules = new Map<string, Rule>();
  const vars = new Map<string, string>();
  let current: Rule | undefined;
  for (const line of text.split('\n')) {
    if (current && line.startsWith('\t')) {
      current.recipe.push(line.slice(1));
      continue;
    }
    current = undefined;
    const rule = /^([A-Za-z0-9_-]+):(?!=)[^#]*(?:## (.*))?$/.exec(line);
    if (rule) {
      current = { help: rule[2], recipe: [] };
      rules.set(rule[1]!, current);
      continue;
    }
    const variable = /^([A-Z_]+) \?= ?(.*)$/.exec(line);
    if (variable) vars.set(variable[1]!, variable[2]!);
  }
  return { rules, vars };
}

const project = readMakefile(readFileSync(join(REPO_ROOT, 'Makefile'), 'utf8'));
const MAKEFILE_SNIPPET = makefileSnippet({ source: 'englacial', target: 'dev', groups: ['images', 'dask', 'timeouts'] });
const snippet = readMakefile(MAKEFILE_SNIPPET);
const syncTargets = [...project.rules.keys()].filter((name) => name.startsWith('sync-'));

describe('MAKEFILE_SNIPPET and the project Makefile', () => {
  it('the project Makefile has the seed targets and the new ones', () => {
    expect(syncTargets).toEqual([
      'sync-diff',
      'sync-features-from',
      'sync-features-to',
      'sync-promote',
      'sync-backport',
      'sync-images',
      'sync-dask',
      'sync-timeouts',
      'sync-check',
      'sync-validate',
    ]);
  });

  it.each(syncTargets)('%s runs the same tfsync command in both, with the same description', (name) => {
    const inProject = project.rules.get(name)!;
    const inSnippet = snippet.rules.get(name);
    expect(inSnippet, `${name} is missing from MAKEFILE_SNIPPET`).toBeDefined();
    expect(inSnippet!.recipe).toEqual(inProject.recipe);
    expect(inProject.recipe).toHaveLength(1);
    expect(inProject.recipe[0]).toMatch(/^\$\(TFSYNC\) [a-z]+ .*\$\(TFSYNC_FLAGS\)$/);
    expect(inSnippet!.help).toBeDefined();
    expect(inSnippet!.help).toBe(inProject.help);
  });

  it('the snippet has no target the project Makefile lacks', () => {
    expect([...snippet.rules.keys()].sort()).toEqual([...syncTargets].sort());
  });

  it('the defaults are the ones given; TFSYNC is the local bin or npx --no-install, never a bare npx', () => {
    for (const vars of [project.vars, snippet.vars]) {
      expect(vars.get('SYNC_SOURCE')).toBe('englacial');
      expect(vars.get('SYNC_TARGET')).toBe('dev');
      expect(vars.get('TFSYNC_FLAGS')).toBe('');
    }
    expect(project.vars.get('TFSYNC')).toBe('npx --no-install tfsync');
    expect(snippet.vars.get('TFSYNC')).toBe(TFSYNC_DEFAULT);
    expect(MAKEFILE_SNIPPET).not.toMatch(/npx tfsync/);
  });

  it('one partial target per group; a group make cannot name is left out, and said so', () => {
    const text = makefileSnippet({ source: 'dev', target: 'prod', groups: ['web', 'has space'] });
    const { rules } = readMakefile(text);
    expect([...rules.keys()].filter((r) => !['sync-diff', 'sync-features-from', 'sync-features-to', 'sync-promote', 'sync-backport', 'sync-check', 'sync-validate'].includes(r))).toEqual(['sync-web']);
    expect(rules.get('sync-web')!.recipe).toEqual(['$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only web --no-shared --yes $(TFSYNC_FLAGS)']);
    expect(text).toContain('No target for the group(s) "has space"');
    expect(text).not.toMatch(/sync-images|sync-dask/);
  });

  it('recipes in the snippet start with a tab, as make requires', () => {
    for (const line of MAKEFILE_SNIPPET.split('\n')) expect(line).not.toMatch(/^ +\$\(TFSYNC\)/);
    expect(MAKEFILE_SNIPPET.endsWith('\n')).toBe(true);
  });

  it.skipIf(!commandWorks('make', ['--version']))('make reads the snippet and expands the commands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tfsync-snippet-'));
    try {
      const file = join(dir, 'Makefile');
      writeFileSync(file, MAKEFILE_SNIPPET);
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of ['MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[name];
      const dryRun = (...args: string[]) =>
        execFileSync('make', ['--no-print-directory', '-n', '-f', file, ...args], { cwd: dir, env, encoding: 'utf8' }).trim();
      expect(dryRun('sync-diff')).toBe('npx --no-install tfsync diff englacial dev');
      expect(dryRun('sync-dask', 'SYNC_SOURCE=englacial', 'SYNC_TARGET=prod', 'TFSYNC_FLAGS=--dry-run')).toBe(
        'npx --no-install tfsync promote englacial prod --only dask --no-shared --yes --dry-run',
      );
      expect(dryRun('sync-features-to', 'SYNC_TARGET=prod', 'TFSYNC=tfsync')).toBe('tfsync promote @shared prod --yes');
      // A local install (npm i -D tfsync) is used directly: npx costs half a second per run.
      mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', '.bin', 'tfsync'), '');
      expect(dryRun('sync-diff')).toBe('node_modules/.bin/tfsync diff englacial dev');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
