/**
 * A value read from one kind of variables file, made ready for another. Native-syntax values are in
 * the official parser's JSON form, where a string is a template (a literal `${` is written `$${`);
 * a `.tfvars.json` file holds plain JSON, whose strings Terraform takes as they are. Within one
 * format the text is copied verbatim; across formats it is converted here.
 */
import { TfsyncError } from '../errors.js';
import type { JsonValue } from '../hcl/evaluate.js';
import { stringifyJson } from '../hcl/json-text.js';
import { formatValue } from '../hcl/format-value.js';
import { escapeTemplateMarkers } from '../hcl/template-text.js';
import type { TfvarsAttribute } from '../hcl/tfvars.js';

export type FileFormat = 'hcl' | 'json';

/** What to write for an attribute of a `from` file into a `to` file, and the value it will have there. */
export interface Written {
  /** The expression text (native syntax) or JSON text. */
  exprText: string;
  /** The value as the target file's parser reads it back. */
  value: JsonValue;
}

/**
 * The source attribute's text verbatim when the formats agree; otherwise its value converted:
 * JSON to native syntax with formatValue, native syntax to JSON as plain values. A native value that
 * needs evaluation (`var.x`, `"${upper(a)}"`) cannot live in a `.tfvars.json` and is refused.
 */
export function writtenFor(attribute: TfvarsAttribute, from: FileFormat, to: FileFormat, targetFile: string, sensitive = false): Written {
  if (from === to) return { exprText: attribute.source, value: attribute.value };
  if (to === 'hcl') {
    const value = hclForm(attribute.value);
    return { exprText: formatValue(value), value };
  }
  const value = plainForm(attribute.value);
  if (value === undefined) {
    throw new TfsyncError(
      `cannot write ${attribute.name} into ${targetFile}: its value ${sensitive ? '(sensitive)' : attribute.source} must be computed, and a .tfvars.json file holds plain values`,
      { code: 'unwritable-value', hint: `leave ${attribute.name} out with --var/--only, or write ${targetFile} in native syntax` },
    );
  }
  return { exprText: stringifyJson(value), value };
}

/** A plain JSON value (from a `.tfvars.json`) in the official parser's form. */
export function hclForm(value: JsonValue): JsonValue {
  if (typeof value === 'string') return escapeTemplateMarkers(value);
  if (Array.isArray(value)) return value.map(hclForm);
  if (value === null || typeof value !== 'object') return value;
  return mapEntries(value, (k) => escapeTemplateMarkers(k), hclForm);
}

/**
 * A value in the official parser's form as plain JSON, or undefined when it holds a template
 * sequence (`${...}`, `%{...}`) that would need evaluating.
 */
export function plainForm(value: JsonValue): JsonValue | undefined {
  let computed = false;
  const unescape = (s: string): string => {
    const plain = s.replace(/([$%])\1\{/g, '$1{');
    if (escapeTemplateMarkers(plain) !== s) computed = true;
    return plain;
  };
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') return unescape(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return mapEntries(v, unescape, walk);
  };
  const out = walk(value);
  return computed ? undefined : out;
}

function mapEntries(
  value: { [key: string]: JsonValue },
  key: (k: string) => string,
  item: (v: JsonValue) => JsonValue,
): { [key: string]: JsonValue } {
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) {
    // defineProperty, so that a key "__proto__" stays a key.
    Object.defineProperty(out, key(k), { value: item(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
