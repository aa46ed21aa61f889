/**
 * What every command is: a spec (its syntax, a yargs builder for its options, and a run function
 * that calls the core and returns an exit code), turned into a yargs CommandModule by run.ts. Commands never call process.exit and never catch errors: the entry point (run.ts) turns a
 * thrown TfsyncError into a message and exit code 1.
 */
import type { ArgumentsCamelCase, Argv, CommandModule, Options } from 'yargs';
import type { FileSystem } from '../io/file-system.js';
import type { Output } from './output.js';

/** Exit codes, as terraform plan -detailed-exitcode: 0 nothing to report, 1 error, 2 differences. */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_CHANGES = 2;

export interface CliContext {
  output: Output;
  cwd: string;
  env: Record<string, string | undefined>;
  /** For the confirmation prompt; absent or not a TTY means "no terminal". */
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  stdoutIsTTY: boolean;
  /**
   * The file system every command reads and writes through (default: the real one). Tests inject
   * faults here (EACCES, ENOSPC, a file changed between planning and writing) to prove that a
   * command fails cleanly and leaves every file as it was.
   */
  fs?: FileSystem;
}

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  color?: boolean;
  showSensitive?: boolean;
  stack?: string[];
}

/** Their declarations, for yargs and for the direct parser (direct-args.ts) alike. */
export const GLOBAL_OPTIONS = {
  config: { type: 'string', describe: 'Path to tfsync.json (default: found by walking up from here)', global: true },
  color: { type: 'boolean', describe: 'Force colour output, even into a pipe (--no-color turns it off)', global: true },
  'show-sensitive': { type: 'boolean', default: false, describe: 'Print sensitive values instead of (sensitive)', global: true },
  stack: { type: 'string', array: true, describe: 'Only this stack (repeatable; with "stacks" in tfsync.json)', global: true },
} as const satisfies Record<string, Options>;

export interface CommandSpec<A> {
  command: string | readonly string[];
  describe: string;
  builder: (yargs: Argv<GlobalOptions>) => Argv<A>;
  run: (args: ArgumentsCamelCase<A>, ctx: CliContext) => Promise<number>;
}

/** The exit code of the command that ran, set by the wrapped handler. */
export interface ExitHolder {
  code: number;
}

/** Types a command's spec: `run` gets the arguments its builder declares. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<A> {
  return spec;
}

/** The command as yargs takes it; its handler leaves the exit code in `exit`. */
export function toCommandModule(spec: CommandSpec<any>, ctx: CliContext, exit: ExitHolder): CommandModule<GlobalOptions, any> {
  return {
    command: spec.command as string | string[],
    describe: spec.describe,
    builder: spec.builder as unknown as CommandModule<GlobalOptions, any>['builder'],
    handler: async (args) => {
      exit.code = await spec.run(args, ctx);
    },
  };
}
