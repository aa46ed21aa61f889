/**
 * Turning the literal text of templates into the string it stands for ("cooking"), and back
 * ("quoting") for text tfsync writes.
 */

/** A quoted-string literal as written (between quotes, no interpolations) to its characters. */
export function cookTemplateLiteral(raw: string): string {
  if (!raw.includes('\\') && !raw.includes('{')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const sel = raw[i + 1];
      switch (sel) {
        case 'n': out += '\n'; i++; continue;
        case 'r': out += '\r'; i++; continue;
        case 't': out += '\t'; i++; continue;
        case '"': out += '"'; i++; continue;
        case '\\': out += '\\'; i++; continue;
        case 'u':
        case 'U': {
          const digits = sel === 'u' ? 4 : 8;
          const hex = raw.slice(i + 2, i + 2 + digits);
          const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
          if (cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            i += 1 + digits;
            continue;
          }
          break;
        }
      }
      out += c;
      continue;
    }
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c + '{';
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

/** A heredoc literal as written to its characters: no backslash escapes, only $${ and %%{. */
export function cookHeredocLiteral(raw: string): string {
  return raw.includes('{') ? raw.replace(/([$%])\1\{/g, '$1{') : raw;
}

/**
 * Strings in the JSON form of HCL are themselves templates, so a literal `${` is written `$${`
 * there (this is what the official parser's JSON shows).
 */
export function escapeTemplateMarkers(s: string): string {
  return s.includes('{') ? s.replace(/([$%])\{/g, '$1$1{') : s;
}

/** A string as an HCL quoted-string expression that evaluates back to exactly this string. */
export function quoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    switch (ch) {
      case '"': out += '\\"'; break;
      case '\\': out += '\\\\'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default: {
        const cp = ch.codePointAt(0)!;
        out += cp < 0x20 || cp === 0x7f ? `\\u${cp.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return out.replace(/([$%])\{/g, '$1$1{') + '"';
}
