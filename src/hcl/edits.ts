/**
 * Edits as data: every rewrite produces `{ offset, length, text }` records against the original
 * text, and one function applies them. Keeping edits apart from their application is what makes a
 * dry run the same plan as a write, and lets the non-overlap check guard every rewrite at once.
 */
export interface Edit {
  /** Offset in the original text where the replaced span starts. */
  offset: number;
  /** How many characters of the original text are replaced (0: a pure insertion). */
  length: number;
  text: string;
}

/**
 * Applies edits made against `text`. They may come in any order; they must not overlap. Several
 * insertions at one offset are applied in the order given, and an insertion at the offset where a
 * replacement starts goes before the replaced text.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = sortEdits(text, edits);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    out += text.slice(at, edit.offset) + edit.text;
    at = edit.offset + edit.length;
  }
  return out + text.slice(at);
}

/** The edits in application order, after checking that each is in range and none overlap. */
function sortEdits(text: string, edits: readonly Edit[]): Edit[] {
  for (const edit of edits) {
    const valid =
      Number.isInteger(edit.offset) && Number.isInteger(edit.length) && edit.offset >= 0 && edit.length >= 0 &&
      edit.offset + edit.length <= text.length;
    if (!valid) throw new Error(`edit out of range: offset ${edit.offset}, length ${edit.length}, text length ${text.length}`);
  }
  // Array.prototype.sort is stable, so insertions at one offset keep their given order.
  const sorted = [...edits].sort((a, b) => a.offset - b.offset || Number(a.length > 0) - Number(b.length > 0));
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!;
    const edit = sorted[i]!;
    if (previous.offset + previous.length > edit.offset) {
      throw new Error(
        `overlapping edits: [${previous.offset}, ${previous.offset + previous.length}) and [${edit.offset}, ${edit.offset + edit.length})`,
      );
    }
  }
  return sorted;
}
