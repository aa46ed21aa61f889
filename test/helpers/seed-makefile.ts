/** The seed Makefile's sync targets for tests: bench/seed-makefile.mjs, typed. */
// @ts-expect-error: plain JavaScript without type declarations, so that the benchmarks run without a build.
import * as seed from '../../bench/seed-makefile.mjs';

export const REPO_ROOT: string = seed.REPO_ROOT;
export const SEED_PATH: string = seed.SEED_PATH;
export const extractSeedMakefile: (seedPath?: string) => string | undefined = seed.extractSeedMakefile;
