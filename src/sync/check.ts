/**
 * Drift, for CI: every environment's syncable values against the shared layer. An environment is in
 * step when each syncable variable's effective value there equals `@shared`'s (the shared file's,
 * else the declaration's default) and no required syncable variable is left without a value.
 *
 * Before the shared file exists (right after `tfsync init`), there is nothing shared to measure
 * against, and the defaults alone would make every environment that sets a feature drift: the
 * environments are compared with each other instead. Where they all agree they are in step; where
 * they differ, the value most of them have is the reference and the others drift.
 *
 * Built for size (200 environments × 1,000 variables): the syncable names and the reference values
 * are worked out once, then each environment costs one map lookup per syncable variable.
 */
import type { JsonValue } from '../hcl/evaluate.js';
import { SHARED } from '../model/environments.js';
import type { Origin } from '../model/layers.js';
import { pathLines } from '../hcl/path-position.js';
import type { TfvarsAttribute } from '../hcl/tfvars.js';
import { syncsAnyPart, type Classification } from '../model/classify.js';
import { classificationOf, compare, resolveLayer, type Layer, type Repository } from '../model/repository.js';
import type { TypeSpec } from '../model/type-schema.js';
import { driftLeaves, type LeafDrift } from './leaf-drift.js';
import { secretDrifts, type PlaintextSecret, type SecretCheck } from './secret-check.js';
import { equalityType, sameValue } from './value-equality.js';

export interface CheckValue {
  /** Undefined when nothing gives the variable a value. */
  value: JsonValue | undefined;
  origin: Origin | null;
}

/** A syncable variable whose value in the environment is not the shared one. */
export interface Drift {
  name: string;
  sensitive: boolean;
  shared: CheckValue;
  value: CheckValue;
  /**
   * Where inside the value it drifts, leaf by leaf, each with the line of the environment's file
   * that sets it (or of the object that lacks it); empty when the variable drifts as one value.
   */
  leaves: Array<LeafDrift & { line: number }>;
}

/** A required syncable variable (declared without a default) that neither layer sets. */
export interface Missing {
  name: string;
  sensitive: boolean;
  /** Where it is declared: the only place that knows it, and where an annotation can point. */
  declaration: { file: string; line: number };
}

export interface EnvironmentCheck {
  environment: string;
  /** The environment's file as users see it. */
  file: string;
  drift: Drift[];
  missing: Missing[];
  /** General form with `stacks`: the stack the environment belongs to. */
  stack?: string;
  /** The references this environment needs or has, and what their stores said (secret-check.ts). */
  secrets?: SecretCheck[];
}

export interface CheckResult {
  inStep: boolean;
  /** What the environments were measured against: the shared layer, or each other (no shared file yet). */
  reference: 'shared' | 'environments';
  /** The shared file as users see it, and whether it exists (the classic form's one file). */
  shared?: { file: string; exists: boolean };
  /** The environments checked, in name order; `@shared` is the reference and never among them. */
  environments: EnvironmentCheck[];
  /** How many variables are syncable: zero means there was nothing to check. */
  syncable: number;
  /** Sensitive values written in tracked values files: warnings (errors with `strict`). */
  plaintext?: PlaintextSecret[];
  /** `check --strict`: a plain-text secret fails the check. */
  strict?: boolean;
}

/** The reference for one syncable variable, computed once for all environments. */
interface Reference {
  name: string;
  sensitive: boolean;
  classification: Classification;
  shared: CheckValue;
  /** Declared without a default: an environment that inherits nothing has no value at all. */
  required: boolean;
  declaration: { file: string; line: number } | undefined;
  /** The declared type, when it changes equality (a set). */
  type: TypeSpec | undefined;
}

/**
 * Checks the named environments (every one when no other name is given). `@shared` among the
 * names is skipped: it is what the others are measured against. Unknown names throw resolveLayer's
 * error.
 */
export function checkEnvironments(repo: Repository, names: readonly string[] = []): CheckResult {
  const layers = selectLayers(repo, names);
  const checker = new DriftChecker(repo);
  return checker.result(layers.map((layer) => checker.check(layer)));
}

/**
 * Checks environments one at a time, for a caller that parses each, checks it and lets it go
 * (200 parsed environments held at once were most of check's 230 MB peak). The reference values
 * are worked out once, from `repo`'s classification when the checker is made; a syncable name
 * that only environments set (not declared, not in the shared file) is met as each environment
 * comes, with the classification parseEnvironment gives it. Environments are reported in the
 * order checked.
 */
