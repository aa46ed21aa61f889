/**
 * Secret references: where an environment's sensitive value lives, written as helmfile's `vals`
 * writes them (`ref+<backend>://path[?params][#/key/in/secret]`) so that a reference a team already
 * uses elsewhere means the same here. Pure: parsing, choosing an environment's reference, picking a
 * key out of a fetched document. The backends that fetch are in src/io/secrets/.
 */
import { TfsyncError } from '../errors.js';

/** Every backend tfsync reads, in the order messages list them. */
export const BACKENDS = ['awssecrets', 'awsssm', 'vault', 'op', 'sops', 'file', 'envsubst', 'pass', 'gopass', 'age'] as const;
export type BackendName = (typeof BACKENDS)[number];

/** The backends whose stores tfsync can write (promote copies secrets only into these). */
export const WRITABLE_BACKENDS: ReadonlySet<BackendName> = new Set(['awssecrets', 'awsssm', 'vault', 'pass', 'gopass']);

export interface SecretRef {
  /** The reference as written (after placeholders): what messages name. Holds no value. */
  text: string;
  backend: BackendName;
  /** What the backend looks up: a secret id, a parameter name, a KV path, a file, a variable. */
  path: string;
  /** The query string: `region`, `version_stage`, `address`, `namespace`, ... */
  params: Record<string, string>;
  /** The fragment `#/a/b` as segments: the key inside a JSON (or dotenv) secret; empty: the whole secret. */
  key: string[];
}

/** tfsync.json's `secrets`: a variable (or key path) → one reference, or references by environment (`*` for the rest). */
export type SecretsConfig = Record<string, string | Record<string, string>>;

const REF = /^ref\+([a-z0-9]+):\/\/([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Parses one reference; `where` (a tfsync.json pointer, say) prefixes the error. */
export function parseRef(text: string, where = 'secret reference'): SecretRef {
  const match = REF.exec(text);
  if (!match) {
    throw new TfsyncError(`${where} ${JSON.stringify(text)} is not a reference`, {
      hint: 'write ref+<backend>://path[?params][#/key], e.g. ref+awssecrets://prod/app#/db_password',
    });
  }
  const [, backend, rawPath, query, fragment] = match as unknown as [string, string, string, string | undefined, string | undefined];
  if (!(BACKENDS as readonly string[]).includes(backend)) {
    throw new TfsyncError(`${where} ${JSON.stringify(text)} uses the unknown backend "${backend}"`, {
      hint: `supported backends: ${BACKENDS.join(', ')}`,
    });
  }
  const path = decodeURIComponent(rawPath);
  if (path === '') throw new TfsyncError(`${where} ${JSON.stringify(text)} names nothing after ref+${backend}://`);
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(query ?? '')) params[k] = v;
  const key = (fragment ?? '')
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => decodeURIComponent(segment.replace(/~1/g, '/').replace(/~0/g, '~')));
  return { text, backend: backend as BackendName, path, params, key };
}

/** The placeholders a reference may use. `stack` is empty until stacks exist. */
export interface RefPlaceholders {
  env: string;
  stack?: string;
}

/**
 * The reference of `name` in environment `env`: the environment's own entry, else `*`'s, with
 * `{env}` and `{stack}` replaced. Undefined when the variable has none there.
 */
export function referenceFor(secrets: SecretsConfig, name: string, places: RefPlaceholders): SecretRef | undefined {
  const entry = secrets[name];
  if (entry === undefined) return undefined;
  const template = typeof entry === 'string' ? entry : (entry[places.env] ?? entry['*']);
  if (template === undefined) return undefined;
  const text = template.replace(/\{env\}/g, places.env).replace(/\{stack\}/g, places.stack ?? '');
  const pointer = typeof entry === 'string' || entry[places.env] === undefined ? `/secrets/${name}` : `/secrets/${name}/${places.env}`;
  return parseRef(text, `tfsync.json ${pointer}:`);
}

/** Every variable with a reference in `env`, with it, in name order. */
export function referencesOf(secrets: SecretsConfig, places: RefPlaceholders): Array<{ name: string; ref: SecretRef }> {
  return Object.keys(secrets)
    .sort()
    .flatMap((name) => {
      const ref = referenceFor(secrets, name, places);
      return ref ? [{ name, ref }] : [];
    });
}

/** Checks every reference of the config parses, for every environment named in it; throws the first problem. */
export function validateSecretsConfig(secrets: SecretsConfig): void {
  for (const [name, entry] of Object.entries(secrets)) {
    const templates = typeof entry === 'string' ? { '*': entry } : entry;
    for (const [env, template] of Object.entries(templates)) {
      parseRef(template.replace(/\{env\}/g, env === '*' ? 'env' : env).replace(/\{stack\}/g, ''), `tfsync.json /secrets/${name}${typeof entry === 'string' ? '' : `/${env}`}:`);
    }
  }
}

/** A failure to pick the key: what is missing, never the document's text. */
export class MissingKey extends Error {}

/**
 * The value at `key` in a fetched secret. A secret with no key is returned whole; with a key it is
 * read as JSON (what Secrets Manager and Vault hold), else as dotenv lines (`NAME=value`). A
 * non-string value at the key is returned as its JSON text, as Terraform takes complex TF_VAR_s.
 */
export function selectKey(secret: string, key: readonly string[]): string {
  if (key.length === 0) return secret;
  let doc: unknown = parseDocument(secret);
  for (const segment of key) {
    if (doc === null || typeof doc !== 'object' || !Object.hasOwn(doc, segment)) throw new MissingKey(`no key /${key.join('/')} in the secret`);
    doc = (doc as Record<string, unknown>)[segment];
  }
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}

/** Sets `key` in a JSON secret to `value` (for writes into a keyed secret); a new document when `secret` is undefined. */
export function withKey(secret: string | undefined, key: readonly string[], value: string): string {
  if (key.length === 0) return value;
  const doc = (secret === undefined ? {} : parseDocument(secret)) as Record<string, unknown>;
  let at = doc;
  for (const segment of key.slice(0, -1)) {
    const next = at[segment];
    at[segment] = next !== null && typeof next === 'object' ? next : {};
    at = at[segment] as Record<string, unknown>;
  }
  at[key[key.length - 1]!] = value;
  return JSON.stringify(doc);
}

function parseDocument(text: string): unknown {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      throw new MissingKey('the secret is not valid JSON');
    }
  }
  return parseDotenv(text);
}

/** `NAME=value` lines (optionally `export`, quoted values), as age and SOPS dotenv files hold them. */
export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    let value = m[2]!;
    if (/^"(.*)"$/.test(value)) value = JSON.parse(value) as string;
    else if (/^'(.*)'$/.test(value)) value = value.slice(1, -1);
    out[m[1]!] = value;
  }
  return out;
}

/**
 * `message` with every value in `values` (and any run of 16+ base64-ish characters, which looks
 * like a token) replaced: backend errors quote what they were given, and a value must never reach
 * a message.
 */
export function redact(message: string, values: readonly string[] = []): string {
  let out = message;
  for (const value of values) if (value.length > 0) out = out.split(value).join('(redacted)');
  // A long run of letters and digits together looks like a token; names and paths have separators.
  return out.replace(/[A-Za-z0-9+=_-]{24,}/g, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? '(redacted)' : run));
}
