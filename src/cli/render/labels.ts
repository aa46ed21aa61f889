/** Words and small pieces every renderer shares, so text, markdown and show agree on them. */
import type { Origin } from '../../model/layers.js';
import { isMasked, SENSITIVE_TEXT, type ShownValue } from '../../sync/mask.js';
import type { DiffSection, SectionName } from '../../sync/diff.js';
import type { Colors } from '../colors.js';
import { inlineValue, valueLines } from './value.js';

export const SECTION_TITLES: Record<SectionName, string> = {
  syncable: 'Syncable',
  'environment-specific': 'Environment-specific',
  unclassified: 'Unclassified',
};

/** Why a section's variables are not promoted, for the ones that are not. */
export const SECTION_NOTES: Record<SectionName, string | undefined> = {
  syncable: undefined,
  'environment-specific': 'never synced',
  unclassified: 'in neither list of tfsync.json; never synced',
};

export function sectionCounts(section: DiffSection): string {
  return `${section.differ} differ, ${section.identical} identical`;
}

/** What stands where a value would be when there is none. */
export function missingLabel(required: boolean): string {
  return required ? '(required, not set)' : '(not set)';
}

/** Where a value comes from, when not from the environment's own file: `(shared)`, `(default)`. */
export function originNote(origin: Origin | null): string | undefined {
  if (origin === null || origin.layer === 'environment') return undefined;
  return `(${origin.layer === 'shared' ? (origin.name ?? origin.layer) : origin.layer})`;
}

/** What stands for a value nothing gives: required, external (TF_VAR_, -var) or in an encrypted file. */
export function absentLabel(v: { required: boolean; external?: boolean; unknown?: boolean }): string {
  if (v.external) return '(external)';
  if (v.unknown) return '(unknown: in an unreadable file)';
  return missingLabel(v.required);
}

/** A present value (or its mask) as text lines, coloured: the mask stands out from real strings. */
export function shownLines(value: Exclude<ShownValue, undefined>, colors: Colors, width?: number): string[] {
  if (isMasked(value)) return [colors.magenta(SENSITIVE_TEXT)];
  return valueLines(value, width);
}

/** A present value (or its mask) on one line, uncoloured. */
export function shownInline(value: Exclude<ShownValue, undefined>): string {
  return isMasked(value) ? SENSITIVE_TEXT : inlineValue(value);
}

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]!}`;
}

/** Length as a terminal shows it, near enough: code points, not UTF-16 units. */
export function displayWidth(text: string): number {
  // A surrogate pair is one code point; a lone surrogate counts as one, as a string's iterator does.
  let n = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The text cut to `width` columns, with … where it was cut. */
export function cut(text: string, width: number): string {
  if (text.length <= width) return text;
  // One pass (check cuts two values on each of thousands of lines): where the first width - 1
  // code points end, kept until the text proves longer than width.
  let count = 0;
  let end = 0;
  for (const ch of text) {
    if (++count > width) return `${text.slice(0, end)}…`;
    if (count < width) end += ch.length;
  }
  return text;
}

/** Width without colour codes. */
export function visibleWidth(text: string): number {
  return displayWidth(text.replace(/\u001b\[[0-9;]*m/g, ''));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
