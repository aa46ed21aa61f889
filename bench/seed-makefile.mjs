/**
 * The seed document (`../shared/seeds/003_fc12a20fe9c8d4b8.txt`, next to the repository) describes
 * the grep/sed Makefile that tfsync replaces. This cuts its sync targets out of the document so
 * that the benchmarks and the tests (through test/helpers/seed-makefile.ts) run the real thing.
 * Plain JavaScript, because the benchmarks run without a build. Users who clone the project do not
 * have the seed: every caller must skip when `extractSeedMakefile` returns undefined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SEED_PATH = resolve(REPO_ROOT, '..', 'shared', 'seeds', '003_fc12a20fe9c8d4b8.txt');

/** The seed's sections whose ```makefile block holds sync targets, in the order they appear. */
const SECTIONS = ['### New Makefile Targets', '## Advanced: Partial Sync'];

/**
 * The seed uses these without defining them (they live elsewhere in its Makefile). `echo -e` needs
 * bash: under dash, make's default /bin/sh on Debian, it would print a literal "-e".
 */
const PRELUDE = `# Extracted by bench/seed-makefile.mjs from the seed document. The recipes are the seed's,
# unchanged; only the colour variables and the shell they need are added.
SHELL  := /bin/bash
GREEN  := \\033[0;32m
YELLOW := \\033[1;33m
RED    := \\033[0;31m
NC     := \\033[0m
`;

/**
 * The seed's sync targets (sync-features-from, sync-features-to, sync-diff, sync-promote,
 * sync-backport, sync-images, sync-dask, sync-timeouts) as a runnable Makefile, or undefined when
 * the seed file is absent. Write it as `Makefile` in the working directory: sync-promote and
 * sync-backport recurse with a bare `$(MAKE) target`, which reads `Makefile` from there.
 *
 * Throws if the seed is present but no longer has the expected sections, so that a changed seed
 * fails loudly instead of skipping every test.
 */
export function extractSeedMakefile(seedPath = SEED_PATH) {
  if (!existsSync(seedPath)) return undefined;
  const lines = readFileSync(seedPath, 'utf8').split(/\r?\n/);
  const blocks = SECTIONS.map((heading) => makefileBlockAfter(lines, heading, seedPath));
  return `${PRELUDE}\n${blocks.join('\n\n')}\n`;
}

function makefileBlockAfter(lines, heading, seedPath) {
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`${seedPath}: heading "${heading}" not found`);
  let i = start + 1;
  // The block must belong to this section: stop at the next heading of any level.
  while (i < lines.length && !/^```makefile\s*$/.test(lines[i])) {
    if (/^#{1,6} /.test(lines[i])) throw new Error(`${seedPath}: no \`\`\`makefile block under "${heading}"`);
    i++;
  }
  const open = i;
  let close = open + 1;
  while (close < lines.length && !/^```\s*$/.test(lines[close])) close++;
  if (open >= lines.length || close >= lines.length) {
    throw new Error(`${seedPath}: unterminated or missing \`\`\`makefile block under "${heading}"`);
  }
  return lines.slice(open + 1, close).join('\n');
}
