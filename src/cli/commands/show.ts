/** `tfsync show ENV`: every variable's effective value in one environment, and where it comes from. */
import { loadRepository } from '../../io/load-repository.js';
import { effectiveValues } from '../../model/layers.js';
import { assertNoConflicts, resolveLayer } from '../../model/repository.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { renderShowJson, renderTfvarsJson } from '../render/json.js';
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
    const { repo, warnings } = await loadRepository({ cwd: ctx.cwd, config: args.config, stacks: args.stack, environments: [args.environment], fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    assertNoConflicts(repo);
    const layer = resolveLayer(repo, args.environment);
    const values = effectiveValues(repo, layer.name);
    if (format === 'json') {
      ctx.output.stdout(renderShowJson(layer.name, values, { showSensitive }));
    } else if (format === 'tfvars-json') {
      const { text, omitted } = renderTfvarsJson(values, { showSensitive });
      ctx.output.stdout(text);
      if (omitted.length > 0) {
        const names = omitted.join(', ');
        ctx.output.stderr(renderWarnings([`left out sensitive ${omitted.length === 1 ? 'variable' : 'variables'} ${names} (--show-sensitive includes them)`], ctx.output.colors));
      }
    } else {
      const view = { environment: layer.name, file: layer.file, exists: layer.exists, values };
      ctx.output.stdout(renderShowText(view, { colors: ctx.output.colors, showSensitive }));
    }
    return EXIT_OK;
  },
});
