/**
 * `tfsync init`: adopt tfsync in an existing repository. Finds the environments, the declarations
 * (every .tf file of the module) and the shared file in the working directory (no walking up: init
 * creates the config where it is run), classifies every variable and says why, writes tfsync.json
 * and adds tfsync's backup patterns to .gitignore. `--makefile` instead prints the Makefile targets
 * that wrap tfsync, for this repository's environments and groups.
 */
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { glob } from 'tinyglobby';
import { TfsyncError } from '../../errors.js';
import { displayPath, fileExists } from '../../io/load-repository.js';
import { nodeFileSystem } from '../../io/file-system.js';
import { readTextFile } from '../../io/read-text.js';
import { loadConfigAndEnvironments } from '../../io/load-repository.js';
import { CONFIG_DEFAULTS, CONFIG_FILE, type Config } from '../../model/config.js';
import { addIgnorePatterns } from '../../model/gitignore.js';
import {
  chooseLayout,
  chooseVariables,
  inferClassification,
  renderConfig,
  SEARCH_PATTERNS,
  snippetGroups,
  type Layout,
  type VariablesChoice,
} from '../../model/infer-config.js';
import { pathInside } from '../../model/path-inside.js';
import { readMakefileLists } from '../../model/makefile-vars.js';
import { promotionOrder } from '../../model/promotion-order.js';
import { buildRepository } from '../../model/repository.js';
import type { FileWrite } from '../../sync/file-write.js';
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { writeFiles } from '../confirm-write.js';
import { initLayers } from '../init-layers.js';
import { makefileSnippet } from '../makefile-snippet.js';
import { decisionLines, ignoreLine, initJson, totalsLine, whereLines, type IgnoreOutcome, type InitDocument } from '../render/init-report.js';

/** Where `$schema` points when this tfsync is not inside the repository: a local npm install. */
const INSTALLED_SCHEMA = './node_modules/tfsync/schemas/tfsync.schema.json';

/**
 * Masks secrets in the excerpt of a syntax error found while reading the environments. Broader
 * than what init writes into "sensitive": hiding too much of an error line costs nothing.
 */
const MASK_WHILE_READING = ['*secret*', '*password*', '*passwd*', '*token*', '*credential*', '*_key', '*_keys', '*apikey*'];

