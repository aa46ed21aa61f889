/**
 * The shell of the general form: find the stacks, each stack's environments (the names its `{env}`
 * layers find, or the explicit list), the files each environment reads in layer order, and read
 * them. The pure model (src/model/layered-repository.ts) does the rest.
 */
import { basename, relative, resolve, sep } from 'node:path';
import { TfsyncError } from '../errors.js';
import { ENV, STACK, layersOf, type Config, type LayerSpec } from '../model/config.js';
import { validateEnvironmentName } from '../model/environments.js';
import { compileLayerPattern, type PatternNames } from '../model/layer-pattern.js';
import { buildLayeredRepository, isSharedLayer, type LayeredInput, type LayerSourceInput } from '../model/layered-repository.js';
import { compare, type Repository } from '../model/repository.js';
import type { TfvarsDocument } from '../hcl/tfvars.js';
import { didYouMean, listNames } from '../model/suggest.js';
import { errorCode, nodeFileSystem, type FileSystem } from './file-system.js';
import { EncryptedFileError, readTextFile } from './read-text.js';

/** One file an environment (or every environment) reads, in layer order. */
export interface LayerFile {
  layer: LayerSpec;
  path: string;
}

export interface StackEnvironment {
  name: string;
  /** Every layer's file(s) for this environment, lowest precedence first. */
  files: LayerFile[];
}

export interface StackLayout {
  /** Undefined when the config has no `stacks`: the repository is one stack. */
  name: string | undefined;
  /** The declarations pattern, `{stack}` filled in (absolute). */
  variables: string;
  /** The files of the layers without `{env}`. */
  shared: LayerFile[];
  /** In name order. */
  environments: StackEnvironment[];
}

export interface LayerLayout {
  stacks: StackLayout[];
  warnings: string[];
}

type Glob = (pattern: string, options: { onlyDirectories?: boolean }) => Promise<string[]>;

/** Every stack's layout; `stacks` narrows to the named ones (an unknown name is an error). */
export async function discoverLayers(config: Config, stacks: readonly string[] = []): Promise<LayerLayout> {
  const { glob: tinyglob } = await import('tinyglobby');
  const rel = (path: string) => toPosix(relative(config.root, path));
  const ignore = (config.exclude ?? []).map(rel);
  // Memoised: every stack lists the same `{env}` layer without `{stack}` (vars/*/common.tfvars).
  const listed = new Map<string, Promise<string[]>>();
  const glob: Glob = (pattern, { onlyDirectories = false }) => {
    const key = `${onlyDirectories}\0${pattern}`;
    let found = listed.get(key);
    if (!found) listed.set(key, (found = list(pattern, { onlyDirectories })));
    return found;
  };
  const list: Glob = async (pattern, { onlyDirectories = false }) =>
    (await tinyglob(pattern, { cwd: config.root, absolute: true, onlyFiles: !onlyDirectories, onlyDirectories, expandDirectories: false, ignore, dot: false, followSymbolicLinks: true }))
      .map((p) => resolve(p))
      .sort(compare);
  const warnings: string[] = [];
  let names: Array<string | undefined> = [undefined];
  if (config.stacks !== undefined) {
    const found = (await glob(rel(config.stacks), { onlyDirectories: true })).map((dir) => basename(dir)).sort(compare);
    for (const s of stacks) {
      if (!found.includes(s)) {
        throw new TfsyncError(`unknown stack "${s}" (known: ${listNames(found)})`, { code: 'unknown-stack', hint: didYouMean(s, found) ?? `check "stacks" in ${config.path}` });
      }
    }
    names = stacks.length > 0 ? [...new Set(stacks)].sort(compare) : found;
  } else if (stacks.length > 0) {
    throw new TfsyncError(`--stack needs "stacks" in ${config.path}: this repository is one stack`, { code: 'usage' });
  }
  const layouts = await Promise.all(names.map((stack) => stackLayout(config, stack, glob, rel, warnings)));
  return { stacks: layouts, warnings };
}

/**
 * The layout of the named stacks' named environments found without listing a folder: each path
 * filled in from its pattern and stat'ed, so that `diff A B --stack S` touches only S's files for A
 * and B. Undefined whenever it cannot be sure (a `*` left in a pattern, `exclude` globs, a stack or
 * an environment it cannot confirm): the caller then runs discoverLayers, whose answer (or error,
 * with its list of known names) stays the one users see.
 */
