/**
 * JSON text of documents that may hold values: JSON.stringify's output, byte for byte, except that
 * a bigint (an integer beyond 2^53, see constant-ops.ts) is written with every digit instead of
 * throwing. Every `--json` document and every value printed as JSON goes through here, so that
 * big integers come out exactly as the file has them (the official parser's Go side does the same).
 */
export function stringifyJson(value: unknown, indent: number | string = ''): string {
  const unit = typeof indent === 'number' ? ' '.repeat(Math.min(indent, 10)) : indent.slice(0, 10);
  if (!containsBigint(value, 0)) return JSON.stringify(value, null, unit) ?? 'null';
  return write(value, unit, '') ?? 'null';
}

/** Most documents have no bigint: then JSON.stringify alone writes them. */
function containsBigint(value: unknown, depth: number): boolean {
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object' || depth > 1000) return false;
  for (const item of Array.isArray(value) ? value : Object.values(value)) if (containsBigint(item, depth + 1)) return true;
  return false;
}

function write(value: unknown, unit: string, indent: string): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return write((value as { toJSON: () => unknown }).toJSON(), unit, indent);
  }
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = indent + unit;
  const open = unit ? `\n${inner}` : '';
  const close = unit ? `\n${indent}` : '';
  const separator = unit ? `,\n${inner}` : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => write(item, unit, inner) ?? 'null').join(separator)}${close}]`;
  }
  const entries: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const text = write(item, unit, inner);
    if (text !== undefined) entries.push(`${JSON.stringify(key)}:${unit ? ' ' : ''}${text}`);
  }
  return entries.length === 0 ? '{}' : `{${open}${entries.join(separator)}${close}}`;
}
