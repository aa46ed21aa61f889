/**
 * The order in which changes usually travel through environments (dev, then test, staging, prod),
 * from their names alone, for defaults such as the Makefile's SYNC_SOURCE and SYNC_TARGET. A name
 * it does not know sits between testing and staging; equal ranks keep name order.
 */
import { nameWords } from './name-nature.js';
import { compare } from './repository.js';

const RANKS: ReadonlyArray<[number, readonly string[]]> = [
  [0, ['sandbox', 'local', 'dev', 'devel', 'develop', 'development', 'experimental', 'preview']],
  [1, ['test', 'testing', 'qa', 'ci', 'int', 'integration', 'sit']],
  [3, ['stage', 'staging', 'stg', 'preprod', 'uat', 'acceptance']],
  [4, ['prod', 'production', 'prd', 'live']],
];
const UNKNOWN = 2;

function rank(name: string): number {
  // `pre-prod` is two words, the second of which would rank it as production.
  if (/^pre[-_]?prod/i.test(name)) return 3;
  const words = nameWords(name);
  let best: number | undefined;
  for (const [value, names] of RANKS) if (words.some((w) => names.includes(w))) best = Math.max(best ?? value, value);
  return best ?? UNKNOWN;
}

/** The names from the first to receive a change to the last. */
export function promotionOrder(names: readonly string[]): string[] {
  return [...names].sort((a, b) => rank(a) - rank(b) || compare(a, b));
}
