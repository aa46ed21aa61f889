/**
 * The official HCL parser (`@cdktn/hcl2json`, HashiCorp's parser compiled to WASM), loaded only
 * when a command needs it: starting it costs a few hundred milliseconds, which read-only commands
 * must never pay. Nothing may import the package statically.
 */
import { TfsyncError } from '../errors.js';
import { LineCounter } from '../hcl/line-counter.js';

type Hcl2Json = typeof import('@cdktn/hcl2json');

let loading: Promise<Hcl2Json> | undefined;

function load(): Promise<Hcl2Json> {
  loading ??= import('@cdktn/hcl2json').then((mod) => {
    // A CommonJS package: its exports are named exports or sit on `default`, depending on the loader.
    const withDefault = mod as Hcl2Json & { default?: Hcl2Json };
    return typeof mod.parse === 'function' ? mod : withDefault.default!;
  });
  return loading;
}

/**
 * Parses native-syntax HCL with the official parser and returns its JSON form, or throws a
 * TfsyncError at the position of the first error it reports (the others in `more`).
 */
export async function officialValues(fileName: string, text: string): Promise<Record<string, unknown>> {
  const hcl2json = await load();
  try {
    return await hcl2json.parse(INTERNAL_NAME, text);
  } catch (err) {
    throw officialError(fileName, text, err instanceof Error ? err.message : String(err));
  }
}

/**
 * The parser is given this name rather than the real one, so that the positions can be found in
 * its messages whatever characters the real path holds. It decides the syntax by the name's
 * extension; tfsync only asks it about native syntax.
 */
const INTERNAL_NAME = 'input.tfvars';
/** `input.tfvars:2,8-9: ` or `input.tfvars:1,6-2,1: `: the start of each reported error. */
const POSITION = /input\.tfvars:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: /g;

/** Turns `parse config: [input.tfvars:2,8-9: Summary; Detail. ...]` into located errors. */
export function officialError(fileName: string, text: string, message: string): TfsyncError {
  const matches = [...message.matchAll(POSITION)];
  if (matches.length === 0) {
    return new TfsyncError(`the official HCL parser failed on ${fileName}: ${message.split(INTERNAL_NAME).join(fileName)}`);
  }
  const lines = new LineCounter(text);
  const errors = matches.map((match, i) => {
    const end = matches[i + 1]?.index ?? message.lastIndexOf(']');
    const body = message.slice(match.index + match[0].length, end > match.index ? end : undefined).trim();
    const offset = offsetOf(lines, Number(match[1]), Number(match[2]));
    return new TfsyncError(body.split(INTERNAL_NAME).join(fileName), {
      location: { file: fileName, text, range: { start: offset, end: offset } },
    });
  });
  const [first, ...rest] = errors;
  return new TfsyncError(first!.message, { location: first!.location, more: rest });
}

/** HCL's 1-based line and column (counted in characters) as an offset into the text. */
function offsetOf(lines: LineCounter, line: number, col: number): number {
  const text = lines.text;
  let offset = lines.lineStarts[line - 1] ?? text.length;
  for (let c = 1; c < col && offset < text.length; c++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return offset;
}
