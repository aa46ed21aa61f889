/**
 * Secret references: where an environment's sensitive value lives, in the syntax of helmfile's
 * `vals` (`ref+<backend>://<path>[?<params>][#/<key>]`), so that a reference a team already writes
 * for helmfile means the same here. tfsync adds `pass` (and `gopass`) and `age`. Pure: parsing and
 * choosing a reference for an environment; reading a secret is src/io/secrets.
 */
import { TfsyncError } from '../errors.js';
import { parseKeyPath, type KeyPath } from '../hcl/key-path.js';
import { didYouMean } from './suggest.js';

/** Every backend tfsync can resolve, by the name a reference gives it. */
export const SECRET_BACKENDS = ['envsubst', 'file', 'pass', 'gopass', 'age', 'vault', 'awssecrets', 'awsssm', 'op', 'sops'] as const;
export type SecretBackendName = (typeof SECRET_BACKENDS)[number];

export interface SecretRef {
  backend: SecretBackendName;
  /** What follows `://`, up to `?` or `#`, percent-decoded (`infra/prod/datadog`, `$DB_PASSWORD`). */
  path: string;
  /** The query parameters (`region`, `address`, `version_stage`, ...), decoded. */
  params: Record<string, string>;
  /**
   * The fragment as a list of keys (`#/db/password` is ['db', 'password']): which field of a
   * structured secret (JSON, YAML, dotenv, a Vault secret's data) is the value. Empty: all of it.
   */
  key: string[];
  /** The reference as written (placeholders filled in): what messages, plans and JSON show. */
  text: string;
}

const REF = /^ref\+([a-z0-9]+):\/\/([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/;

/** Parses a reference; throws a TfsyncError (code `secret-ref-invalid`) saying what is wrong. */
export function parseSecretRef(text: string): SecretRef {
  const match = REF.exec(text);
  if (!match) {
    throw new TfsyncError(`${JSON.stringify(text)} is not a secret reference`, {
      code: 'secret-ref-invalid',
      hint: 'write ref+BACKEND://PATH[?PARAMS][#/KEY], e.g. ref+pass://infra/prod/db_password or ref+awssecrets://prod/app#/db_password',
    });
  }
  const [, backend, rawPath, before, after] = match as unknown as [string, string, string, string | undefined, string | undefined];
  // vals takes the parameters after the key too (`#/api_key?address=...`), as some of its examples write them.
  const split = before === undefined && after?.includes('?') ? after.indexOf('?') : -1;
  const query = split >= 0 ? after!.slice(split + 1) : before;
  const fragment = split >= 0 ? after!.slice(0, split) : after;
  if (!(SECRET_BACKENDS as readonly string[]).includes(backend)) {
    throw new TfsyncError(`${JSON.stringify(text)} names an unknown backend "${backend}"`, {
      code: 'secret-ref-invalid',
      hint: [didYouMean(backend, SECRET_BACKENDS), `the backends are ${SECRET_BACKENDS.join(', ')}`].filter(Boolean).join(' '),
    });
  }
  const decode = (part: string, what: string): string => {
    try {
      return decodeURIComponent(part);
    } catch {
      throw new TfsyncError(`${JSON.stringify(text)} has a malformed percent-escape in its ${what}`, { code: 'secret-ref-invalid' });
    }
  };
  const path = decode(rawPath, 'path');
  if (path === '') throw new TfsyncError(`${JSON.stringify(text)} has no path after "://"`, { code: 'secret-ref-invalid' });
  const params: Record<string, string> = {};
  for (const pair of (query ?? '').split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    params[decode(eq < 0 ? pair : pair.slice(0, eq), 'parameters')] = eq < 0 ? '' : decode(pair.slice(eq + 1).replaceAll('+', ' '), 'parameters');
  }
  let key: string[] = [];
  if (fragment !== undefined && fragment !== '' && fragment !== '/') {
    if (!fragment.startsWith('/')) {
      throw new TfsyncError(`${JSON.stringify(text)}: the key after "#" starts with "/" (#/${fragment})`, { code: 'secret-ref-invalid' });
    }
    key = fragment.slice(1).split('/').map((k) => decode(k, 'key'));
  }
  return { backend: backend as SecretBackendName, path, params, key, text };
}

/**
 * The `secrets` of tfsync.json, normalised: a variable name (or key path) to its reference per
 * environment, `*` standing for every environment without one of its own.
 */
export type SecretReferences = Record<string, Record<string, string>>;

/** The reference text of `name` in `env` (placeholders filled in), or undefined when there is none. */
export function secretRefText(refs: SecretReferences, name: string, env: string, stack?: string): string | undefined {
  const byEnv = refs[name];
  const template = byEnv?.[env] ?? byEnv?.['*'];
  if (template === undefined) return undefined;
  return template.replaceAll('{env}', env).replaceAll('{stack}', stack ?? '');
}

/** The parsed reference of `name` in `env`, or undefined. */
export function secretRefFor(refs: SecretReferences, name: string, env: string, stack?: string): SecretRef | undefined {
  const text = secretRefText(refs, name, env, stack);
  return text === undefined ? undefined : parseSecretRef(text);
}

/** A key of `secrets` as a key path (the variable, or a path into it); undefined when it does not parse, which validate reports. */
export function secretEntryPath(entry: string): KeyPath | undefined {
  try {
    return parseKeyPath(entry);
  } catch {
    return undefined;
  }
}
