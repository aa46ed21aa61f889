/**
 * Keyed fingerprints of secret values, for telling whether two environments hold the same secret
 * without showing either: HMAC-SHA-256 under a key made fresh for each run, so a fingerprint says
 * nothing outside the run that printed it (no dictionary of known values can be matched to it).
 */
import { createHmac, randomBytes } from 'node:crypto';

export type Fingerprint = (value: string) => string;

/** A fingerprint function with its own random key; 12 hex digits are plenty to tell values apart. */
export function freshFingerprint(): Fingerprint {
  const key = randomBytes(32);
  return (value) => createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 12);
}
