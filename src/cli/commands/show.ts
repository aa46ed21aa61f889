/** `tfsync show ENV`: every variable's effective value in one environment, and where it comes from. */
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { effectiveValues } from '../../model/layers.js';
import { assertNoConflicts, resolveLayer } from '../../model/repository.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { renderStacksShowJson, renderTfvarsJson } from '../render/json.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';
import { renderShowText } from '../render/show-text.js';

const FORMATS = ['text', 'json', 'tfvars-json'] as const;

export const showCommand = defineCommand({
  command: 'show <environment>',
  describe: "Show every variable's effective value in an environment (or @shared) and where it comes from",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name, or @shared' })
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
      throw new TfsyncError(`${shown.length} stacks have environment "${args.environment}": name one with --stack for a .tfvars.json`);
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
