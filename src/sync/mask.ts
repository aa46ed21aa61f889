/**
 * The one place where sensitive values are hidden. Every renderer (text, JSON, markdown, tfvars
 * JSON) passes values through maskValue, so "a secret never reaches the output" is a property of
 * one function rather than of every printer remembering to check.
 */
import type { JsonValue } from '../hcl/evaluate.js';

export const SENSITIVE_TEXT = '(sensitive)';

/**
 * Stands in for a hidden value. JSON.stringify writes it as the string "(sensitive)"; text
 * renderers recognise it by identity, so a real string value "(sensitive)" is still shown quoted.
 */
export const SENSITIVE: { readonly toJSON: () => string } = Object.freeze({ toJSON: () => SENSITIVE_TEXT });

/** A value ready to render: the value itself, SENSITIVE in its place, or undefined for "no value". */
export type ShownValue = JsonValue | undefined | typeof SENSITIVE;

/**
 * The value, or SENSITIVE when it must be hidden. "No value" stays undefined: its absence gives
 * nothing away, and "(not set)" is worth seeing for a secret too.
 */
export function maskValue(value: JsonValue | undefined, sensitive: boolean, showSensitive: boolean): ShownValue {
  if (!sensitive || showSensitive || value === undefined) return value;
  return SENSITIVE;
}

export function isMasked(value: ShownValue): value is typeof SENSITIVE {
  return value === SENSITIVE;
}
