/**
 * The CLI as a function: arguments and a context in, exit code out. main.ts calls it with the real
 * process; tests call it with captured output. This is the only place errors become exit codes.
 */
import { TfsyncError } from '../errors.js';
import { setFileSizeLimit } from '../io/read-text.js';
import { EXIT_ERROR, GLOBAL_OPTIONS, toCommandModule, type CliContext, type CommandSpec, type ExitHolder } from './command.js';
import { loadCommands } from './commands/index.js';
import { parseDirect } from './direct-args.js';

export async function runCli(argv: string[], ctx: CliContext): Promise<number> {
  try {
    setFileSizeLimit(ctx.env);
    const commands = await loadCommands(argv);
    // A plain invocation of one command runs without loading yargs (direct-args.ts says why).
    const direct = commands.length === 1 ? parseDirect(argv, commands[0]!) : undefined;
    if (direct) return await commands[0]!.run(direct as never, ctx);
    return await runYargs(argv, commands, ctx);
  } catch (err) {
    // Loaded only when needed: it is not small, and most runs succeed.
    const { renderError, renderErrorDocument } = await import('./render-error.js');
    // Scripts reading --json get the error as JSON too, in place of the document they asked for.
    if (wantsJson(argv)) ctx.output.stdout(renderErrorDocument(err, { cwd: ctx.cwd }));
    const text = renderError(err, {
      colors: ctx.output.colors,
      cwd: ctx.cwd,
      debug: ctx.env.TFSYNC_DEBUG === '1',
    });
    ctx.output.stderr(text);
    return EXIT_ERROR;
  }
}

/** `--json` among the options (before a `--`): every command that has it prints JSON. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--json' || a === '--json=true');
}

/** Help, the version, and every invocation the direct parser leaves to yargs' checks and messages. */
async function runYargs(argv: string[], commands: Array<CommandSpec<any>>, ctx: CliContext): Promise<number> {
  const exit: ExitHolder = { code: 0 };
  await (await yargsFor(argv, commands, ctx, exit)).parseAsync();
  return exit.code;
}

/** tfsync's yargs program (exported for the test that compares it with the direct parser). */
export async function yargsFor(argv: string[], commands: Array<CommandSpec<any>>, ctx: CliContext, exit: ExitHolder) {
  const { default: yargs } = await import('yargs');
  return yargs(argv)
    .scriptName('tfsync')
    .usage('$0 <command> [options]\n\nKeep Terraform environments in step: promote only the syncable tfvars.')
    .options(GLOBAL_OPTIONS)
    .command(commands.map((spec) => toCommandModule(spec, ctx, exit)))
    .demandCommand(1, 'Name a command; see tfsync --help.')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(await packageVersion())
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((message, error) => {
      throw error ?? new TfsyncError(message, { code: 'usage' });
    })
    .exitProcess(false);
}

/** tfsync's own version, by the package's name: yargs' lookup starts from yargs, a chunk in the bundled CLI. */
async function packageVersion(): Promise<string> {
  const { createRequire } = await import('node:module');
  return (createRequire(import.meta.url)('tfsync/package.json') as { version: string }).version;
}
