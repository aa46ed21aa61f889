/**
 * `tfsync show ENV [NAME.path...]`: every variable's effective value in one environment, and where
 * it comes from; or just the values at the key paths named, each with the line that sets it.
 */
import { resolve } from 'node:path';
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { parseKeyPath } from '../../hcl/key-path.js';
import { effectiveValues, type EffectiveValue } from '../../model/layers.js';
import { leafValues } from '../../model/leaf-values.js';
import { assertNoConflicts, resolveLayer, type Repository } from '../../model/repository.js';
import { checkSecretPlacement, secretValues, secretVariables } from '../../sync/secret-variables.js';
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
      })
      .option('resolve-secrets', { type: 'boolean', describe: 'With --format tfvars-json: every value, secrets read from their stores included; to a file (--output) or a pipe, never a terminal' })
      .option('output', { type: 'string', describe: 'With --resolve-secrets: write to this file (mode 0600) instead of stdout' }),
  run: async (args, ctx) => {
    const format = chooseFormat(args.json, args.format, 'text');
    const showSensitive = args.showSensitive === true;
    const resolveSecrets = args.resolveSecrets === true;
    checkSecretOptions({ environment: args.environment, format, resolveSecrets, output: args.output, toTerminal: ctx.stdoutIsTTY || ctx.output.isTTY });
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
    } else if (format === 'tfvars-json' && resolveSecrets) {
      const { repo } = shown[0]!;
      const { text } = renderTfvarsJson(await withSecrets(repo, layer.name, values, ctx.env), { showSensitive: true });
      if (args.output === undefined) ctx.output.stdout(text);
      else await (await import('../../io/secrets/stores.js')).writeSecretFile(resolve(ctx.cwd, args.output), args.output, text);
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

/**
 * `--resolve-secrets` writes secrets: only as a .tfvars.json, and only to a file or a pipe. A
 * terminal keeps what it shows (scrollback, screen sharing, a recorded session), so it never gets them.
 */
function checkSecretOptions({ environment, format, resolveSecrets, output, toTerminal }: { environment: string; format: string; resolveSecrets: boolean; output: string | undefined; toTerminal: boolean }): void {
  if (output !== undefined && !resolveSecrets) {
    throw new TfsyncError('--output goes with --resolve-secrets', { code: 'usage', hint: 'without secrets, redirect stdout: tfsync show ENV --format tfvars-json > FILE' });
  }
  if (!resolveSecrets) return;
  // References are per environment: a layer several environments share has none of its own.
  if (environment.startsWith('@')) throw new TfsyncError(`--resolve-secrets shows one environment's secrets; ${environment} is a layer environments share`, { code: 'usage' });
  if (format !== 'tfvars-json') {
    throw new TfsyncError(`--resolve-secrets writes a .tfvars.json: it needs --format tfvars-json${format === 'text' ? '' : `, not ${format}`}`, { code: 'usage' });
  }
  if (output === undefined && toTerminal) {
    throw new TfsyncError('--resolve-secrets does not write secrets to a terminal', {
      code: 'secret-to-terminal',
      hint: 'write them to a file with --output FILE (created with mode 0600), or pipe them to the program that reads them',
    });
  }
}

/** The environment's values with every secret of its references in, sensitive values of the files kept. */
async function withSecrets(repo: Repository, env: string, values: EffectiveValue[], processEnv: Record<string, string | undefined>): Promise<EffectiveValue[]> {
  const variables = secretVariables(repo.config.secrets, env, repo.stack);
  if (variables.length === 0) return values;
  checkSecretPlacement(variables, values);
  // Loaded only here: a show without secrets loads no backend.
  const { readVariableSecrets } = await import('../../io/secrets/stores.js');
  const secrets = secretValues(variables, await readVariableSecrets(variables, processEnv, repo.config.root), values);
  const out = values.map((v) => (secrets.has(v.name) ? { ...v, value: secrets.get(v.name)!, sensitive: true } : v));
  for (const [name, value] of secrets) {
    if (!out.some((v) => v.name === name)) out.push({ name, class: 'unclassified', sensitive: true, value, origin: null, required: false });
  }
  return out;
}
