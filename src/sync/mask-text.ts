/**
 * Whole variables files with their sensitive values hidden, for the unified diffs that promote
 * and restore print. Every sensitive attribute's value (not only the ones that change: a diff's
 * context lines show neighbours too) is replaced by a placeholder before the texts are compared.
 */
import { applyEdits, type Edit } from '../hcl/edits.js';
import { parseTfvars } from '../hcl/tfvars.js';
import { SENSITIVE_TEXT } from './mask.js';

export interface MaskTextOptions {
  json: boolean;
  isSensitive: (name: string) => boolean;
  /** The text that stands for a name's value (default `(sensitive)`). */
  placeholder?: (name: string) => string;
}

/** A line that looks like `name = ...` or `"name": ...`, for files that do not parse. */
const ASSIGNMENT = /^([ \t]*)(?:"([^"]*)"[ \t]*:|([A-Za-z_][\w-]*)[ \t]*=)[ \t]*(.*\S)/gm;

export function maskSensitiveText(text: string, { json, isSensitive, placeholder = () => SENSITIVE_TEXT }: MaskTextOptions): string {
  const doc = parseTfvars(text, { json });
  const shown = (name: string) => (json ? JSON.stringify(placeholder(name)) : placeholder(name));
  const edits: Edit[] = [];
  for (const a of doc.attributes) {
    if (!isSensitive(a.name)) continue;
    edits.push({ offset: a.valueRange.start, length: a.valueRange.end - a.valueRange.start, text: shown(a.name) });
  }
  if (doc.diagnostics.some((d) => d.severity === 'error')) {
    // The parser leaves out what it could not read; mask what looks like an assignment, to its line's end.
    for (const match of text.matchAll(ASSIGNMENT)) {
      const name = match[2] ?? match[3]!;
      if (!isSensitive(name)) continue;
      const value = match[4]!;
      const offset = match.index + match[0].length - value.length;
      const covered = edits.some((e) => offset < e.offset + e.length && e.offset < offset + value.length);
      if (!covered) edits.push({ offset, length: value.length, text: shown(name) });
    }
  }
  return edits.length === 0 ? text : applyEdits(text, edits);
}
