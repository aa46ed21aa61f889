/**
 * `tfsync show ENV [NAME.path...]`: every variable's effective value in one environment, and where
 * it comes from; or just the values at the key paths named, each with the line that sets it.
 */
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { parseKeyPath } from '../../hcl/key-path.js';
import { effectiveValues } from '../../model/layers.js';
import { leafValues } from '../../model/leaf-values.js';
import { assertNoConflicts, resolveLayer } from '../../model/repository.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { renderShowPathsJson, renderStacksShowJson, renderTfvarsJson } from '../render/json.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';
import { renderShowPathsText, renderShowText } from '../render/show-text.js';

const FORMATS = ['text', 'json', 'tfvars-json'] as const;

export const showCommand = defineCommand({
  command: 'show <environment> [paths..]',
  describe: "Show every variable's effective value in an environment (or @shared) and where it comes from",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name, or @shared' })
      .positional('paths', { type: 'string', array: true, describe: 'Variables or key paths to show (tags.Environment, databases.api.engine_version; default: all)' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: { environment, variables }' })
      .option('format', {
        choices: FORMATS,
        describe: 'text, json, or tfvars-json (the effective values as a .tfvars.json, sensitive ones left out)',
      }),
  run: async (args, ctx) => {
    const format = chooseFormat(args.json, args.format, 'text');
    const showSensitive = args.showSensitive === true;
    const { repos, warnings } = await loadRepositories({ cwd: ctx.cwd, config: args.config, stacks: args.stack, environments: [args.environment], fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    for (const repo of repos) assertNoConflicts(repo);
    const shown = repos.map((repo) => {
      const layer = resolveLayer(repo, args.environment);
      return { repo, layer, values: effectiveValues(repo, layer.name), ...(repo.stack !== undefined ? { stack: repo.stack } : {}) };
    });
    if (format === 'tfvars-json' && shown.length > 1) {
      throw new TfsyncError(`${shown.length} stacks have environment "${args.environment}": name one with --stack for a .tfvars.json`, { code: 'ambiguous-stack' });
    }
    const paths = (args.paths ?? []).map((text) => parseKeyPath(text));
    if (paths.length > 0) {
      if (format === 'tfvars-json') throw new TfsyncError('--format tfvars-json shows whole environments: leave out the key paths', { code: 'usage' });
      const leaves = shown.map(({ repo, layer, values, stack }) => ({ layer, leaves: leafValues(repo, layer, values, paths), ...(stack !== undefined ? { stack } : {}) }));
      if (format === 'json') ctx.output.stdout(renderShowPathsJson(leaves[0]!.layer.name, leaves, { showSensitive }));
      else ctx.output.stdout(leaves.map(({ layer, leaves }) => renderShowPathsText(layer.name, leaves, { colors: ctx.output.colors, showSensitive })).join('\n'));
      return EXIT_OK;
    }
    const { layer, values } = shown[0]!;
    if (format === 'json') {
      ctx.output.stdout(renderStacksShowJson(layer.name, shown, { showSensitive }));
    } else if (format === 'tfvars-json') {
      const { text, omitted } = renderTfvarsJson(values, { showSensitive });
      ctx.output.stdout(text);
      if (omitted.length > 0) {
        const names = omitted.join(', ');
        ctx.output.stderr(renderWarnings([`left out sensitive ${omitted.length === 1 ? 'variable' : 'variables'} ${names} (--show-sensitive includes them)`], ctx.output.colors));
      }
    } else {
      const texts = shown.map(({ layer, values, stack }) => {
        const view = { environment: layer.name, file: layer.file, exists: layer.exists, values, ...(stack !== undefined ? { stack } : {}) };
        return renderShowText(view, { colors: ctx.output.colors, showSensitive });
      });
      ctx.output.stdout(texts.join('\n'));
    }
    return EXIT_OK;
  },
});
