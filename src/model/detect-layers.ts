/**
 * `tfsync init` for the layouts the classic form cannot express (docs/layouts.md): from the
 * repository's file paths alone, the general form's `layers` (and `stacks`, `variables`) of
 * - Terragrunt units, `<...>/<env>/<stack>/terragrunt.hcl` whose `inputs` are the values;
 * - common plus per-stack files, `<dir>/<env>/common.tfvars` then `<dir>/<env>/<stack>.tfvars`,
 *   with the stacks' root modules in a folder of folders named like those files;
 * - the environment's name twice, `<dir>/<env>/<env>.tfvars`, over a shared file beside them;
 * - one file per environment at the root (`hub-<env>.tfvars`) or in a folder of `.tfvars.json`.
 * Pure: paths (relative, `/`-separated) in, a draft out; every draft says why it was chosen.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { parseTfvars } from '../hcl/tfvars.js';
import { SHARED, validateEnvironmentName } from './environments.js';
import { effectiveValues } from './layers.js';
import { snippetGroups, type Decision, type InferredClass } from './infer-config.js';
import { compare, type Layer, type Repository } from './repository.js';

export interface DraftLayer {
  name: string;
  files: string;
  optional?: boolean;
  at?: string;
}

export interface LayersDraft {
  layers: DraftLayer[];
  stacks?: string;
  /** The declarations, when the layout says where they are (a stack's folder). */
  variables?: string;
  exclude?: string[];
  reason: string;
}

/** Names that sit among environments but are none (a Jinja template, an example). */
const NOT_ENVIRONMENTS = /^(template|templates|example|examples|sample|skeleton|_.*)$/i;

/** The first layout that fits, in the order above; undefined when none does. */
export function detectLayers(paths: readonly string[], hasInputs: (path: string) => boolean): LayersDraft | undefined {
  const all = [...paths].sort(compare);
  return terragrunt(all, hasInputs) ?? commonPlusStack(all) ?? envTwice(all) ?? onePerEnvironment(all);
}

/** The layers the user gave (`--layer`, lowest precedence first), named after their files; with several, each optional. */
export function layersFromPatterns(patterns: readonly string[], stacks: string | undefined): LayersDraft {
  const used = new Set<string>();
  const layers = patterns.map((files, i): DraftLayer => {
    // The file's name without placeholders, else its folder's (`envs/{env}.tfvars.json` is "envs").
    const plain = (part: string) => part.replace(/\{env\}|\{stack\}|\*/g, '').replace(/\.(tfvars(\.json)?|hcl)$/, '').replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
    const parts = files.split('/');
    let name = plain(parts[parts.length - 1]!) || plain(parts[parts.length - 2] ?? '') || `layer${i + 1}`;
    while (used.has(name)) name = `${name}-${i + 1}`;
    used.add(name);
    // With several, an environment is one that any of them has a file for.
    return { name, files, ...(patterns.length > 1 ? { optional: true } : {}), ...(files.endsWith('terragrunt.hcl') ? { at: 'inputs' } : {}) };
  });
  const variables = stacks === undefined ? undefined : `${stacks.replace(/\*(?!.*\*)/, '{stack}')}/*.tf`;
  return { layers, ...(stacks !== undefined ? { stacks, variables } : {}), reason: 'the layers given with --layer' };
}

function terragrunt(paths: string[], hasInputs: (path: string) => boolean): LayersDraft | undefined {
  const units = paths.filter((p) => p.endsWith('/terragrunt.hcl') && hasInputs(p)).map((p) => p.split('/').slice(0, -1));
  if (units.length < 2) return undefined;
  const depth = mostCommon(units.map((u) => u.length));
  const same = units.filter((u) => u.length === depth);
  const varying = [...Array(depth).keys()].filter((i) => new Set(same.map((u) => u[i])).size > 1);
  if (varying.length === 0 || varying.length > 2) return undefined;
  const [envAt, stackAt] = varying as [number, number | undefined];
  const env = segmentPattern(same.map((u) => u[envAt]!), '{env}');
  if (!env) return undefined;
  const segments = same[0]!.map((s, i) => (i === envAt ? env : i === stackAt ? '{stack}' : s));
  const files = `${segments.join('/')}/terragrunt.hcl`;
  const unit: DraftLayer = { name: 'unit', files, at: 'inputs' };
  if (stackAt === undefined) return { layers: [unit], reason: `Terragrunt units (${same.length} terragrunt.hcl files with inputs)` };
  const stacks = [...new Set(same.map((u) => u[stackAt]!))];
  const modules = moduleFolder(paths, stacks);
  return {
    layers: [unit],
    stacks: modules ? `${modules}/*` : `${same[0]!.slice(0, stackAt).join('/')}/*`,
    ...(modules ? { variables: `${modules}/{stack}/*.tf` } : {}),
    reason: `Terragrunt units (${same.length} terragrunt.hcl files with inputs) in ${stacks.length} stacks`,
  };
}

