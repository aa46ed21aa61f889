/**
 * The project's shared material beside the clone (`../shared`: the corpus of real Terraform files,
 * the seed documents). A clone anywhere else has none, and `.ci/run` must pass there too: the tests
 * that need it skip, and their titles say why, so that a skipped run never reads as a passed one.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SEED_PATH } from './seed-makefile.js';

const REPOSITORY = resolve(import.meta.dirname, '../..');

export const CORPUS_DIR = resolve(REPOSITORY, '../shared/corpus');
export const CORPUS_INDEX = join(CORPUS_DIR, 'INDEX.tsv');

/** Why the corpus tests skip, or undefined when the corpus is there. */
export const corpusAbsent: string | undefined = existsSync(CORPUS_INDEX)
  ? undefined
  : `skipped: the shared corpus is absent (no ${CORPUS_INDEX}; it sits beside the clone as ../shared/corpus)`;

/** Why the seed Makefile's tests skip, or undefined when the seed document is there. */
export const seedAbsent: string | undefined = existsSync(SEED_PATH)
  ? undefined
  : `skipped: the seed document is absent (no ${SEED_PATH}; it sits beside the clone in ../shared/seeds)`;

/** The first reason that applies, for a test that needs several things. */
export function firstReason(...reasons: Array<string | undefined | false>): string | undefined {
  return reasons.find((r): r is string => typeof r === 'string');
}

/** `title`, with the reason it is skipped appended when it is. */
export function titled(title: string, skipReason: string | undefined): string {
  return skipReason === undefined ? title : `${title} [${skipReason}]`;
}
