/**
 * The repository in the general form: every environment with its ordered value sources (the
 * `layers` of tfsync.json, filled in for it), parsed and classified. Pure like repository.ts: the
 * shell (src/io/discover-layers.ts) finds and reads the files.
 */
import type { KeyPath } from '../hcl/key-path.js';
import { parsePlaceDocument, placePath } from '../hcl/object-place.js';
import { isJsonVariablesFile, parseTfvars, type TfvarsDocument } from '../hcl/tfvars.js';
import { ENV, STACK, type Config, type LayerSpec } from './config.js';
import { SHARED } from './environments.js';
import { buildBase, compare, layerProblems, parseEnvironment, type Layer, type LayerSource, type Repository, type SourceFile } from './repository.js';

/** One file of one layer as read: `text` undefined when absent or unreadable. */
export interface LayerSourceInput {
  layer: LayerSpec;
  path: string;
  file: string;
  text?: string;
  /** There but encrypted (git-crypt). */
  unreadable?: boolean;
}

export interface LayeredInput {
  config: Config;
  stack?: string;
  variables: SourceFile[];
  /** The layers without `{env}`, in order: `@shared` is all of them, `@NAME` one. */
  shared: LayerSourceInput[];
  environments: Array<{ name: string; sources: LayerSourceInput[] }>;
  /**
   * Documents parsed for other stacks, by file and place: a file every stack reads (a common layer)
   * is parsed once for all of them. Filled as files are parsed.
   */
  parsed?: Map<string, TfvarsDocument>;
}

/** Whether a layer is shared by every environment: neither its file nor its place names `{env}`. */
export function isSharedLayer(layer: LayerSpec): boolean {
  return !layer.files.includes(ENV) && !(layer.at ?? '').includes(ENV);
}

export function buildLayeredRepository(input: LayeredInput): Repository {
  const first = input.shared[0];
  const sharedFile = first ? { path: first.path, file: first.file, ...(first.text !== undefined ? { text: first.text } : {}) } : { path: input.config.shared, file: input.config.shared };
  const repo = buildBase({ config: input.config, variables: input.variables, shared: sharedFile });
  if (input.stack !== undefined) repo.stack = input.stack;
  const parsed = new Map<string, LayerSource>();
  const sourceOf = (s: LayerSourceInput, env: string | undefined): LayerSource => {
    // A file read by several environments is parsed once; one read at an `{env}` place is per environment.
    const key = `${s.path}\0${s.layer.at?.includes(ENV) ? env : ''}`;
    let source = parsed.get(key);
    if (!source) {
      source = {
        layer: s.layer.name,
        shared: isSharedLayer(s.layer),
        syncableOnly: s.layer.syncableOnly === true,
        path: s.path,
        file: s.file,
        exists: s.text !== undefined || s.unreadable === true,
        unreadable: s.unreadable === true,
        doc: s.text === undefined ? emptyDocument(s, env) : parseEnvironment(repo, { name: s.layer.name, path: s.path, file: s.file, text: s.text }, placeOf(s.layer, env), input.parsed?.get(key)).doc,
      };
      // Only files of layers without {stack}: a stack's own files are of no use to the next stack.
      if (s.text !== undefined && !s.layer.files.includes(STACK)) input.parsed?.set(key, source.doc);
      parsed.set(key, source);
    }
    return source;
  };
  const sharedSources = input.shared.map((s) => sourceOf(s, undefined));
  repo.shared = { ...repo.shared, sources: sharedSources };
  repo.sharedLayers = new Map(sharedSources.map((s) => [s.layer, viewOf(`@${s.layer}`, s, [s])]));
  for (const env of [...input.environments].sort((a, b) => compare(a.name, b.name))) {
    const sources = env.sources.map((s) => sourceOf(s, env.name));
    const own = [...sources].reverse().find((s) => !s.shared) ?? sources[sources.length - 1]!;
    const layer = viewOf(env.name, own, sources);
    if (input.stack !== undefined) layer.stack = input.stack;
    repo.environments.set(env.name, layer);
  }
  repo.classification = new Map([...repo.classification].sort(([a], [b]) => compare(a, b)));
  const views = [...parsed.values()].map((s) => viewOf(s.layer, s, [s]));
  const noShared = viewOf(SHARED, { ...sharedSources[0]!, doc: emptyDocument() } as LayerSource, []);
  repo.problems = repo.problems.concat(layerProblems(views, noShared, repo.declarations, repo.classification));
  return repo;
}

/** The Layer that commands written for the classic form see: the most specific file, and every source. */
function viewOf(name: string, own: LayerSource, sources: LayerSource[]): Layer {
  return { name, path: own.path, file: own.file, exists: own.exists, doc: own.doc, sources };
}

/** The document of a file that is absent (or unreadable): empty, of the file's syntax and place. */
function emptyDocument(s?: LayerSourceInput, env?: string): TfvarsDocument {
  const json = s !== undefined && isJsonVariablesFile(s.path);
  const place = s && placeOf(s.layer, env);
  return place ? parsePlaceDocument(json ? '{}' : '', place, { json }) : parseTfvars(json ? '{}' : '', { json });
}

/** Where a layer's values are inside its file (`"at"`), for one environment; undefined: the top level. */
export function placeOf(layer: LayerSpec, env: string | undefined): KeyPath | undefined {
  return layer.at === undefined ? undefined : placePath(layer.at, env);
}

/** A layer file's text as the document its values are read from (validate parses every file itself). */
export function parseLayerText(s: LayerSourceInput & { text: string }, env: string | undefined): TfvarsDocument {
  const json = isJsonVariablesFile(s.path);
  const place = placeOf(s.layer, env);
  return place ? parsePlaceDocument(s.text, place, { json }) : parseTfvars(s.text, { json });
}
