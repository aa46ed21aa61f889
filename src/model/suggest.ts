/**
 * "Did you mean …?" for names the user typed: environments, groups, variables, config keys.
 */

/**
 * The name closest to `candidate`, ignoring case, or undefined when none is close enough to be
 * a plausible typo. A wrong suggestion is worse than none, so the bar is strict: at most one edit
 * per three characters, and never a rewrite of a whole short name ("x" does not suggest "y").
 * On a tie the earlier name wins, so callers control the preference by ordering.
 */
export function closestName(candidate: string, names: Iterable<string>): string | undefined {
  const wanted = candidate.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of names) {
    const lower = name.toLowerCase();
    const longer = Math.max(wanted.length, lower.length);
    const shorter = Math.min(wanted.length, lower.length);
    const limit = Math.min(Math.max(1, Math.floor(longer / 3)), shorter - 1);
    // Cheap reject before the quadratic distance: lengths alone already need this many edits.
    if (longer - shorter > limit) continue;
    const distance = editDistance(wanted, lower);
    if (distance <= limit && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Levenshtein distance where swapping two adjacent characters also counts as one edit
 * (optimal string alignment): "prdo" is one slip away from "prod", not two.
 */
export function editDistance(a: string, b: string): number {
  const n = b.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let row = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prevPrev[j - 2]! + 1);
      row[j] = d;
    }
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  return prev[n]!;
}

/** The hint for an unknown name, `did you mean "prod"?`, or undefined when nothing is close. */
export function didYouMean(candidate: string, names: Iterable<string>): string | undefined {
  const suggestion = closestName(candidate, names);
  return suggestion === undefined ? undefined : `did you mean "${suggestion}"?`;
}

/** A short, readable list of known names for an error message: `dev, prod, staging and 12 more`. */
export function listNames(names: readonly string[], max = 10): string {
  if (names.length === 0) return '(none)';
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
