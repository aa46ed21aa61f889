/**
 * What every secret store is to tfsync: one small interface (read; exists where the store can
 * answer without the value; write where the store allows), one error type that never carries a
 * value, and the helpers every backend shares (picking `#/key` out of a structured secret, running
 * a CLI with an argument array and a timeout). Each backend is one file beside this one, loaded by
 * registry.ts only when a reference names it.
 */
import { TfsyncError, type ErrorCode } from '../../errors.js';
import type { SecretBackendName, SecretRef } from '../../model/secret-ref.js';

export interface SecretContext {
  /** The process environment (VAULT_ADDR, AWS_*, TFSYNC_AGE_IDENTITY, PATH, ...). */
  env: Record<string, string | undefined>;
  /** The folder of tfsync.json: relative paths in references (file, age, sops) are resolved against it. */
  root: string;
  /** How long one backend call may take before it fails with `secret-timeout`. */
  timeoutMs: number;
}

export interface SecretBackend {
  readonly name: SecretBackendName;
  /** The value (the `#/key` field of it, when the reference has one). Throws SecretError. */
  read(ref: SecretRef, ctx: SecretContext): Promise<string>;
  /**
   * Whether the secret exists, asked without reading its value (Vault's metadata, DescribeSecret,
   * `pass ls`, the key list of a decrypted file is not: absent then). Absent: the store cannot tell
   * without the value, and callers that must not read values say "not checked". Undefined: the same,
   * for this reference only (an age file's `#/key`: the file exists, the key inside is the value's).
   */
  exists?(ref: SecretRef, ctx: SecretContext): Promise<boolean | undefined>;
  /** Stores `value` where `ref` points (creating it, or a new version). Absent: the store is read-only to tfsync. */
  write?(ref: SecretRef, value: string, ctx: SecretContext): Promise<void>;
}

type SecretErrorCode = Extract<ErrorCode, `secret-${string}`>;

/**
 * A backend's failure: the reference, the backend's own error code (`403`, `ResourceNotFoundException`,
 * gpg's exit status), and never the value. Messages from stores and CLIs pass through `redact`.
 */
export class SecretError extends TfsyncError {
  constructor(ref: SecretRef, code: SecretErrorCode, detail: string, hint?: string) {
    super(`${ref.text}: ${redact(detail)}`, { code, ...(hint ? { hint } : {}) });
  }
}

/** The code a secret finding reports for a failure: the error's own, `secret-backend-failed` for one without. */
export function storeErrorCode(error: unknown): ErrorCode {
  return error instanceof TfsyncError && error.code !== 'error' ? error.code : 'secret-backend-failed';
}

/**
 * `text` with anything that could be a value taken out: quoted strings, long tokens of letters and
 * digits (keys, passwords, base64) and `key=value` / `"key": value` right-hand sides. A store's error
 * message is for its code and its sense; what it echoes of a request may be the secret.
 */
export function redact(text: string): string {
  return text
    .replace(/(["'`])(?:(?!\1).){1,}\1/g, '"…"')
    // A chain `file: password: hunter2` goes as a whole: its last right-hand side is the value.
    .replace(/\b([\w.-]+)\s*(=|:)\s*(?!["…])(?:[\w.-]+\s*[=:]\s*)*[^\s,;)]+/g, '$1$2…')
    // A store's own error code (ResourceNotFoundException, ParameterVersionNotFound) is long but is
    // the one thing an error must name: CamelCase words ending the way error codes do are kept.
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, (token) => (/^(?:[A-Z][a-z]+)+(?:Exception|Error|Fault|NotFound)$/.test(token) ? token : '…'))
    .slice(0, 500);
}

/**
 * The `#/a/b` field of a structured secret, as text: a string as it is, anything else as JSON.
 * `fields` is the parsed secret (a JSON object, a dotenv file's map, Vault's `data`).
 */
export function pickKey(ref: SecretRef, fields: unknown): string {
  let node = fields;
  for (const [i, key] of ref.key.entries()) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) {
      // Unquoted: redact() takes quoted text out, and the key path is what the user needs to see.
      throw new SecretError(ref, 'secret-not-found', `the secret has no key #/${ref.key.slice(0, i + 1).join('/')}`);
    }
    node = (node as Record<string, unknown>)[key];
  }
  if (typeof node === 'string') return node;
  if (node === undefined || node === null) throw new SecretError(ref, 'secret-not-found', 'the secret is empty');
  return JSON.stringify(node);
}

/** `text` as a JSON object (a structured secret), or undefined when it is not JSON or not an object. */
export function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
