import { createRequire } from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import validateGenerated from './config-validator.generated.js';
import { type ErrorLocation, TfsyncError } from '../errors.js';
import { isInside } from './path-inside.js';
import { locationOf, parseJson } from './config-json.js';
import { checkKeyPathEntries } from './path-rules.js';
import { parseSecretRef, type SecretReferences } from './secret-ref.js';
import { didYouMean } from './suggest.js';

export const CONFIG_FILE = 'tfsync.json';

/** The loaded tfsync.json. Every path is absolute; `root` is the folder the file sits in. */
export interface Config {
  path: string;
  root: string;
  /** A .tf file or a glob of .tf files. */
  variables: string;
  shared: string;
  /** A glob with exactly one `*`, which matches the environment's name. */
  environments: string;
  syncable: string[];
  environmentSpecific: string[];
  sensitive: string[];
  groups: Record<string, string[]>;
  /** Secret references per variable (or key path) and environment (`*`: the rest); see secret-ref.ts. */
  secrets: SecretReferences;
  /**
   * The general form (absent for the classic one: layersOf translates `shared` and `environments`).
   * Lowest precedence first, as Terraform's `-var-file` arguments; every `files` is absolute.
   */
  layers?: LayerSpec[];
  /** An absolute glob of root-module folders; `{stack}` is a matched folder's name. */
  stacks?: string;
  /** Absolute globs of files the layers never treat as an environment's. */
  exclude?: string[];
  /** Name patterns of variables supplied outside files: never required, never synced. */
  external?: string[];
  /** The explicit list of environments (general form), instead of the names the `{env}` layers find. */
  environmentNames?: string[];
  /** The layer a promotion creates values in (general form). */
  promoteTo?: string;
}

/** One value source of the general form (see schemas/tfsync.schema.json `$defs/layer`). */
export interface LayerSpec {
  name: string;
  /** Absolute path pattern with `{env}`, `{stack}` and `*`. */
  files: string;
  optional: boolean;
  /** `inputs` (Terragrunt) or `ATTRIBUTE.{env}` (an entry of a map-valued attribute). */
  at?: string;
  /**
   * The classic shared file: only its syncable variables count (what tfsync has always meant by
   * it, and what `shared-not-syncable` warns about). General-form layers give every variable.
   */
  syncableOnly?: boolean;
}

export const ENV = '{env}';
export const STACK = '{stack}';

/** The classic layer names: `@shared` and an environment's own file. */
export const CLASSIC_SHARED_LAYER = 'shared';
export const CLASSIC_ENVIRONMENT_LAYER = 'environment';

/**
 * The layers of any config: the general form's own, or the classic form translated (the shared
 * file is an optional layer without `{env}`, the environments glob a layer whose `*` is `{env}`).
 */
export function layersOf(config: Config): LayerSpec[] {
  if (config.layers) return config.layers;
  return [
    { name: CLASSIC_SHARED_LAYER, files: config.shared, optional: true, syncableOnly: true },
    { name: CLASSIC_ENVIRONMENT_LAYER, files: config.environments.replace('*', ENV), optional: false },
  ];
}

/**
 * The attributes that hold a map of environments (`environments` for `"at": "environments.{env}"`):
 * the values are their entries' fields, so the attribute itself is not a value of an environment.
 */
export function placeCarriers(config: Config): Set<string> {
  return new Set((config.layers ?? []).filter((l) => l.at?.includes('.')).map((l) => l.at!.slice(0, l.at!.indexOf('.'))));
}

/** Whether the config uses the general form (`layers`). */
export function isGeneralForm(config: Config): boolean {
  return config.layers !== undefined;
}

/** Must agree with the `default`s in schemas/tfsync.schema.json (a test holds them together). */
export const CONFIG_DEFAULTS = {
  variables: 'variables.tf',
  shared: 'environments/shared-features.tfvars',
  environments: 'environments/*/terraform.tfvars',
} as const;

