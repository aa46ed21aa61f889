/**
 * The last check before a write: the new text is parsed again, by tfsync's parser and (for native
 * syntax) by the official one, and its values must be exactly the planned ones. A bug in an edit
 * then costs an error message, never a corrupted file.
 */
import { sameValue } from '../sync/value-equality.js';
import { TfsyncError } from '../errors.js';
import { stringifyJson } from '../hcl/json-text.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { parseTfvars, officialFormValues } from '../hcl/tfvars.js';
import type { KeyPath } from '../hcl/key-path.js';
import { parsePlaceDocument } from '../hcl/object-place.js';
import { valueAt } from '../hcl/path-locate.js';
import { isSyntaxError } from '../hcl/tfvars-validity.js';
import { officialValues } from './official-parser.js';

export interface VerifyOptions {
  json?: boolean;
  /** The values are the items of the object there (object-place.ts), not the top-level attributes. */
  place?: KeyPath;
  /** Names whose values must not appear in the message. */
  sensitive?: (name: string) => boolean;
}

/**
 * Throws unless `newText` parses cleanly and sets exactly the names of `expected`, each to its
 * value. `fileName` is only for messages.
 */
export async function verifyRewrite(
  fileName: string,
  newText: string,
  expected: ReadonlyMap<string, JsonValue>,
  options: VerifyOptions = {},
): Promise<void> {
  const refuse = `refusing to write ${fileName}: after the edit`;
  const doc = options.place ? parsePlaceDocument(newText, options.place, { json: options.json }) : parseTfvars(newText, { json: options.json });
  // Syntax only: whether values are constants is checked where they come in (reads and `set`).
  const error = doc.diagnostics.find(isSyntaxError);
  if (error) {
    throw new TfsyncError(`${refuse}, it would not parse: ${error.message}`, {
      code: 'verification-failed',
      location: { file: fileName, text: newText, range: error.range },
    });
  }
  const ours = new Map(doc.attributes.map((a) => [a.name, a.value]));
  compare(ours, expected, refuse, options.sensitive);
  if (options.json) return;

  let official: Record<string, unknown>;
  try {
    official = await officialValues(fileName, newText);
  } catch (err) {
    if (!(err instanceof TfsyncError)) throw err;
    throw new TfsyncError(`${refuse}, the official HCL parser would reject it: ${err.message}`, err.options);
  }
  const values = options.place ? ((valueAt(official[options.place.name] as JsonValue | undefined, options.place.parts) ?? {}) as Record<string, unknown>) : official;
  // The official parser gives its own form (`24 * 60` as "${24 * 60}", big integers rounded): it
  // must agree with tfsync's reading in that form, as tfsync's reading agreed with the plan. (Inside
  // a place, the plan's values stand for that form: a constant expression there is refused.)
  const theirForm = options.place ? expected : officialFormValues(newText);
  compare(new Map(Object.entries(values) as Array<[string, JsonValue]>), theirForm, `${refuse} (read by the official HCL parser)`, options.sensitive);
}

function compare(
  actual: ReadonlyMap<string, JsonValue>,
  expected: ReadonlyMap<string, JsonValue>,
  refuse: string,
  sensitive: ((name: string) => boolean) | undefined,
): void {
  const show = (name: string, value: JsonValue | undefined) =>
    value === undefined ? 'unset' : sensitive?.(name) ? '(sensitive)' : stringifyJson(value);
  for (const name of new Set([...expected.keys(), ...actual.keys()])) {
    const want = expected.get(name);
    const got = actual.get(name);
    if (want !== undefined && got !== undefined && sameValue(got, want)) continue;
    throw new TfsyncError(`${refuse}, ${name} would be ${show(name, got)} instead of ${show(name, want)}`, {
      code: 'verification-failed',
      hint: 'this is a bug in tfsync; nothing was written',
    });
  }
}
