/**
 * `tfsync init`: adopt tfsync in an existing repository. Finds the environments, the declarations
 * and the shared file in the working directory (no walking up: init creates the config where it
 * is run), classifies every variable and says why, then writes tfsync.json. `--makefile` instead
 * prints the Makefile targets that wrap tfsync.
 */
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { glob } from 'tinyglobby';
import { TfsyncError } from '../../errors.js';
import { displayPath, fileExists } from '../../io/load-repository.js';
import { readTextFile } from '../../io/read-text.js';
import { CONFIG_DEFAULTS, CONFIG_FILE, type Config } from '../../model/config.js';
import {
  chooseLayout,
  chooseVariables,
  inferClassification,
  renderConfig,
  SEARCH_PATTERNS,
  type Decision,
  type InferredClass,
  type Layout,
  type VariablesChoice,
} from '../../model/infer-config.js';
import { pathInside } from '../../model/path-inside.js';
import { readMakefileLists } from '../../model/makefile-vars.js';
import { buildRepository } from '../../model/repository.js';
import { listNames } from '../../model/suggest.js';
import type { FileWrite } from '../../sync/file-write.js';
import type { Colors } from '../colors.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { writeFiles } from '../confirm-write.js';
import { initLayers } from '../init-layers.js';
import { MAKEFILE_SNIPPET } from '../makefile-snippet.js';
import { widest } from '../render/lists.js';

/** Where `$schema` points when this tfsync is not inside the repository: a local npm install. */
const INSTALLED_SCHEMA = './node_modules/tfsync/schemas/tfsync.schema.json';

/**
 * Masks secrets in the excerpt of a syntax error found while reading the environments. Broader
 * than what init writes into "sensitive": hiding too much of an error line costs nothing.
 */
const MASK_WHILE_READING = ['*secret*', '*password*', '*passwd*', '*token*', '*credential*', '*_key', '*_keys', '*apikey*'];

