/**
 * `tfsync exec ENV [--stack S] -- COMMAND ARGS...`: runs COMMAND (`terraform plan ...`) with
 * `TF_VAR_<name>` set for every secret reference of ENV, resolved in parallel under the timeout,
 * and exits with its exit code. Nothing of a value is printed; a secret that cannot be read stops
 * the run before the command starts, with the reference and the store's code.
 */
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { runChild } from '../../io/run-child.js';
import { effectiveValues } from '../../model/layers.js';
import { assertNoConflicts, resolveLayer } from '../../model/repository.js';
import { checkSecretPlacement, secretVariables, tfVarValues } from '../../sync/secret-variables.js';
import { defineCommand } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export const execCommand = defineCommand({
  command: 'exec <environment> [words..]',
  describe: "Run a command (terraform plan ...) with the environment's secrets as TF_VAR_ variables: tfsync exec prod -- terraform plan",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name' })
      .positional('words', { type: 'string', array: true, describe: 'Nothing: the command goes after --' })
      // The command after `--` is the user's, word for word: yargs hands it over in `--`, numbers
      // as written (`-- terraform apply -parallelism=010` must not become 10). The direct parser
      // (direct-args.ts) leaves every run with `--` to yargs.
      .parserConfiguration({ 'populate--': true, 'parse-positional-numbers': false }),
  run: async (args, ctx) => {
    const [command, ...commandArgs] = ((args as Record<string, unknown>)['--'] as Array<string | number> | undefined ?? []).map(String);
    if ((args.words ?? []).length > 0) {
      // Without `--`, tfsync would read the command's options (`-var`, `-out`) as its own.
      throw new TfsyncError(`exec: put -- before the command: tfsync exec ${args.environment} -- ${(args.words ?? []).join(' ')}`, { code: 'usage' });
    }
    if (command === undefined) {
      throw new TfsyncError('exec: name the command to run after --', { code: 'usage', hint: `e.g. tfsync exec ${args.environment} -- terraform plan` });
    }
    if (args.environment.startsWith('@')) {
      throw new TfsyncError(`exec runs a command for one environment; ${args.environment} is a layer environments share`, { code: 'unknown-environment' });
    }
    const { repos, warnings } = await loadRepositories({ cwd: ctx.cwd, config: args.config, stacks: args.stack, environments: [args.environment], fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    const shown = repos.map((repo) => ({ repo, layer: resolveLayer(repo, args.environment) }));
    if (shown.length > 1) {
      throw new TfsyncError(`${shown.length} stacks have environment "${args.environment}" (${shown.map((s) => s.repo.stack).join(', ')}): name one with --stack`, {
        code: 'usage',
        hint: `e.g. tfsync exec ${args.environment} --stack ${shown[0]!.repo.stack} -- ${command}`,
      });
    }
    const { repo, layer } = shown[0]!;
    assertNoConflicts(repo);
    const variables = secretVariables(repo.config.secrets, layer.name, repo.stack);
    const effective = effectiveValues(repo, layer.name);
    checkSecretPlacement(variables, effective);
    ctx.output.stderr(renderWarnings(precedenceWarnings(variables.map((v) => v.name), effective), ctx.output.colors));

    let tfVars: Record<string, string> = {};
    if (variables.length > 0) {
      // Loaded only here: a run without secrets loads no backend.
      const { readVariableSecrets } = await import('../../io/secrets/stores.js');
      const values = await readVariableSecrets(variables, ctx.env, repo.config.root);
      tfVars = tfVarValues(variables, values, effective);
      values.clear();
    }
    return runChild(command, commandArgs, { cwd: ctx.cwd, env: { ...ctx.env, ...tfVars } });
  },
});

/**
 * Terraform takes a -var-file's value over a TF_VAR_ one: a variable with a secret that a file of
 * the environment also sets gets the file's value if that file is passed. Said once per variable.
 */
function precedenceWarnings(names: readonly string[], effective: ReturnType<typeof effectiveValues>): string[] {
  return names.flatMap((name) => {
    const v = effective.find((e) => e.name === name);
    if (!v?.origin || v.origin.layer === 'default') return [];
    return [`TF_VAR_${name} has the lowest precedence in Terraform: a -var-file with ${v.origin.file} (line ${v.origin.line} sets ${name}) wins over it`];
  });
}
