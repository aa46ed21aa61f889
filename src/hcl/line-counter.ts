/**
 * Maps byte offsets (UTF-16 code unit offsets into the decoded text) to 1-based line and column.
 * Built once per text; lookups are a binary search, so diagnostics cost nothing until asked for.
 */
export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in characters (code points) from the start of the line. */
  col: number;
}

export class LineCounter {
  /** Offset of the first character of every line; lineStarts[0] is always 0. */
  readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    // indexOf finds line feeds far faster than a loop over char codes (this runs on every file
    // read). A CR is a line ending only when no LF follows it; most files have none at all.
    const starts = this.lineStarts;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    if (text.includes('\r')) this.addLoneCarriageReturns();
  }

  /** Merges the lone CRs' line starts into the (sorted) LF ones. Rare: old Mac files, stray CRs. */
  private addLoneCarriageReturns(): void {
    const { text, lineStarts } = this;
    const lone: number[] = [];
    for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
      if (text.charCodeAt(i + 1) !== 10) lone.push(i + 1);
    }
    if (lone.length === 0) return;
    const lf = lineStarts.slice();
    lineStarts.length = 0;
    let a = 0;
    let b = 0;
    while (a < lf.length || b < lone.length) {
      lineStarts.push(b >= lone.length || (a < lf.length && lf[a]! < lone[b]!) ? lf[a++]! : lone[b++]!);
    }
  }

  /** The 1-based line of an offset. Offsets past the end clamp to the end. */
  line(offset: number): number {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Line and column of an offset. Offsets past the end clamp to the end. */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = this.line(o);
    const start = this.lineStarts[line - 1]!;
    // Count code points, not UTF-16 units, so an emoji is one column, as editors show it.
    let col = 1;
    for (let i = start; i < o; i++) {
      const c = this.text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < o) i++;
      col++;
    }
    return { line, col };
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1];
    if (start === undefined) return '';
    const next = this.lineStarts[line] ?? this.text.length;
    let end = next;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }
}
