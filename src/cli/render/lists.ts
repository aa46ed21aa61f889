/**
 * Array helpers for output whose length grows with the input. `Math.max(...widths)` and
 * `lines.push(...more)` pass every item as an argument, and a few hundred thousand of them (a
 * file of that many variables) overflow the call stack.
 */

/** The largest of the numbers, or `floor` (default 0) when there are none or all are smaller. */
export function widest(widths: Iterable<number>, floor = 0): number {
  let max = floor;
  for (const width of widths) if (width > max) max = width;
  return max;
}

/** Appends the items to `target` one by one; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}
