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
import { readTextFile } from '../../io/read-text.js';
import { writeBackup, writeFileAtomic } from '../../io/write-file.js';
import { loadConfigAndEnvironments } from '../../io/load-repository.js';
import { CONFIG_DEFAULTS, CONFIG_FILE, loadConfig, type Config } from '../../model/config.js';
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
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { makefileSnippet } from '../makefile-snippet.js';
import { decisionLines, ignoreLine, initJson, totalsLine, whereLines, type IgnoreOutcome } from '../render/init-report.js';

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
      .option('json', { type: 'boolean', describe: 'Write one JSON document: what was found, every decision with its reason, .gitignore, the config' }),
  run: async (args, ctx) => {
    if (args.makefile) {
      ctx.output.stdout(await makefileFor(ctx, args.config));
      return EXIT_OK;
    }
    const target = resolve(ctx.cwd, args.config ?? CONFIG_FILE);
    const root = dirname(target);
    const shown = displayPath(ctx.cwd, target);
    const existing = (await fileExists(target)) ? await readTextFile(target) : undefined;
    if (existing && !args.force && !args.dryRun) {
      throw new TfsyncError(`${shown} already exists; init does not overwrite it`, {
        hint: `pass --force to replace it (the old one is kept as ${shown}.bak), or --dry-run to see what init would write`,
      });
    }
    const makefilePath = args.fromMakefile === undefined ? undefined : resolve(ctx.cwd, args.fromMakefile);
    const makefile = makefilePath === undefined ? undefined : readMakefileLists((await readTextFile(makefilePath)).text, displayPath(ctx.cwd, makefilePath));

    const { layout, variables, repo } = await survey(ctx.cwd, root, target);
    const { decisions, sensitive } = inferClassification(repo, makefile);
    const text = renderConfig({
      schema: schemaReference(root),
      variables: variables?.variables ?? CONFIG_DEFAULTS.variables,
      shared: layout.shared.path,
      environments: layout.environments,
      decisions,
      sensitive,
    });
    // What init writes must load: a failure here is a bug in init, caught before the file exists.
    loadConfig(target, text);

    const show = (path: string) => displayPath(ctx.cwd, join(root, path));
    const report = [
      ...whereLines(layout, variables, show, ctx.output.colors),
      '',
      ...decisionLines(decisions, ctx.output.colors),
      '',
      totalsLine(decisions, makefile !== undefined),
    ];
    if (!args.dryRun) {
      if (existing) await writeBackup(target, existing.bytes, existing.mode);
      await writeFileAtomic(target, text);
    }
    // After tfsync.json: a .gitignore that cannot be written is reported, and costs nothing else.
    const ignore = await ignoreBackups(root, show('.gitignore'), args.dryRun);
    if (args.json) {
      ctx.output.stdout(
        initJson({
          config: shown,
          written: !args.dryRun,
          environments: { glob: layout.environments, names: layout.found.map((e) => e.name) },
          shared: { file: show(layout.shared.path), exists: layout.shared.exists },
          declarations: variables ? { variables: variables.variables, files: variables.files.map((f) => show(f.path)), declaring: variables.declaring.map(show) } : null,
          decisions,
          sensitive,
          gitignore: ignore,
          content: JSON.parse(text),
        }),
      );
      return EXIT_OK;
    }
    report.push(ignoreLine(ignore));
    if (args.dryRun) {
      if (existing) report.push(`${shown} exists and stays as it is (dry run).`);
      ctx.output.stderr(`${report.join('\n')}\n`);
      ctx.output.stdout(text);
      return EXIT_OK;
    }
    report.push(`Wrote ${shown}${existing ? ` (the previous one is in ${shown}.bak)` : ''}. Review it, then run \`tfsync check\`.`);
    report.push(
      makefile
        ? '`tfsync init --makefile` prints sync targets of the same names to replace the old ones with.'
        : '`tfsync init --makefile` prints Makefile targets for these environments and groups.',
    );
    ctx.output.stdout(`${report.join('\n')}\n`);
    return EXIT_OK;
  },
});

/** The layout, the declarations and the repository they make, read from `root`. */
async function survey(cwd: string, root: string, target: string) {
  // Relative and `/`-separated, as the layouts are written.
  const paths = await glob([...SEARCH_PATTERNS], { cwd: root, onlyFiles: true, expandDirectories: false, followSymbolicLinks: true });
  const layout = chooseLayout(paths);
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
async function ignoreBackups(root: string, shown: string, dryRun: boolean): Promise<IgnoreOutcome> {
  const path = join(root, '.gitignore');
  try {
    const existing = (await fileExists(path)) ? (await readTextFile(path)).text : undefined;
    const update = addIgnorePatterns(existing);
    if (update.text !== undefined && !dryRun) await writeFileAtomic(path, update.text);
    return { file: shown, added: update.added, written: !dryRun && update.text !== undefined };
  } catch (err) {
    if (!(err instanceof TfsyncError)) throw err;
    return { file: shown, error: err.message.replace(`${path}: `, '').replace(`${path}`, shown) };
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
