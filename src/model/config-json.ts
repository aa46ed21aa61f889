/**
 * tfsync.json's JSON syntax and the places of its properties. JSON.parse gives the values but no
 * positions (and its messages differ between Node versions), so a small strict scanner runs on the
 * error paths only: it finds the first syntax error, or the range of the property at a JSON path.
 */
import { type ErrorLocation, TfsyncError } from '../errors.js';
import type { Range } from '../hcl/diagnostics.js';

export function parseJson(path: string, name: string, text: string): unknown {
  // Editors on Windows like to save a BOM; JSON.parse rejects it, but it is no reason to fail.
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  try {
    return JSON.parse(bom ? text.slice(1) : text);
  } catch (cause) {
    if (text.trim() === '') {
      throw new TfsyncError(`${name} is empty`, { code: 'config-invalid', location: { file: path, text, range: { start: 0, end: 0 } } });
    }
    const scan = new JsonScanner(text, undefined);
    const failure = scan.run();
    const fallback = /at position (\d+)/.exec(String(cause));
    const offset = failure?.offset ?? Number(fallback?.[1] ?? 0) + bom;
    const message = failure?.message ?? String((cause as Error).message);
    throw new TfsyncError(`${name}: invalid JSON: ${message}`, {
      code: 'config-invalid',
      location: { file: path, text, range: { start: offset, end: Math.min(offset + 1, text.length) } },
    });
  }
}

export function locationOf(path: string, text: string, segments: string[], at: 'key' | 'value'): ErrorLocation | undefined {
  const scan = new JsonScanner(text, segments);
  scan.run();
  const found = scan.found;
  if (!found) return undefined;
  return { file: path, text, range: (at === 'key' ? found.key : undefined) ?? found.value };
}

class ScanFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const MAX_DEPTH = 512;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[A-Za-z_]\w*/y;

/** A strict JSON reader that keeps positions instead of values. */
class JsonScanner {
  private pos: number;
  found: { key?: Range; value: Range } | undefined;

  constructor(
    private readonly text: string,
    private readonly target: readonly string[] | undefined,
  ) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** The first syntax error, or undefined when the text is valid JSON. */
  run(): ScanFailure | undefined {
    try {
      this.space();
      this.value([], undefined);
      this.space();
      if (this.pos < this.text.length) this.fail('unexpected text after the end of the JSON document');
      return undefined;
    } catch (error) {
      if (error instanceof ScanFailure) return error;
      throw error;
    }
  }

  private fail(message: string, offset = this.pos): never {
    throw new ScanFailure(offset, message);
  }

  private space(): void {
    while (/[ \t\r\n]/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private value(path: string[], key: Range | undefined): void {
    if (path.length > MAX_DEPTH) this.fail('nested too deeply');
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '{') this.object(path);
    else if (c === '[') this.array(path);
    else if (c === '"') this.string();
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number();
    else if (c !== undefined && /[A-Za-z_]/.test(c)) this.literal();
    else if (c === undefined) this.fail('unexpected end of file');
    else if (c === '/') this.fail('comments are not allowed in JSON');
    else if (c === "'") this.fail('strings must be in double quotes');
    else this.fail(`unexpected character ${JSON.stringify(c)}`);
    if (this.target && sameSegments(path, this.target)) this.found = { key, value: { start, end: this.pos } };
  }

  private object(path: string[]): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === '}') return void this.pos++;
    for (;;) {
      if (this.text[this.pos] !== '"') this.unexpected('a property name in double quotes');
      const start = this.pos;
      this.string();
      const key = { start, end: this.pos };
      const name = JSON.parse(this.text.slice(start, this.pos)) as string;
      this.space();
      if (this.text[this.pos] !== ':') this.unexpected('":" after the property name');
      this.pos++;
      this.space();
      this.value([...path, name], key);
      if (this.separator('}')) return;
    }
  }

  private array(path: string[]): void {
    this.pos++;
    this.space();
    if (this.text[this.pos] === ']') return void this.pos++;
    for (let index = 0; ; index++) {
      this.value([...path, String(index)], undefined);
      if (this.separator(']')) return;
    }
  }

  /** After a member: true at the closing bracket, false after a comma with another member to come. */
  private separator(close: '}' | ']'): boolean {
    this.space();
    const c = this.text[this.pos];
    if (c === close) {
      this.pos++;
      return true;
    }
    if (c !== ',') this.unexpected(`"," or "${close}"`);
    const comma = this.pos++;
    this.space();
    if (this.text[this.pos] === close) this.fail('trailing commas are not allowed in JSON', comma);
    return false;
  }

  private unexpected(expected: string): never {
    const c = this.text[this.pos];
    if (c === '/') this.fail('comments are not allowed in JSON');
    this.fail(`expected ${expected} but found ${c === undefined ? 'the end of the file' : JSON.stringify(c)}`);
  }

  private string(): void {
    const start = this.pos++;
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unterminated string', start);
      if (c === '"') return void this.pos++;
      if (c === '\n' || c === '\r') this.fail('line break inside a string (a missing closing quote?)');
      if (c < ' ') this.fail('control character inside a string');
      if (c === '\\') {
        const escape = this.text[this.pos + 1] ?? '';
        const length = escape === 'u' ? 6 : 2;
        const valid =
          escape === 'u' ? /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6)) : escape !== '' && '"\\/bfnrt'.includes(escape);
        if (!valid) this.fail('invalid escape sequence');
        this.pos += length;
      } else {
        this.pos++;
      }
    }
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) this.fail('invalid number');
    this.pos += match[0].length;
  }

  private literal(): void {
    WORD.lastIndex = this.pos;
    const word = WORD.exec(this.text)![0];
    if (word !== 'true' && word !== 'false' && word !== 'null') this.fail(`unexpected word ${JSON.stringify(word)} (strings need double quotes)`);
    this.pos += word.length;
  }
}

function sameSegments(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