/** The shape the schema guarantees once validation passed. */
interface RawConfig {
  variables?: string;
  shared?: string;
  environments?: string | string[];
  stacks?: string;
  layers?: Array<{ name: string; files: string; optional?: boolean; at?: string }>;
  exclude?: string[];
  external?: string[];
  promoteTo?: string;
  syncable?: string[];
  environmentSpecific?: string[];
  sensitive?: string[];
  groups?: Record<string, string[]>;
  secrets?: Record<string, string | Record<string, string>>;
}

/**
 * Parses, validates and resolves a tfsync.json whose text the caller has read. `path` is used as
 * given in error locations (so the caller decides how the user sees it) and resolved for the paths.
 */
export function loadConfig(path: string, text: string): Config {
  const name = basename(path);
  const data = parseJson(path, name, text);
  const errors = validateConfigShape(data);
  if (errors.length > 0) throw shapeError(path, name, text, errors);
  const raw = data as RawConfig;
  const file = resolve(path);
  const root = dirname(file);
  const insidePath = (value: string, segments: string[]): string => {
    // Refused rather than normalised: in a glob a backslash escapes the next character, so
    // "envs\\*.tfvars" has a meaning of its own (a file named "*.tfvars"); on Windows it was
    // meant as a separator, and the config must mean the same on every system.
    if (value.includes('\\')) {
      throw new TfsyncError(`${name}: ${pointer(segments)} ${JSON.stringify(value)} has a backslash`, { code: 'config-invalid',
        location: locationOf(path, text, segments, 'value'),
        hint: `paths in ${name} use forward slashes on every system: write ${JSON.stringify(value.replaceAll('\\', '/'))}`,
      });
    }
    const resolved = resolve(root, value);
    if (!isInside(root, resolved)) {
      const what = resolved === root ? 'is the folder of' : 'is outside the folder of';
      throw new TfsyncError(`${name}: ${pointer(segments)} ${JSON.stringify(value)} ${what} ${name}`, {
        code: 'config-invalid',
        location: locationOf(path, text, segments, 'value'),
        hint: `paths in ${name} are relative to ${root} and must name something inside it`,
      });
    }
    return resolved;
  };
  const inside = (key: keyof typeof CONFIG_DEFAULTS): string => insidePath((raw[key] as string | undefined) ?? CONFIG_DEFAULTS[key], [key]);
  const common = {
    path: file,
    root,
    variables: inside('variables'),
    syncable: raw.syncable ?? [],
    environmentSpecific: raw.environmentSpecific ?? [],
    sensitive: raw.sensitive ?? [],
    groups: raw.groups ?? {},
  };
  const fail = (segments: string[], message: string, hint?: string, at: 'key' | 'value' = 'value'): never => {
    throw new TfsyncError(`${name}: ${pointer(segments)} ${message}`, { code: 'config-invalid', location: locationOf(path, text, segments, at), ...(hint ? { hint } : {}) });
  };
  checkKeyPathEntries(raw, fail);
  const secrets = secretReferences(raw.secrets ?? {}, fail);
  if (raw.layers === undefined) {
    for (const key of ['stacks', 'exclude', 'promoteTo'] as const) {
      if (raw[key] !== undefined) fail([key], 'needs "layers" (the general form)', 'describe the value files as "layers"; see docs/layouts.md', 'key');
    }
    if (Array.isArray(raw.environments)) fail(['environments'], 'is a list of names, which needs "layers"; the classic form takes a glob with one "*"');
    if (common.variables.includes(STACK)) fail(['variables'], 'uses {stack}, which needs "stacks"');
    return { ...common, secrets, shared: inside('shared'), environments: inside('environments'), ...(raw.external ? { external: raw.external } : {}) };
  }
  return { ...common, secrets, ...generalForm(raw, raw.layers, insidePath, fail) };
}

