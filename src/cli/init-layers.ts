/**
 * `tfsync init` in the general form: the layouts detect-layers.ts recognises, or the `--layer`
 * patterns (and `--stacks`) the user gives, read through the same discovery every command uses,
 * and classified as init classifies the classic form. Returns the text to write and the report.
 */
import { join } from 'node:path';
import { glob } from 'tinyglobby';
import { loadStacks } from '../io/load-repository.js';
import { readTextFile } from '../io/read-text.js';
import { CONFIG_DEFAULTS, loadConfig } from '../model/config.js';
import { detectLayers, inferenceView, layersFromPatterns, renderLayeredConfig, type LayersDraft } from '../model/detect-layers.js';
import { chooseVariables, inferClassification, type Decision } from '../model/infer-config.js';
import type { MakefileLists } from '../model/makefile-vars.js';
import { listNames } from '../model/suggest.js';

export interface LayersInit {
  text: string;
  /** What was found, for the report (before the decisions). */
  found: string[];
  decisions: Decision[];
}

const IGNORED = ['**/node_modules/**', '**/.git/**', '**/.terraform/**', '**/.terragrunt-cache/**'];

/** The general-form tfsync.json for `root`, or undefined when no layout fits and no `--layer` is given. */
export async function initLayers(options: { cwd: string; root: string; target: string; schema: string; layers: readonly string[]; stacks?: string; makefile?: MakefileLists }): Promise<LayersInit | undefined> {
  const { root } = options;
  const paths = await glob(['**/*.tfvars', '**/*.tfvars.json', '**/*.hcl', '**/*.tf'], { cwd: root, onlyFiles: true, ignore: IGNORED, followSymbolicLinks: false });
  const units = new Map<string, boolean>();
  for (const path of paths.filter((p) => p.endsWith('terragrunt.hcl'))) units.set(path, /^[ \t]*inputs[ \t]*=/m.test((await readTextFile(join(root, path))).text));
  const draft: LayersDraft | undefined = options.layers.length > 0 ? layersFromPatterns(options.layers, options.stacks) : detectLayers(paths, (p) => units.get(p) === true);
  if (!draft) return undefined;
  const rootTf = paths.filter((p) => p.endsWith('.tf') && !p.includes('/'));
  const variables = draft.variables ?? chooseVariables(await Promise.all(rootTf.map(async (path) => ({ path, text: (await readTextFile(join(root, path))).text }))), '')?.variables ?? CONFIG_DEFAULTS.variables;
  // The layout without a classification, loaded as every command loads it: discovery, then the files.
  const bare = renderLayeredConfig({ schema: options.schema, variables, draft, decisions: [], sensitive: [] });
  const config = loadConfig(options.target, bare);
  const { repos, warnings } = await loadStacks({ cwd: options.cwd, config: options.target }, config);
  const { decisions, sensitive } = inferClassification(inferenceView(repos), options.makefile);
  const text = renderLayeredConfig({ schema: options.schema, variables, draft, decisions, sensitive });
  loadConfig(options.target, text);
  const environments = repos.map((r) => `${r.stack === undefined ? '' : `${r.stack}: `}${listNames([...r.environments.keys()], 20)}`);
  const found = [
    `Layout        ${draft.reason}`,
    ...draft.layers.map((l, i) => `${i === 0 ? 'Layers' : ''}`.padEnd(14) + `${l.name}: ${l.files}${l.at ? ` (at ${l.at})` : ''}${l.optional ? ' (optional)' : ''}`),
    ...(draft.stacks !== undefined ? [`Stacks        ${draft.stacks} (declarations: ${variables})`] : [`Declarations  ${variables}`]),
    ...environments.map((e, i) => `${i === 0 ? 'Environments' : ''}`.padEnd(14) + e),
    ...warnings.map((w) => `warning: ${w}`),
  ];
  return { text, found, decisions };
}