export const initCommand = defineCommand({
  command: 'init',
  describe: 'Write a tfsync.json inferred from the environments and every .tf file (or from a Makefile\'s SYNCABLE_VARS / ENV_SPECIFIC_VARS), with a reason per variable, and git-ignore tfsync\'s .bak backups',
  builder: (yargs) =>
    yargs
      .option('force', { type: 'boolean', default: false, describe: 'Replace an existing tfsync.json (the old one is kept as tfsync.json.bak)' })
      .option('from-makefile', { type: 'string', describe: 'Take the classification from this Makefile\'s SYNCABLE_VARS and ENV_SPECIFIC_VARS' })
      .option('makefile', { type: 'boolean', default: false, describe: 'Only print the Makefile targets that wrap tfsync, for this repository\'s environments and groups' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the tfsync.json that would be written, and write nothing' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: what was found, every decision with its reason, .gitignore, the config' })
      .option('layer', {
        type: 'string',
        coerce: (v: unknown) => ([] as unknown[]).concat(v ?? []).map(String),
        describe: 'A layer\'s files with {env} (and {stack}), lowest precedence first (repeatable): writes the general form',
      })
      .option('stacks', { type: 'string', describe: 'With --layer: the glob of the stacks\' root-module folders ({stack} is a folder\'s name)' }),

  run: async (args, ctx) => {
    if (args.makefile) {
      ctx.output.stdout(await makefileFor(ctx, args.config));
      return EXIT_OK;
    }
    const target = resolve(ctx.cwd, args.config ?? CONFIG_FILE);
    const root = dirname(target);
    const shown = displayPath(ctx.cwd, target);
    const existing = (await fileExists(target, ctx.fs)) ? await readTextFile(target, ctx.fs) : undefined;
    if (existing && !args.force && !args.dryRun) {
      throw new TfsyncError(`${shown} already exists; init does not overwrite it`, { code: 'file-exists',
        hint: `pass --force to replace it (the old one is kept as ${shown}.bak), or --dry-run to see what init would write`,
      });
    }
    const makefilePath = args.fromMakefile === undefined ? undefined : resolve(ctx.cwd, args.fromMakefile);
    const makefile = makefilePath === undefined ? undefined : readMakefileLists((await readTextFile(makefilePath)).text, displayPath(ctx.cwd, makefilePath));

    // The general form: asked for with --layer, or a layout the classic form cannot express.
    const layers = (args.layer as string[] | undefined) ?? [];
    const paths = await glob([...SEARCH_PATTERNS], { cwd: root, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true });
    const show = (path: string) => displayPath(ctx.cwd, join(root, path));
    let text: string;
    let report: string[];
    let facts: Pick<InitDocument, 'environments' | 'shared' | 'declarations' | 'decisions' | 'sensitive'> & { found?: string[] };
    const classic = layers.length === 0 && args.stacks === undefined ? tryLayout(paths) : undefined;
    if (!classic) {
      const general = await initLayers({ cwd: ctx.cwd, root, target, schema: schemaReference(root), layers, ...(args.stacks !== undefined ? { stacks: args.stacks } : {}), ...(makefile ? { makefile } : {}) });
      // No layout fits: the classic form's error, which lists where init looked.
      if (!general) chooseLayout(paths);
      text = general!.text;
      report = [...general!.found, '', ...decisionLines(general!.decisions, ctx.output.colors), '', totalsLine(general!.decisions, makefile !== undefined)];
      facts = { found: general!.found, decisions: general!.decisions, sensitive: [] };
    } else {
      const { layout, variables, repo } = await survey(ctx.cwd, root, target, classic, paths);
      const { decisions, sensitive } = inferClassification(repo, makefile);
      text = renderConfig({
        schema: schemaReference(root),
        variables: variables?.variables ?? CONFIG_DEFAULTS.variables,
        shared: layout.shared.path,
        environments: layout.environments,
        decisions,
        sensitive,
      });
      report = [...whereLines(layout, variables, show, ctx.output.colors), '', ...decisionLines(decisions, ctx.output.colors), '', totalsLine(decisions, makefile !== undefined)];
      facts = {
        environments: { glob: layout.environments, names: layout.found.map((e) => e.name) },
        shared: { file: show(layout.shared.path), exists: layout.shared.exists },
        declarations: variables ? { variables: variables.variables, files: variables.files.map((f) => show(f.path)), declaring: variables.declaring.map(show) } : null,
        decisions,
        sensitive,
      };
    }
    // The writer checks that the config loads: a failure there is a bug in init, caught before the file exists.
    const writes: FileWrite[] = [{ path: target, file: shown, before: existing?.text ?? null, after: text, check: { kind: 'config' }, createdMarker: false }];
    const ignore = await ignoreBackups(root, show('.gitignore'), ctx);
    if (ignore.write) writes.push(ignore.write);
    const { code, outcome } = await writeFiles(ctx, writes, {
      command: 'init',
      dryRun: args.dryRun,
      // Asked for by name, like `set`: written without a question.
      yes: true,
      isSensitive: () => false,
      announce: false,
      show: () => {
        if (!args.dryRun || args.json) return;
        report.push(ignoreLine(ignore.outcome));
        if (existing) report.push(`${shown} exists and stays as it is (dry run).`);
        ctx.output.stderr(`${report.join('\n')}\n`);
        ctx.output.stdout(text);
      },
    });
    const written = outcome.status === 'written';
    const gitignore: IgnoreOutcome = 'error' in ignore.outcome ? ignore.outcome : { ...ignore.outcome, written: written && ignore.write !== undefined };
    if (args.json) {
      ctx.output.stdout(initJson({ config: shown, written, ...facts, gitignore, content: JSON.parse(text) }));
      return code;
    }
    if (args.dryRun) return code;
    report.push(ignoreLine(gitignore));
    if (written) report.push(`Wrote ${shown}${existing ? ` (the previous one is in ${shown}.bak)` : ''}. Review it, then run \`tfsync check\`.`);
    report.push(
      makefile
        ? '`tfsync init --makefile` prints sync targets of the same names to replace the old ones with.'
        : '`tfsync init --makefile` prints Makefile targets for these environments and groups.',
    );
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

/** The layout, the declarations and the repository they make, read from `root`. */
async function survey(cwd: string, root: string, target: string, chosen?: Layout, found?: readonly string[]) {
  // Relative and `/`-separated, as the layouts are written.
  const paths = found ?? (await glob([...SEARCH_PATTERNS], { cwd: root, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true }));
  const layout = chosen ?? chooseLayout(paths);
  const folder = layout.environments.slice(0, layout.environments.indexOf('/'));
  const tfPaths = paths.filter((path) => path.endsWith('.tf')).sort();
  const tfFiles = await Promise.all(tfPaths.map(async (path) => ({ path, text: (await readTextFile(join(root, path))).text })));
  const variables = chooseVariables(tfFiles, folder);
  const repo = await readRepository(cwd, root, target, layout, variables);
  return { layout, variables, repo };
}

/**
 * Adds what .gitignore lacks of tfsync's backup patterns (creating it), or says why it cannot:
 * a .bak holds the previous contents of an environment file, secrets included.
 */
async function ignoreBackups(root: string, shown: string, ctx: CliContext): Promise<{ outcome: IgnoreOutcome; write?: FileWrite }> {
  const path = join(root, '.gitignore');
  try {
    // Read whatever is there (a directory is an error to report), absent only when nothing is.
    const present = await (ctx.fs ?? nodeFileSystem).stat(path).then(() => true, () => false);
    const existing = present ? (await readTextFile(path, ctx.fs)).text : undefined;
    const update = addIgnorePatterns(existing);
    const outcome: IgnoreOutcome = { file: shown, added: update.added, written: false };
    if (update.text === undefined) return { outcome };
    return { outcome, write: { path, file: shown, before: existing ?? null, after: update.text, check: { kind: 'text' }, createdMarker: false } };
  } catch (err) {
    if (!(err instanceof TfsyncError)) throw err;
    return { outcome: { file: shown, error: err.message.replace(`${path}: `, '').replace(`${path}`, shown) } };
  }
}

/**
 * The Makefile block for this repository: its tfsync.json's environments and groups when there is
 * one, else what init would write. SYNC_SOURCE and SYNC_TARGET are the first two environments in
 * promotion order (dev before staging before prod).
 */
async function makefileFor(ctx: CliContext, configOption: string | undefined): Promise<string> {
  const target = resolve(ctx.cwd, configOption ?? CONFIG_FILE);
  let names: string[];
  let groups: string[];
  if (await fileExists(target)) {
    const { config, environments } = await loadConfigAndEnvironments({ cwd: ctx.cwd, config: target, fs: ctx.fs });
    names = environments.map((e) => e.name);
    groups = Object.keys(config.groups);
  } else {
    const { layout, repo } = await survey(ctx.cwd, dirname(target), target);
    names = layout.found.map((e) => e.name);
    groups = Object.keys(snippetGroups(inferClassification(repo).decisions.filter((d) => d.class === 'syncable').map((d) => d.name)));
  }
  const order = promotionOrder(names);
  return makefileSnippet({ source: order[0] ?? 'dev', target: order[1] ?? order[0] ?? 'prod', groups });
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
    secrets: {},
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