/** `secrets` with every entry made per-environment, each reference checked as written. */
function secretReferences(raw: NonNullable<RawConfig['secrets']>, fail: Fail): SecretReferences {
  const refs: SecretReferences = {};
  for (const [name, entry] of Object.entries(raw)) {
    const byEnv = typeof entry === 'string' ? { '*': entry } : entry;
    for (const [env, text] of Object.entries(byEnv)) {
      const segments = typeof entry === 'string' ? ['secrets', name] : ['secrets', name, env];
      // `${NAME}` is an environment variable, as envsubst and a shell write it, not a placeholder.
      checkPlaceholders(text.replace(/\$\{(?!(?:env|stack)\})[A-Za-z_][A-Za-z0-9_]*\}/g, ''), segments, fail);
      try {
        parseSecretRef(text.replaceAll('{env}', 'env').replaceAll('{stack}', 'stack'));
      } catch (error) {
        if (!(error instanceof TfsyncError)) throw error;
        fail(segments, error.message.replace(/^"[^"]*" /, ''), error.options.hint);
      }
    }
    refs[name] = byEnv;
  }
  return refs;
}

type Fail = (segments: string[], message: string, hint?: string, at?: 'key' | 'value') => never;

/** A `{...}` other than `{env}` and `{stack}` is a typo (`{environment}`) or a placeholder tfsync does not have. */
function checkPlaceholders(text: string, segments: string[], fail: Fail): void {
  const unknown = /\{(?!env\}|stack\})[^}]*\}?/.exec(text);
  if (unknown) fail(segments, `has ${JSON.stringify(unknown[0])}: only {env} and {stack} stand for names`);
}