export class DriftChecker {
  private readonly references: Reference[];
  private readonly referenced: Set<string>;
  /** Syncable names met only in environments' files, counted in `syncable`. */
  private readonly unreferenced = new Set<string>();

  /** Without a shared file: every environment's effective syncable values, compared in `result`. */
  private readonly peers: PeerValues | undefined;

  constructor(private readonly repo: Repository) {
    this.references = referencesOf(repo);
    this.referenced = new Set(this.references.map((r) => r.name));
    if (!repo.shared.exists) this.peers = new PeerValues(this.references);
  }

  check(layer: Layer): EnvironmentCheck {
    if (this.peers) return this.peers.add(layer, (name) => this.syncableOnlyHere(name));
    const result = checkLayer(layer, this.references);
    let added = false;
    for (const a of layer.doc.attributes) {
      if (this.referenced.has(a.name)) continue;
      const c = classificationOf(this.repo, a.name);
      if (!syncsAnyPart(c)) continue;
      // Neither declared nor shared: @shared has no value, so any value the environment sets drifts.
      this.unreferenced.add(a.name);
      const drift = driftOf(layer, a, c, { value: undefined, origin: null });
      if (drift) result.drift.push(drift);
      added = true;
    }
    if (added) result.drift.sort((x, y) => compare(x.name, y.name));
    return result;
  }

  result(environments: EnvironmentCheck[]): CheckResult {
    this.peers?.compare(environments);
    const inStep = environments.every((e) => e.drift.length === 0 && e.missing.length === 0);
    return {
      inStep,
      reference: this.peers ? 'environments' : 'shared',
      shared: { file: this.repo.shared.file, exists: this.repo.shared.exists },
      environments,
      syncable: this.references.length + this.unreferenced.size,
    };
  }

  /** A syncable name neither declared nor shared, met in an environment's file: counted once. */
  private syncableOnlyHere(name: string): { sensitive: boolean } | undefined {
    if (this.referenced.has(name)) return undefined;
    const { class: kind, sensitive } = classificationOf(this.repo, name);
    if (kind !== 'syncable') return undefined;
    this.unreferenced.add(name);
    return { sensitive };
  }
}

/** One environment's effective value of one syncable variable. */
interface PeerValue {
  check: EnvironmentCheck;
  side: CheckValue;
}

/**
 * The environments' values side by side, for a repository with no shared file yet. Each
 * environment's effective value (its own, else the default) of every syncable variable is kept;
 * `compare` then picks, per variable, the value most environments have (ties: the one the
 * first environment in name order has) and adds a drift to each environment that differs.
 */
class PeerValues {
  private readonly values = new Map<string, { sensitive: boolean; values: PeerValue[] }>();

  constructor(private readonly references: readonly Reference[]) {}

  add(layer: Layer, syncableOnlyHere: (name: string) => { sensitive: boolean } | undefined): EnvironmentCheck {
    const check: EnvironmentCheck = { environment: layer.name, file: layer.file, drift: [], missing: [] };
    const keep = (name: string, sensitive: boolean, side: CheckValue) => {
      let entry = this.values.get(name);
      if (!entry) this.values.set(name, (entry = { sensitive, values: [] }));
      entry.values.push({ check, side });
    };
    for (const ref of this.references) {
      const own = layer.doc.byName.get(ref.name);
      if (own) keep(ref.name, ref.sensitive, { value: own.value, origin: { layer: 'environment', file: layer.file, line: own.line } });
      else if (ref.shared.value !== undefined) keep(ref.name, ref.sensitive, ref.shared);
      else if (ref.required) check.missing.push({ name: ref.name, sensitive: ref.sensitive, declaration: ref.declaration! });
    }
    for (const a of layer.doc.attributes) {
      const only = syncableOnlyHere(a.name);
      if (only) keep(a.name, only.sensitive, { value: a.value, origin: { layer: 'environment', file: layer.file, line: a.line } });
    }
    return check;
  }

  compare(checks: readonly EnvironmentCheck[]): void {
    const order = new Map(checks.map((c, i) => [c, i]));
    for (const [name, { sensitive, values }] of this.values) {
      // Environments that leave a name unset (and have no default for it) hold no value: undefined.
      const held = new Set(values.map((v) => v.check));
      const all: PeerValue[] = [...values, ...checks.filter((c) => !held.has(c) && !c.missing.some((m) => m.name === name)).map((check) => ({ check, side: { value: undefined, origin: null } }))];
      const groups: PeerValue[][] = [];
      for (const v of all.sort((a, b) => order.get(a.check)! - order.get(b.check)!)) {
        const group = groups.find((g) => sameSide(g[0]!.side, v.side));
        if (group) group.push(v);
        else groups.push([v]);
      }
      if (groups.length < 2) continue;
      const reference = groups.reduce((best, g) => (g.length > best.length ? g : best))[0]!.side;
      for (const v of all) if (!sameSide(v.side, reference)) v.check.drift.push({ name, sensitive, shared: reference, value: v.side, leaves: [] });
    }
    for (const check of checks) check.drift.sort((x, y) => compare(x.name, y.name));
  }
}

