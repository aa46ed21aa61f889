export type LineEnding = '\n' | '\r\n';

/** A file's line ending, which inserted lines take: CRLF when most are CRLF, else LF (also when there are none). */
export function lineEnding(text: string): LineEnding {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