/** The general form's fields, checked beyond what the schema can say. */
function generalForm(raw: RawConfig, rawLayers: NonNullable<RawConfig['layers']>, insidePath: (value: string, segments: string[]) => string, fail: Fail) {
  if (raw.shared !== undefined) fail(['shared'], 'cannot be used with "layers": the shared file is a layer without {env}', 'move it into "layers", e.g. { "name": "shared", "files": "..." }', 'key');
  if (typeof raw.environments === 'string') {
    fail(['environments'], 'is a glob, which "layers" replaces', 'put {env} in a layer\'s "files" instead, or list the environment names');
  }
  const seen = new Map<string, number>();
  const layers = rawLayers.map((l, i): LayerSpec => {
    const at = ['layers', String(i)];
    const earlier = seen.get(l.name);
    if (earlier !== undefined) fail([...at, 'name'], `repeats the name of /layers/${earlier}`);
    seen.set(l.name, i);
    if (l.files.includes(STACK) && raw.stacks === undefined) fail([...at, 'files'], 'uses {stack}, which needs "stacks"');
    checkPlaceholders(l.files, [...at, 'files'], fail);
    if (/[?[\]]/.test(l.files)) fail([...at, 'files'], 'may use "*" as its only wildcard');
    if (l.at?.includes(ENV) && !l.files.includes(ENV) && raw.environments === undefined) {
      // A map of environments in one file: the entries are the environments, which discovery cannot list.
      fail([...at, 'at'], 'uses {env} in a file without {env}: list the environments in "environments"');
    }
    return { name: l.name, files: insidePath(l.files, [...at, 'files']), optional: l.optional ?? false, ...(l.at ? { at: l.at } : {}) };
  });
  const perEnvironment = layers.filter((l) => l.files.includes(ENV) || l.at?.includes(ENV));
  if (perEnvironment.length === 0) fail(['layers'], 'has no layer with {env}: nothing says which values belong to one environment');
  if (raw.promoteTo !== undefined && !perEnvironment.some((l) => l.name === raw.promoteTo)) {
    fail(['promoteTo'], `must name a layer with {env} (${perEnvironment.map((l) => JSON.stringify(l.name)).join(', ')})`);
  }
  const shared = layers.find((l) => !l.files.includes(ENV) && !l.at?.includes(ENV));
  const last = perEnvironment[perEnvironment.length - 1]!;
  return {
    // Kept for code that knows only the classic form: `@shared` is the first layer every environment
    // reads, and the environments "glob" the most specific layer.
    shared: shared?.files ?? last.files,
    environments: last.files.replaceAll(ENV, '*'),
    layers,
    ...(raw.stacks !== undefined ? { stacks: insidePath(raw.stacks, ['stacks']) } : {}),
    exclude: (raw.exclude ?? []).map((g, i) => insidePath(g, ['exclude', String(i)])),
    external: raw.external ?? [],
    ...(Array.isArray(raw.environments) ? { environmentNames: raw.environments } : {}),
    ...(raw.promoteTo !== undefined ? { promoteTo: raw.promoteTo } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Shape validation. The validator is ajv's standalone code for the schema, generated ahead of time
// by scripts/compile-config-validator.mjs: loading and compiling ajv on every command cost more
// than the rest of a `tfsync diff`.

const require = createRequire(import.meta.url);

/** The JSON Schema shipped with the package (schemas/tfsync.schema.json). */
export function configSchema(): Record<string, unknown> {
  // By the package's own name (package.json "exports"): the same from dist/model/ and from a chunk of
  // the bundled CLI (scripts/bundle-cli.mjs), which sit at different depths.
  return require('tfsync/schemas/tfsync.schema.json') as Record<string, unknown>;
}

/** Ajv's errors for the parsed tfsync.json, or none. */
export function validateConfigShape(data: unknown): ErrorObject[] {
  const validator = validateGenerated as unknown as ValidateFunction;
  return validator(data) ? [] : [...(validator.errors ?? [])];
}

function shapeError(path: string, name: string, text: string, errors: ErrorObject[]): TfsyncError {
  // anyOf reports every branch's failure too; the anyOf error alone (with its own message) says it
  // all, unless a branch failed only on its pattern: the value has that branch's type, and the
  // pattern's message is the one that helps.
  const patterned = new Set(errors.filter((e) => e.keyword === 'pattern').map((e) => e.instancePath));
  const anyOf = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  errors = errors.filter((e) => !(patterned.has(e.instancePath) && anyOf.has(e.instancePath) && e.keyword !== 'pattern'));
  for (const p of patterned) anyOf.delete(p);
  const problems = errors
    // propertyNames reports the failed inner check too; the outer error alone says it all.
    .filter((e) => e.propertyName === undefined)
    .filter((e) => e.keyword === 'anyOf' || ![...anyOf].some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)))
    .map(problemOf)
    .map(({ segments, at, message, hint }) => {
      const location = locationOf(path, text, segments, at);
      const error = new TfsyncError(`${name}: ${pointer(segments)} ${message}`, { code: 'config-invalid', location, hint });
      return { error, start: location?.range.start ?? 0 };
    })
    .sort((a, b) => a.start - b.start);
  const [first, ...rest] = problems.map((p) => p.error);
  // Ajv reports a failure with at least one error, and propertyNames adds its own after the inner one.
  return new TfsyncError(first!.message, { ...first!.options, more: rest });
}

interface Problem {
  segments: string[];
  /** Whether the key of the property or its value is at fault. */
  at: 'key' | 'value';
  message: string;
  hint?: string;
}

function problemOf(e: ErrorObject): Problem {
  const segments = e.instancePath.split('/').slice(1).map(unescapePointer);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'pattern' && e.instancePath === '/environments') {
    return { segments, at: 'value', message: 'must contain exactly one "*" (it matches the environment name) and no other wildcard' };
  }
  if (e.keyword === 'anyOf' && e.instancePath === '/environments') {
    return {
      segments,
      at: 'value',
      message: 'must be a glob with exactly one "*" (it matches the environment name) and no other wildcard, or (with "layers") a list of environment names',
    };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params['additionalProperty']);
      const known = segments.length === 0 ? Object.keys(configSchema()['properties'] as object) : [];
      return { segments: [...segments, key], at: 'key', message: 'is not a known property', hint: didYouMean(key, known) };
    }
    case 'propertyNames':
      return {
        segments: [...segments, String(params['propertyName'])],
        at: 'key',
        message: 'is not a valid group name: use letters, digits, ".", "_" and "-", starting with a letter or digit',
      };
    case 'uniqueItems': {
      const [earlier, later] = [Number(params['i']), Number(params['j'])].sort((a, b) => a - b);
      return { segments: [...segments, String(later)], at: 'value', message: `repeats ${pointer([...segments, String(earlier)])}` };
    }
    case 'minLength':
      return { segments, at: 'value', message: 'must not be empty' };
    default:
      return { segments, at: 'value', message: e.message ?? 'is invalid' };
  }
}

function pointer(segments: string[]): string {
  return segments.length === 0 ? '(top level)' : segments.map((s) => `/${s.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
