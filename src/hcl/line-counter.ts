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
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) this.lineStarts.push(i + 1);
      else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) this.lineStarts.push(i + 1);
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