function commonPlusStack(paths: string[]): LayersDraft | undefined {
  const commons = paths.map((p) => /^(.*\/)?([^/]+)\/common\.tfvars$/.exec(p)).filter((m): m is RegExpExecArray => m !== null);
  const byDir = groupBy(commons, (m) => m[1] ?? '');
  for (const [dir, found] of byDir) {
    if (found.length < 2) continue;
    const envs = found.map((m) => m[2]!);
    const siblings = new Set(paths.filter((p) => envs.some((e) => p.startsWith(`${dir}${e}/`))).map((p) => p.slice(dir.length).split('/')).filter((s) => s.length === 2 && s[1]!.endsWith('.tfvars') && s[1] !== 'common.tfvars').map((s) => s[1]!.slice(0, -'.tfvars'.length)));
    const modules = moduleFolder(paths, [...siblings]);
    if (!modules) continue;
    return {
      layers: [
        { name: 'common', files: `${dir}{env}/common.tfvars` },
        { name: 'stack', files: `${dir}{env}/{stack}.tfvars`, optional: true },
      ],
      stacks: `${modules}/*`,
      variables: `${modules}/{stack}/*.tf`,
      reason: `common.tfvars in ${envs.length} environment folders, then one file per stack of ${modules}`,
    };
  }
  return undefined;
}

function envTwice(paths: string[]): LayersDraft | undefined {
  const twice = paths.map((p) => /^(.*\/)?([^/]+)\/\2\.tfvars$/.exec(p)).filter((m): m is RegExpExecArray => m !== null);
  for (const [dir, found] of groupBy(twice, (m) => m[1] ?? '')) {
    const envs = found.map((m) => m[2]!).filter((e) => validateEnvironmentName(e) === undefined);
    const real = envs.filter((e) => !NOT_ENVIRONMENTS.test(e));
    if (real.length < 2) continue;
    const shared = paths.find((p) => p.startsWith(dir) && /^(shared|common|global)[^/]*\.tfvars$/.test(p.slice(dir.length)));
    const skipped = envs.filter((e) => NOT_ENVIRONMENTS.test(e));
    return {
      layers: [...(shared ? [{ name: 'shared', files: shared, optional: true }] : []), { name: 'env', files: `${dir}{env}/{env}.tfvars` }],
      ...(skipped.length > 0 ? { exclude: skipped.map((e) => `${dir}${e}/${e}.tfvars`) } : {}),
      reason: `the environment's name twice, ${dir}<env>/<env>.tfvars, in ${real.length} folders`,
    };
  }
  return undefined;
}

function onePerEnvironment(paths: string[]): LayersDraft | undefined {
  // hub-<env>.tfvars at the root, or <dir>/<env>.tfvars.json.
  const prefixed = paths.map((p) => /^([A-Za-z0-9_]+-)([^/]+)\.tfvars$/.exec(p)).filter((m): m is RegExpExecArray => m !== null);
  for (const [prefix, found] of groupBy(prefixed, (m) => m[1]!)) {
    if (found.length >= 2) return { layers: [{ name: 'env', files: `${prefix}{env}.tfvars` }], reason: `${found.length} files ${prefix}<env>.tfvars at the root` };
  }
  const json = paths.map((p) => /^(.+\/)([^/]+)\.tfvars\.json$/.exec(p)).filter((m): m is RegExpExecArray => m !== null);
  for (const [dir, found] of groupBy(json, (m) => m[1]!)) {
    if (found.length >= 2) return { layers: [{ name: 'env', files: `${dir}{env}.tfvars.json` }], reason: `${found.length} files ${dir}<env>.tfvars.json` };
  }
  return undefined;
}

