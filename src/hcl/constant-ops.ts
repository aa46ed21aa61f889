/**
 * The operators of HCL on known values, as Go's hclsyntax applies them with no evaluation context
 * (which is how Terraform reads a variables file): arithmetic, comparison, logic, conditionals.
 * Values are in the JSON form of evaluate.ts; an integer beyond 2^53 is a bigint there, so that
 * integer arithmetic stays exact as cty's arbitrary-precision numbers are. Anything Terraform
 * would refuse (`1 / 0`, `"a" * 2`, `true && 1`) gives undefined: the caller keeps the expression.
 *
 * Not exact: a result that is not an integer is a float64 (cty keeps 512 bits), so `1 / 3` has
 * 17 significant digits rather than 154; two such results compare equal when tfsync computes both.
 */
import type { JsonValue } from './evaluate.js';
import type { BinaryOperator } from './syntax.js';

type Num = number | bigint;

/** A number read from its source text: a bigint when it is an integer beyond 2^53 (exactly). */
export function exactNumber(value: number, decimal: () => string): Num {
  if (!Number.isFinite(value) || Number.isSafeInteger(value) || !Number.isInteger(value)) return value;
  const text = decimal();
  return /^-?\d+$/.test(text) ? BigInt(text) : value;
}

/** A bigint inside the safe range is a plain number: one form per value. */
function normal(n: bigint): Num {
  return n >= -MAX_SAFE && n <= MAX_SAFE ? Number(n) : n;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isInteger(n: Num): boolean {
  return typeof n === 'bigint' || Number.isInteger(n);
}

/** A number as Terraform writes it into a string: every digit, no exponent. */
export function numberText(n: Num): string {
  if (typeof n === 'bigint') return n.toString();
  if (Object.is(n, -0)) return '0';
  const text = String(Math.abs(n));
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match?.[3]) return String(n);
  const digits = match[1]! + (match[2] ?? '');
  const point = match[1]!.length + Number(match[3]);
  const body = point <= 0 ? `0.${'0'.repeat(-point)}${digits}` : point >= digits.length ? digits + '0'.repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (n < 0 ? '-' : '') + body;
}

/** A primitive as a template interpolates it; undefined for null and collections (an error in HCL). */
export function templateText(v: JsonValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number' || typeof v === 'bigint') return numberText(v);
  return undefined;
}

/** cty's conversion to number: numbers, and strings that hold one. */
function toNumber(v: JsonValue): Num | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v !== 'string' || !/^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? exactNumber(n, () => integerDecimal(v)) : undefined;
}

/** The integer a decimal string stands for ("1e20" → "100000000000000000000"), or the text when it is not one. */
function integerDecimal(v: string): string {
  const negative = v.startsWith('-');
  const match = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(negative ? v.slice(1) : v);
  if (!match) return v;
  const fraction = match[2] ?? '';
  const shift = Number(match[3] ?? 0) - fraction.length;
  if (shift < 0 || shift > 400) return v;
  return (negative ? '-' : '') + ((match[1] ?? '') + fraction + '0'.repeat(shift)).replace(/^0+(?=\d)/, '');
}

/** cty's conversion to bool: bools, and the strings "true" and "false". */
function toBool(v: JsonValue): boolean | undefined {
  if (typeof v === 'boolean') return v;
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

export function negate(v: JsonValue): JsonValue | undefined {
  const n = toNumber(v);
  if (n === undefined) return undefined;
  return typeof n === 'bigint' ? normal(-n) : n === 0 ? 0 : -n;
}

export function not(v: JsonValue): JsonValue | undefined {
  const b = toBool(v);
  return b === undefined ? undefined : !b;
}

export function binary(operator: BinaryOperator, left: JsonValue, right: JsonValue): JsonValue | undefined {
  switch (operator) {
    case '==':
      return equal(left, right);
    case '!=':
      return !equal(left, right);
    case '&&':
    case '||': {
      const a = toBool(left);
      const b = toBool(right);
      if (a === undefined || b === undefined) return undefined;
      return operator === '&&' ? a && b : a || b;
    }
    default: {
      const a = toNumber(left);
      const b = toNumber(right);
      if (a === undefined || b === undefined) return undefined;
      return arithmetic(operator, a, b);
    }
  }
}

function arithmetic(operator: Exclude<BinaryOperator, '==' | '!=' | '&&' | '||'>, a: Num, b: Num): JsonValue | undefined {
  switch (operator) {
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    case '>=': return a >= b;
  }
  if (isInteger(a) && isInteger(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    switch (operator) {
      case '+': return normal(x + y);
      case '-': return normal(x - y);
      case '*': return normal(x * y);
      case '%': return y === 0n ? undefined : normal(x % y);
      case '/':
        if (y === 0n) return undefined;
        if (x % y === 0n) return normal(x / y);
    }
  }
  const x = Number(a);
  const y = Number(b);
  let result: number;
  switch (operator) {
    case '+': result = x + y; break;
    case '-': result = x - y; break;
    case '*': result = x * y; break;
    // cty: the remainder has the dividend's sign (truncated division), as JavaScript's %.
    case '%': result = y === 0 ? NaN : x % y; break;
    case '/': result = y === 0 ? NaN : x / y; break;
  }
  return Number.isFinite(result) ? (result === 0 ? 0 : result) : undefined;
}

/** `==` as cty has it: values of different types differ (`1 == "1"` is false), numbers compare by value. */
function equal(a: JsonValue, b: JsonValue): boolean {
  if (a === null || b === null) return a === b;
  const numeric = (v: JsonValue) => typeof v === 'number' || typeof v === 'bigint';
  if (numeric(a) || numeric(b)) return numeric(a) && numeric(b) && a == b; // == compares a bigint and a number by value
  if (typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => equal(item, b[i]!));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && equal(a[k]!, b[k]!));
}

/**
 * The result of `c ? x : y` once `c` is known: HCL unifies the two branches' types, so a number
 * or bool beside a string becomes a string (`true ? 1 : "a"` is "1"); null goes with anything.
 * Branches whose types cannot be unified here (collections of different shapes) give undefined.
 */
export function conditional(condition: JsonValue, whenTrue: JsonValue, whenFalse: JsonValue): JsonValue | undefined {
  const c = toBool(condition);
  if (c === undefined) return undefined;
  const chosen = c ? whenTrue : whenFalse;
  const other = c ? whenFalse : whenTrue;
  const kind = (v: JsonValue) => (v === null ? 'null' : typeof v === 'bigint' ? 'number' : Array.isArray(v) ? 'tuple' : typeof v);
  const [k1, k2] = [kind(chosen), kind(other)];
  if (k1 === k2 || k1 === 'null' || k2 === 'null') return chosen;
  if (k1 === 'string' && (k2 === 'number' || k2 === 'boolean')) return chosen;
  if (k2 === 'string' && (k1 === 'number' || k1 === 'boolean')) return templateText(chosen);
  return undefined;
}
