/** The date stamped on `Last synced` lines. */
import { TfsyncError } from '../errors.js';

/**
 * YYYY-MM-DD in UTC: of SOURCE_DATE_EPOCH (seconds since 1970, per reproducible-builds.org) when
 * it is set, else of `now`.
 */
export function syncDate(env: Record<string, string | undefined>, now: Date = new Date()): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return now.toISOString().slice(0, 10);
  const date = /^\s*\d+\s*$/.test(epoch) ? new Date(Number(epoch) * 1000) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new TfsyncError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not ${JSON.stringify(epoch)}`, { code: 'usage',
      hint: 'unset it to use today\'s date',
    });
  }
  return date.toISOString().slice(0, 10);
}