function sameSide(a: CheckValue, b: CheckValue): boolean {
  if (a.value === undefined || b.value === undefined) return a.value === b.value;
  return sameValue(a.value, b.value);
}

function selectLayers(repo: Repository, names: readonly string[]): Layer[] {
  const wanted = names.filter((name) => name !== SHARED);
  if (wanted.length === 0) return [...repo.environments.values()];
  // Resolve them all first, so that a typo is reported before anything else.
  const chosen = new Set(wanted.map((name) => resolveLayer(repo, name).name));
  return [...repo.environments.values()].filter((layer) => chosen.has(layer.name));
}

function referencesOf(repo: Repository): Reference[] {
  const references: Reference[] = [];
  // Sorted by name, so the report is too.
  for (const [name, c] of [...repo.classification].sort(([a], [b]) => compare(a, b))) {
    if (!syncsAnyPart(c)) continue;
    const declaration = repo.declarations.get(name);
    const attribute = repo.shared.doc.byName.get(name);
    let shared: CheckValue = { value: undefined, origin: null };
    if (attribute) {
      shared = { value: attribute.value, origin: { layer: 'shared', file: repo.shared.file, line: attribute.line } };
    } else if (declaration?.hasDefault) {
      shared = { value: declaration.default ?? null, origin: { layer: 'default', file: declaration.file, line: declaration.line } };
    }
    references.push({
      name,
      sensitive: c.sensitive,
      classification: c,
      shared,
      required: declaration !== undefined && !declaration.hasDefault,
      declaration: declaration && { file: declaration.file, line: declaration.line },
      type: equalityType(declaration),
    });
  }
  return references;
}

/**
 * An environment that does not set a syncable variable inherits the shared layer's value, so only
 * the attributes its own file sets can drift; an unset one can only be missing.
 */
function checkLayer(layer: Layer, references: readonly Reference[]): EnvironmentCheck {
  const drift: Drift[] = [];
  const missing: Missing[] = [];
  for (const ref of references) {
    const own = layer.doc.byName.get(ref.name);
    if (own) {
      if (sameValue(own.value, ref.shared.value, ref.type)) continue;
      const found = driftOf(layer, own, ref.classification, ref.shared);
      if (found) drift.push(found);
    } else if (ref.shared.value === undefined && ref.required) {
      missing.push({ name: ref.name, sensitive: ref.sensitive, declaration: ref.declaration! });
    }
  }
  return { environment: layer.name, file: layer.file, drift, missing };
}

/** How reports name an environment: `api/prod` in a stack, else its name (as `tfsync envs` does). */
export function environmentLabel(env: Pick<EnvironmentCheck, 'environment' | 'stack'>): string {
  return env.stack === undefined ? env.environment : `${env.stack}/${env.environment}`;
}

/** What a command line adds to name the environment's stack: ` --stack api`, or nothing. */
export function stackOption(env: Pick<EnvironmentCheck, 'stack'>): string {
  return env.stack === undefined ? '' : ` --stack ${env.stack}`;
}

/** The drift of an attribute the environment's file sets, or undefined where its syncable parts agree. */
function driftOf(layer: Layer, own: TfvarsAttribute, c: Classification, shared: CheckValue): Drift | undefined {
  const leaves = driftLeaves(own.name, c, shared.value, own.value);
  if (leaves.length === 0) return undefined;
  const value = { value: own.value, origin: { layer: 'environment' as const, file: layer.file, line: own.line } };
  const whole = leaves.length === 1 && leaves[0]!.path.parts.length === 0;
  const line = pathLines(layer.doc, own);
  return {
    name: own.name,
    sensitive: c.sensitive,
    shared,
    value,
    leaves: whole ? [] : leaves.map((leaf) => ({ ...leaf, line: line(leaf.path.parts) })),
  };
}

/** The environments that drift or miss something. */
export function outOfStep(result: CheckResult): EnvironmentCheck[] {
  return result.environments.filter((e) => e.drift.length > 0 || e.missing.length > 0 || (e.secrets ?? []).some(secretDrifts));
}
