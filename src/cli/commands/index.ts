/**
 * Every command, by name, in the order `tfsync --help` lists them. One file per command. The
 * read-only commands people run most (and put in Makefiles) are imported with the CLI, so that the
 * bundled CLI starts from two files (scripts/bundle-cli.mjs); the others, and what only they need,
 * are imported when they run: loading all of them on every start-up cost more than a whole
 * `tfsync diff`.
 */
import type { CommandSpec } from '../command.js';
import { diffCommand } from './diff.js';
import { envsCommand } from './envs.js';
import { getCommand } from './get.js';
import { showCommand } from './show.js';
import { varFilesCommand } from './var-files.js';

export const commandLoaders: Record<string, () => Promise<CommandSpec<any>>> = {
  diff: async () => diffCommand,
  show: async () => showCommand,
  envs: async () => envsCommand,
  'var-files': async () => varFilesCommand,
  exec: async () => (await import('./exec.js')).execCommand,
  get: async () => getCommand,
  set: async () => (await import('./set.js')).setCommand,
  promote: async () => (await import('./promote.js')).promoteCommand,
  backport: async () => (await import('./promote.js')).backportCommand,
  restore: async () => (await import('./restore.js')).restoreCommand,
  check: async () => (await import('./check.js')).checkCommand,
  init: async () => (await import('./init.js')).initCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
};

/** The commands argv needs: the one it names, or all of them (for help and suggestions). */
export async function loadCommands(argv: readonly string[]): Promise<Array<CommandSpec<any>>> {
  const named = argv.find((arg) => Object.hasOwn(commandLoaders, arg));
  const loaders = named ? [commandLoaders[named]!] : Object.values(commandLoaders);
  return Promise.all(loaders.map((load) => load()));
}