/** A folder whose sub-folders named like the stacks hold .tf files (the stacks' root modules). */
function moduleFolder(paths: string[], stacks: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const m = /^(.*)\/([^/]+)\/[^/]+\.tf$/.exec(p);
    if (m && stacks.includes(m[2]!)) counts.set(m[1]!, (counts.get(m[1]!) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]))[0];
  return best?.[0];
}

/** `{env}` inside a segment: the values' common prefix and suffix stay (`app-dev`, `app-prod` → `app-{env}`). */
function segmentPattern(values: string[], token: string): string | undefined {
  let prefix = values[0]!;
  let suffix = values[0]!;
  for (const v of values) {
    while (!v.startsWith(prefix)) prefix = prefix.slice(0, -1);
    while (!v.endsWith(suffix)) suffix = suffix.slice(1);
  }
  // Up to a separator only: `dev`/`demo` share "de", which is part of the names.
  prefix = prefix.slice(0, Math.max(prefix.lastIndexOf('-'), prefix.lastIndexOf('_'), prefix.lastIndexOf('.')) + 1);
  const cut = suffix.search(/[-_.]/);
  suffix = cut < 0 ? '' : suffix.slice(cut);
  if (values.some((v) => v.length <= prefix.length + suffix.length)) return undefined;
  return `${prefix}${token}${suffix}`;
}

function mostCommon(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]![0];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/**
 * A general-form repository as init's classification reads repositories (infer-config.ts): each
 * environment's own values (the ones its `{env}` layers give it) as one document, and the shared
 * layers' as the shared one. Stacks are named `stack/env`, so that their values are compared too.
 */
export function inferenceView(repos: readonly Repository[]): Repository {
  const first = repos[0]!;
  const doc = (values: Array<[string, JsonValue]>) => parseTfvars(JSON.stringify(Object.fromEntries(values)), { json: true });
  const environments = new Map<string, Layer>();
  const declarations = new Map(repos.flatMap((r) => [...r.declarations]));
  const sharedValues = new Map<string, JsonValue>();
  for (const repo of repos) {
    for (const v of effectiveValues(repo, SHARED)) if (v.origin?.layer === 'shared' && v.value !== undefined) sharedValues.set(v.name, v.value);
    for (const env of repo.environments.values()) {
      const own = effectiveValues(repo, env.name).filter((v) => v.origin?.layer === 'environment' && v.value !== undefined && !v.computed).map((v): [string, JsonValue] => [v.name, v.value!]);
      const name = repo.stack === undefined ? env.name : `${repo.stack}/${env.name}`;
      environments.set(name, { ...env, name, doc: doc(own) });
    }
  }
  const shared: Layer = { ...first.shared, doc: doc([...sharedValues]) };
  return { ...first, declarations, shared, environments };
}

export interface LayeredConfigDraft {
  schema: string;
  variables: string;
  draft: LayersDraft;
  decisions: readonly Decision[];
  sensitive: readonly string[];
}

/** tfsync.json's text in the general form, keys in the schema's order. */
export function renderLayeredConfig({ schema, variables, draft, decisions, sensitive }: LayeredConfigDraft): string {
  const of = (c: InferredClass) => decisions.filter((d) => d.class === c).map((d) => d.name);
  const syncable = of('syncable');
  const groups = snippetGroups(syncable);
  const doc: Record<string, unknown> = {
    $schema: schema,
    ...(draft.stacks !== undefined ? { stacks: draft.stacks } : {}),
    variables,
    layers: draft.layers,
    ...(draft.exclude ? { exclude: draft.exclude } : {}),
    syncable,
    environmentSpecific: of('environment-specific'),
  };
  if (Object.keys(groups).length > 0) doc['groups'] = groups;
  if (sensitive.length > 0) doc['sensitive'] = [...sensitive];
  return `${JSON.stringify(doc, null, 2)}\n`;
}
