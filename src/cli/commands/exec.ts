/**
 * `tfsync exec ENV -- cmd...`: runs cmd with TF_VAR_<name> set to every secret ENV's references
 * resolve to. The values go only into the child's environment: nothing of them is printed, and
 * the exit code is the child's.
 */
import { loadConfigAndEnvironments, resolveNamedEnvironment } from '../../io/load-repository.js';
import { runChild } from '../../io/run-child.js';
import { environmentRefs } from '../../io/secrets/environment-secrets.js';
import { backendContext, resolveSecrets } from '../../io/secrets/resolve.js';
import { TfsyncError } from '../../errors.js';
import { defineCommand } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export const execCommand = defineCommand({
  command: 'exec <environment> [command..]',
  describe: "Run a command (after --) with TF_VAR_ set to the environment's secrets, resolved from their stores",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name' })
      .positional('command', { type: 'string', array: true, describe: 'The command and its arguments, after --' })
      .option('stack', { type: 'string', describe: 'The stack whose references to use ({stack} in a reference)' }),
  run: async (args, ctx) => {
    // yargs leaves what follows `--` in `_`, after the command's own name.
    const command = [...(args.command ?? []), ...(args._ ?? []).slice(1)].map(String);
    if (command.length === 0) throw new TfsyncError('name the command to run after --', { hint: 'tfsync exec prod -- terraform plan' });
    const loaded = await loadConfigAndEnvironments({ cwd: ctx.cwd, config: args.config, environments: [args.environment], fs: ctx.fs });
    ctx.output.stderr(renderWarnings(loaded.warnings, ctx.output.colors));
    const env = resolveNamedEnvironment(loaded, args.environment);
    if (env.name.startsWith('@')) throw new TfsyncError(`exec needs an environment, not ${env.name}`);
    const refs = environmentRefs(loaded.config, env.name, args.stack);
    const values = await resolveSecrets(refs, backendContext(ctx.env, loaded.config.root));
    const childEnv: Record<string, string | undefined> = { ...ctx.env };
    for (const [name, value] of values) childEnv[`TF_VAR_${name}`] = value;
    values.clear();
    return runChild(command, childEnv, ctx.cwd);
  },
});