export async function directLayout(config: Config, stacks: readonly string[], environments: readonly string[], fs: FileSystem = nodeFileSystem): Promise<LayerLayout | undefined> {
  if ((config.exclude ?? []).length > 0 || environments.length === 0) return undefined;
  const rel = (path: string) => toPosix(relative(config.root, path));
  const isFile = async (path: string) => (await fs.stat(path).catch(() => undefined))?.isFile() === true;
  let names: Array<string | undefined> = [undefined];
  if (config.stacks !== undefined) {
    // Only a glob whose one `*` is its last segment names a stack's folder outright.
    const pattern = rel(config.stacks);
    if (stacks.length === 0 || !/^(?:[^*?[\]{}]*\/)?\*$/.test(pattern)) return undefined;
    for (const stack of stacks) {
      if (validateEnvironmentName(stack) !== undefined) return undefined;
      if (!(await fs.stat(resolve(config.root, pattern.slice(0, -1) + stack)).catch(() => undefined))?.isDirectory()) return undefined;
    }
    names = [...new Set(stacks)].sort(compare);
  } else if (stacks.length > 0) {
    return undefined;
  }
  const layers = layersOf(config);
  const layouts: StackLayout[] = [];
  for (const stack of names) {
    const base = stack === undefined ? {} : { stack };
    const pathOf = (layer: LayerSpec, fill: PatternNames) => {
      const filled = compileLayerPattern(rel(layer.files)).fill(fill);
      return filled.includes('*') ? undefined : resolve(config.root, filled);
    };
    const shared: LayerFile[] = [];
    for (const layer of layers.filter(isSharedLayer)) {
      const path = pathOf(layer, base);
      if (path === undefined) return undefined;
      shared.push({ layer, path });
    }
    const found: StackEnvironment[] = [];
    for (const env of [...new Set(environments)].sort(compare)) {
      if (validateEnvironmentName(env) !== undefined) return undefined;
      const files: LayerFile[] = [];
      let hasFile = false;
      for (const layer of layers) {
        if (isSharedLayer(layer)) {
          files.push(...shared.filter((f) => f.layer === layer));
          continue;
        }
        const path = pathOf(layer, { ...base, env });
        if (path === undefined || shared.some((f) => f.path === path)) return undefined;
        if (layer.files.includes(ENV) && config.environmentNames === undefined) {
          // As discovery decides: a file of some {env} layer, and one of every required {env} layer.
          const here = await isFile(path);
          if (!here && !layer.optional) return undefined;
          hasFile ||= here;
        }
        files.push({ layer, path });
      }
      if (config.environmentNames ? !config.environmentNames.includes(env) : !hasFile) return undefined;
      found.push({ name: env, files });
    }
    layouts.push({ name: stack, variables: stack === undefined ? config.variables : config.variables.replaceAll(STACK, stack), shared, environments: found });
  }
  return { stacks: layouts, warnings: [] };
}

async function stackLayout(config: Config, stack: string | undefined, glob: Glob, rel: (path: string) => string, warnings: string[]): Promise<StackLayout> {
  const layers = layersOf(config);
  const filesOf = async (layer: LayerSpec, names: PatternNames): Promise<LayerFile[]> => {
    const pattern = compileLayerPattern(rel(layer.files));
    const filled = pattern.fill(names);
    // A `*` left over names several files of one layer, applied in name order (as a shell's `-var-file=*.tfvars`).
    const paths = filled.includes('*') ? await glob(pattern.glob(names), {}) : [resolve(config.root, filled)];
    return paths.map((path) => ({ layer, path }));
  };
  const names = stack === undefined ? {} : { stack };
  const shared = (await Promise.all(layers.filter(isSharedLayer).map((l) => filesOf(l, names)))).flat();
  const sharedPaths = new Set(shared.map((f) => f.path));
  let envNames: string[];
  if (config.environmentNames) {
    envNames = [...config.environmentNames];
  } else {
    // An environment is a name some `{env}` layer has a file for; every required `{env}` layer must have one too.
    const found = new Map<string, Set<string>>();
    for (const layer of layers.filter((l) => l.files.includes(ENV))) {
      const pattern = compileLayerPattern(rel(layer.files));
      for (const path of await glob(pattern.glob(names), {})) {
        if (sharedPaths.has(path)) continue;
        const m = pattern.match(rel(path));
        if (m?.env === undefined || (stack !== undefined && pattern.hasStack && m.stack !== stack)) continue;
        const invalid = validateEnvironmentName(m.env);
        if (invalid !== undefined) {
          warnings.push(`${invalid}; ${rel(path)} is skipped`);
          continue;
        }
        (found.get(m.env) ?? found.set(m.env, new Set()).get(m.env)!).add(layer.name);
      }
    }
    const required = layers.filter((l) => l.files.includes(ENV) && !l.optional).map((l) => l.name);
    envNames = [...found].filter(([, has]) => required.every((r) => has.has(r))).map(([name]) => name);
  }
  const environments = await Promise.all(
    envNames.sort(compare).map(async (env) => ({
      name: env,
      files: (await Promise.all(layers.map((l) => (isSharedLayer(l) ? shared.filter((f) => f.layer === l) : filesOf(l, { ...names, env }))))).flat(),
    })),
  );
  return { name: stack, variables: stack === undefined ? config.variables : config.variables.replaceAll(STACK, stack), shared, environments };
}

