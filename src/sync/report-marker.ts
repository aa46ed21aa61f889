/**
 * The hidden marker tfsync leaves in the pull requests and issues it opens: an HTML comment that
 * GitHub does not render, naming what the text is about (a promotion, the drift report) and a hash
 * of its content. tfsync finds its own pull request or issue again by the name, and knows from the
 * hash whether it must be rewritten at all (same hash: no request that writes).
 */
import { createHash } from 'node:crypto';
import { stringifyJson } from '../hcl/json-text.js';

export interface Marker {
  /** What the text reports: `promote test → prod`, `drift`. */
  id: string;
  hash: string;
}

const PATTERN = /<!-- tfsync:report id="([^"]*)" hash="([0-9a-f]*)" -->/;

export function renderMarker({ id, hash }: Marker): string {
  return `<!-- tfsync:report id="${id.replace(/"/g, "'")}" hash="${hash}" -->`;
}

/** The marker in a body, if tfsync wrote one. */
export function readMarker(body: string | null | undefined): Marker | undefined {
  const match = PATTERN.exec(body ?? '');
  return match ? { id: match[1]!, hash: match[2]! } : undefined;
}

/** Whether a body carries the marker for `id` (quotes are written as apostrophes, as above). */
export function hasMarkerFor(body: string | null | undefined, id: string): boolean {
  return readMarker(body)?.id === id.replace(/"/g, "'");
}

/**
 * A short hash of data that is already masked: the marker is public, and a hash of a secret could
 * be guessed offline, so callers hash what they show, never a sensitive value.
 */
export function contentHash(data: unknown): string {
  return createHash('sha256').update(stringifyJson(data)).digest('hex').slice(0, 16);
}
