/**
 * The CLI as a function: arguments and a context in, exit code out. main.ts calls it with the real
 * process; tests call it with captured output. This is the only place errors become exit codes.
 */
import yargs from 'yargs';
import { TfsyncError } from '../errors.js';
import { EXIT_ERROR, type CliContext, type ExitHolder } from './command.js';
import { loadCommands } from './commands/index.js';
import { renderError } from './render-error.js';

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  const exit: ExitHolder = { code: 0 };
  const commands = await loadCommands(argv);
  const parser = yargs(argv)
    .scriptName('tfsync')
    .usage('$0 <command> [options]\n\nKeep Terraform environments in step: promote only the syncable tfvars.')
    .option('config', { type: 'string', describe: 'Path to tfsync.json (default: found by walking up from here)', global: true })
    .option('color', { type: 'boolean', describe: 'Colour output (--no-color turns it off)', global: true })
    .option('show-sensitive', { type: 'boolean', default: false, describe: 'Print sensitive values instead of (sensitive)', global: true })
    .command(commands.map((factory) => factory(ctx, exit)))
    .demandCommand(1, 'Name a command; see tfsync --help.')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new TfsyncError(message);
    })
    .exitProcess(false);
  try {
    await parser.parseAsync();
    return exit.code;
  } catch (err) {
    const text = renderError(err, {
      colors: ctx.output.colors,
      cwd: ctx.cwd,
      debug: ctx.env.TFSYNC_DEBUG === '1',
    });
    ctx.output.stderr(text);
    return EXIT_ERROR;
  }
}
