/**
 * The seed Makefile's sync targets, cut out of the seed document, for the benchmarks: a plain-JS
 * copy of test/helpers/seed-makefile.ts (which is TypeScript, and the benchmarks run without a
 * build of the tests). test/bench-smoke.test.ts checks that both give the same bytes.
 *
 * The seed document lives next to the repository (../shared/seeds/...); users who clone the
 * project do not have it, and then `extractSeedMakefile` returns undefined.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const SEED_PATH = resolve(REPO_ROOT, '..', 'shared', 'seeds', '003_fc12a20fe9c8d4b8.txt');

/** The seed's sections whose ```makefile block holds sync targets, in the order they appear. */
const SECTIONS = ['### New Makefile Targets', '## Advanced: Partial Sync'];

/** As in test/helpers/seed-makefile.ts: the colour variables the seed uses, and bash for `echo -e`. */
const PRELUDE = `# Extracted by test/helpers/seed-makefile.ts from the seed document. The recipes are the seed's,
# unchanged; only the colour variables and the shell they need are added.
SHELL  := /bin/bash
GREEN  := \\033[0;32m
YELLOW := \\033[1;33m
RED    := \\033[0;31m
NC     := \\033[0m
`;

/** The seed's sync targets as a runnable Makefile, or undefined when the seed is absent. Throws when its sections moved. */
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
