/** `tfsync show ENV`: every variable's effective value in one environment, and where it comes from. */
import { resolve } from 'node:path';
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { environmentRefs } from '../../io/secrets/environment-secrets.js';
import { writePrivateFile } from '../../io/write-private.js';
import type { Config } from '../../model/config.js';
import type { EffectiveValue } from '../../model/layers.js';
import { effectiveValues } from '../../model/layers.js';
import { assertNoConflicts, resolveLayer } from '../../model/repository.js';
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { renderStacksShowJson, renderTfvarsJson } from '../render/json.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';
import { renderShowText } from '../render/show-text.js';

/** The tfvars.json with every value: the environment's, and each reference's secret over it. */
async function resolvedTfvarsJson(config: Config, env: string, values: EffectiveValue[], processEnv: Record<string, string | undefined>): Promise<string> {
  const { resolveSecrets, backendContext } = await import('../../io/secrets/resolve.js');
  const refs = environmentRefs(config, env);
  const secrets = await resolveSecrets(refs, backendContext(processEnv, config.root));
  const doc = JSON.parse(renderTfvarsJson(values, { showSensitive: true }).text) as Record<string, unknown>;
  for (const [name, value] of secrets) doc[name] = value;
  secrets.clear();
  return `${JSON.stringify(doc, null, 2)}\n`;
}

async function writeOutput(ctx: CliContext, output: string | undefined, text: string): Promise<void> {
  if (output === undefined) ctx.output.stdout(text);
  else await writePrivateFile(resolve(ctx.cwd, output), text);
}

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
      })
      .option('resolve-secrets', {
        type: 'boolean',
        default: false,
        describe: 'With --format tfvars-json: include every sensitive value, secrets read from their references (to --output or a pipe, never a terminal)',
      })
      .option('output', { type: 'string', describe: 'Write to this file (created with mode 0600) instead of stdout' }),
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
    const { repo, layer, values } = shown[0]!;
    if (args.resolveSecrets) {
      if (format !== 'tfvars-json') throw new TfsyncError('--resolve-secrets needs --format tfvars-json');
      if (args.output === undefined && ctx.stdoutIsTTY) {
        throw new TfsyncError('refusing to print secrets to a terminal', { hint: 'use --output FILE (written with mode 0600) or a pipe' });
      }
      const text = await resolvedTfvarsJson(repo.config, layer.name, values, ctx.env);
      await writeOutput(ctx, args.output, text);
      return EXIT_OK;
    }
    if (args.output !== undefined) {
      const view = format === 'tfvars-json' ? renderTfvarsJson(values, { showSensitive }).text : renderStacksShowJson(layer.name, shown, { showSensitive });
      if (format === 'text') throw new TfsyncError('--output needs --format json or tfvars-json');
      await writeOutput(ctx, args.output, view);
      return EXIT_OK;
    }
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