/** Reads one stack's files and builds its repository; `environments` narrows it (all when empty). */
export async function readStack(config: Config, layout: StackLayout, options: ReadStackOptions, parsed?: Map<string, TfvarsDocument>): Promise<Repository> {
  return buildLayeredRepository({ ...(await readStackSources(config, layout, options)), ...(parsed ? { parsed } : {}) });
}

export interface ReadStackOptions {
  environments?: readonly string[];
  show: (path: string) => string;
  fs?: FileSystem;
  warnings: string[];
  /** Reads shared between calls (stacks that read the same files). */
  texts?: Map<string, Promise<LayerSourceInput>>;
}

/** One stack's files as read, not parsed (validate parses them itself, to report every error). */
export async function readStackSources(config: Config, layout: StackLayout, options: ReadStackOptions): Promise<LayeredInput> {
  const fs = options.fs ?? nodeFileSystem;
  const wanted = options.environments?.filter((n) => !n.startsWith('@')) ?? [];
  const envs = wanted.length > 0 ? layout.environments.filter((e) => wanted.includes(e.name)) : layout.environments;
  const own = new Map<string, Promise<LayerSourceInput>>();
  const read = (f: LayerFile): Promise<LayerSourceInput> => {
    // Files of layers without {stack} may be read by the next stack too; a stack's own are not kept.
    const reads = options.texts && !f.layer.files.includes(STACK) ? options.texts : own;
    let pending = reads.get(f.path);
    if (!pending) {
      pending = readLayerFile(f, options.show, fs, options.warnings);
      pending.catch(() => undefined);
      reads.set(f.path, pending);
    }
    return pending.then((input) => ({ ...input, layer: f.layer }));
  };
  const [variables, shared, environments] = await Promise.all([
    variablesFiles(config, layout.variables, fs).then((paths) => Promise.all(paths.map(async (path) => ({ path, file: options.show(path), text: (await readTextFile(path, fs)).text })))),
    Promise.all(layout.shared.map(read)),
    Promise.all(envs.map(async (e) => ({ name: e.name, sources: await Promise.all(e.files.map(read)) }))),
  ]);
  return { config, ...(layout.name !== undefined ? { stack: layout.name } : {}), variables, shared, environments };
}

async function readLayerFile(f: LayerFile, show: (path: string) => string, fs: FileSystem, warnings: string[]): Promise<LayerSourceInput> {
  const file = show(f.path);
  try {
    return { layer: f.layer, path: f.path, file, text: (await readTextFile(f.path, fs)).text };
  } catch (err) {
    if (err instanceof EncryptedFileError) {
      warnings.push(`${file} is encrypted (git-crypt): its variables count as set but unknown, and are never synced`);
      return { layer: f.layer, path: f.path, file, unreadable: true };
    }
    const missing = err instanceof TfsyncError && (await fs.stat(f.path).then(() => false, (e: unknown) => errorCode(e) === 'ENOENT' || errorCode(e) === 'ENOTDIR'));
    if (!missing) throw err;
    if (f.layer.optional || f.layer.syncableOnly) return { layer: f.layer, path: f.path, file };
    throw new TfsyncError(`${file}: no such file (layer "${f.layer.name}" is not optional)`, { code: 'file-not-found',
      hint: `create it, or mark the layer "optional": true in tfsync.json`,
    });
  }
}

/** The .tf files a stack's `variables` names: one file, or the matches of a glob, sorted. */
async function variablesFiles(config: Config, pattern: string, fs: FileSystem): Promise<string[]> {
  if (!/[*?[\]{}]/.test(pattern)) {
    return fs.stat(pattern).then(
      (s) => (s.isFile() ? [pattern] : []),
      () => [],
    );
  }
  const { glob } = await import('tinyglobby');
  const files = await glob(toPosix(relative(config.root, pattern)), { cwd: config.root, absolute: true, onlyFiles: true, expandDirectories: false });
  return files.map((f) => resolve(f)).sort(compare);
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}
