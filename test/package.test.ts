/**
 * What `npm ci` leaves must run: `npx tfsync` executes the bin file itself, so it must be
 * executable. tsc writes new files 0644; the build marks them (scripts/make-bin-executable.mjs),
 * and `npm test` builds first, so on a fresh clone this checks what `npm ci` produced.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

const { bin } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };

describe('the package bin', () => {
  it.each(Object.entries(bin))('%s (%s) is built, starts with a node shebang, and is executable by whoever can read it', (_, file) => {
    const path = join(ROOT, file);
    expect(readFileSync(path, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    const mode = statSync(path).mode & 0o777;
    expect(mode & 0o100).toBe(0o100);
    expect((mode & 0o444) >> 2).toBe(mode & 0o111);
  });
});