export const initCommand = defineCommand({
  command: 'init',
  describe: 'Write a tfsync.json inferred from the environments (or from a Makefile\'s SYNCABLE_VARS / ENV_SPECIFIC_VARS)',
  builder: (yargs) =>
    yargs
      .option('force', { type: 'boolean', default: false, describe: 'Replace an existing tfsync.json (the old one is kept as tfsync.json.bak)' })
      .option('from-makefile', { type: 'string', describe: 'Take the classification from this Makefile\'s SYNCABLE_VARS and ENV_SPECIFIC_VARS' })
      .option('makefile', { type: 'boolean', default: false, describe: 'Only print the Makefile targets that wrap tfsync, to paste into your Makefile' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the tfsync.json that would be written, and write nothing' })
      .option('layer', {
        type: 'string',
        coerce: (v: unknown) => ([] as unknown[]).concat(v ?? []).map(String),
        describe: 'A layer\'s files with {env} (and {stack}), lowest precedence first (repeatable): writes the general form',
      })
      .option('stacks', { type: 'string', describe: 'With --layer: the glob of the stacks\' root-module folders ({stack} is a folder\'s name)' }),
  run: async (args, ctx) => {
    if (args.makefile) {
      ctx.output.stdout(MAKEFILE_SNIPPET);
      return EXIT_OK;
    }
    const target = resolve(ctx.cwd, args.config ?? CONFIG_FILE);
    const root = dirname(target);
    const shown = displayPath(ctx.cwd, target);
    const existing = (await fileExists(target, ctx.fs)) ? await readTextFile(target, ctx.fs) : undefined;
    if (existing && !args.force && !args.dryRun) {
      throw new TfsyncError(`${shown} already exists; init does not overwrite it`, {
        hint: `pass --force to replace it (the old one is kept as ${shown}.bak), or --dry-run to see what init would write`,
      });
    }
    const makefilePath = args.fromMakefile === undefined ? undefined : resolve(ctx.cwd, args.fromMakefile);
    const makefile = makefilePath === undefined ? undefined : readMakefileLists((await readTextFile(makefilePath)).text, displayPath(ctx.cwd, makefilePath));

    // The general form: asked for with --layer, or a layout the classic form cannot express.
    const layers = (args.layer as string[] | undefined) ?? [];
    const paths = await glob([...SEARCH_PATTERNS], { cwd: root, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true });
    let text: string;
    let report: string[];
    const classic = layers.length === 0 && args.stacks === undefined ? tryLayout(paths) : undefined;
    if (!classic) {
      const general = await initLayers({ cwd: ctx.cwd, root, target, schema: schemaReference(root), layers, ...(args.stacks !== undefined ? { stacks: args.stacks } : {}), ...(makefile ? { makefile } : {}) });
      // No layout fits: the classic form's error, which lists where init looked.
      if (!general) chooseLayout(paths);
      text = general!.text;
      report = [...general!.found, '', ...decisionLines(general!.decisions, ctx.output.colors), '', totals(general!.decisions, makefile !== undefined)];
    } else {
      const layout = classic;
      const folder = layout.environments.slice(0, layout.environments.indexOf('/'));
      const tfPaths = paths.filter((path) => path.endsWith('.tf'));
      const tfFiles = await Promise.all(tfPaths.map(async (path) => ({ path, text: (await readTextFile(join(root, path))).text })));
      const variables = chooseVariables(tfFiles, folder);

      const repo = await readRepository(ctx.cwd, root, target, layout, variables);
      const { decisions, sensitive } = inferClassification(repo, makefile);
      text = renderConfig({
        schema: schemaReference(root),
        variables: variables?.variables ?? CONFIG_DEFAULTS.variables,
        shared: layout.shared.path,
        environments: layout.environments,
        decisions,
        sensitive,
      });

      const show = (path: string) => displayPath(ctx.cwd, join(root, path));
      report = [
        ...where(layout, variables, show, ctx.output.colors),
        '',
        ...decisionLines(decisions, ctx.output.colors),
        '',
        totals(decisions, makefile !== undefined),
      ];
    }
    // The writer checks that the config loads: a failure there is a bug in init, caught before the file exists.
    const writes: FileWrite[] = [{ path: target, file: shown, before: existing?.text ?? null, after: text, check: { kind: 'config' }, createdMarker: false }];
    const { code, outcome } = await writeFiles(ctx, writes, {
      command: 'init',
      dryRun: args.dryRun,
      // Asked for by name, like `set`: written without a question.
      yes: true,
      isSensitive: () => false,
      announce: false,
      show: () => {
        if (!args.dryRun) return;
        if (existing) report.push(`${shown} exists and stays as it is (dry run).`);
        ctx.output.stderr(`${report.join('\n')}\n`);
        ctx.output.stdout(text);
      },
    });
    if (args.dryRun) return code;
    if (outcome.status === 'written') report.push(`Wrote ${shown}${existing ? ` (the previous one is in ${shown}.bak)` : ''}. Review it, then run \`tfsync check\`.`);
    if (makefile) report.push('`tfsync init --makefile` prints sync targets of the same names to replace the old ones with.');
    ctx.output.stdout(`${report.join('\n')}\n`);
    return code;
  },
});

/** The classic layout that finds the most environments, or undefined when none finds any. */
function tryLayout(paths: readonly string[]): Layout | undefined {
  try {
    return chooseLayout(paths);
  } catch (err) {
    if (err instanceof TfsyncError) return undefined;
    throw err;
  }
}

/** Reads what the layout found and hands it to the model, so that parsing and syntax errors are the usual ones. */
async function readRepository(cwd: string, root: string, target: string, layout: Layout, variables: VariablesChoice | undefined) {
  const absolute = (path: string) => resolve(root, path);
  const source = async (path: string) => ({ path: absolute(path), file: displayPath(cwd, absolute(path)), text: (await readTextFile(absolute(path))).text });
  const config: Config = {
    path: target,
    root,
    variables: absolute(variables?.variables ?? CONFIG_DEFAULTS.variables),
    shared: absolute(layout.shared.path),
    environments: absolute(layout.environments),
    syncable: [],
    environmentSpecific: [],
    sensitive: MASK_WHILE_READING,
    groups: {},
  };
  const [environments, shared] = await Promise.all([
    Promise.all(layout.found.map(async (env) => ({ name: env.name, ...(await source(env.path)) }))),
    layout.shared.exists ? source(layout.shared.path) : { path: config.shared, file: displayPath(cwd, config.shared) },
  ]);
  const variablesFiles = (variables?.files ?? []).map((f) => ({ path: absolute(f.path), file: displayPath(cwd, absolute(f.path)), text: f.text }));
  return buildRepository({ config, variables: variablesFiles, shared, environments });
}

/**
 * `$schema` as editors resolve it, relative to tfsync.json: the schema of this very tfsync when it
 * sits inside the repository (installed in its node_modules, or this is tfsync's own repository),
 * else where `npm install --save-dev tfsync` puts it.
 */
function schemaReference(root: string): string {
  const schema = createRequire(import.meta.url).resolve('tfsync/schemas/tfsync.schema.json');
  const posix = pathInside(root, schema);
  return posix !== undefined && (posix.startsWith('node_modules/') || posix === 'schemas/tfsync.schema.json') ? `./${posix}` : INSTALLED_SCHEMA;
}

function where(layout: Layout, variables: VariablesChoice | undefined, show: (path: string) => string, colors: Colors): string[] {
  const names = listNames(layout.found.map((e) => e.name), 20);
  const others = layout.counts.filter((c) => c.count > 0 && c.glob !== layout.environments).map((c) => `${c.glob}: ${c.count}`);
  const label = (text: string) => colors.bold(text.padEnd(14));
  return [
    `${label('Environments')}${layout.environments} → ${names}${others.length > 0 ? colors.dim(` (also matched: ${others.join(', ')})`) : ''}`,
    `${label('Shared file')}${show(layout.shared.path)}${layout.shared.exists ? '' : colors.dim(' (not created yet; the first promotion to @shared creates it)')}`,
    variables
      ? `${label('Declarations')}${variables.variables} ${colors.dim(`(${variables.reason})`)}`
      : `${label('Declarations')}${colors.yellow(`none found (looked for variables.tf and .tf files with variable blocks); "${CONFIG_DEFAULTS.variables}" is written, and defaults, types and sensitive flags stay unknown until it exists`)}`,
  ];
}

const CLASS_COLOR: Record<InferredClass, keyof Colors> = { syncable: 'green', 'environment-specific': 'cyan', unclassified: 'yellow' };

/** One line per variable: its class, its name, why. */
function decisionLines(decisions: readonly Decision[], colors: Colors): string[] {
  const nameWidth = widest(decisions.map((d) => d.name.length));
  const classWidth = 'environment-specific'.length;
  return decisions.map((d) => {
    const color = colors[CLASS_COLOR[d.class]] as (text: string) => string;
    return `  ${color(d.class.padEnd(classWidth))}  ${d.name.padEnd(nameWidth)}  ${colors.dim(d.reason)}`;
  });
}

function totals(decisions: readonly Decision[], fromMakefile: boolean): string {
  const count = (c: InferredClass) => decisions.filter((d) => d.class === c).length;
  const unclassified = count('unclassified');
  const line = `${count('syncable')} syncable, ${count('environment-specific')} environment-specific, ${unclassified} unclassified.`;
  if (unclassified === 0) return line;
  const why = fromMakefile ? 'as under the Makefile, they are never synced' : 'tfsync reports them and never syncs them';
  return `${line} Unclassified variables are in neither list: ${why} until you add ${unclassified === 1 ? 'it' : 'them'} to one.`;
}
