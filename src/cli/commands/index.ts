/**
 * Every command, by name, in the order `tfsync --help` lists them. One file per command, each
 * imported only when it runs: loading all of them and their dependencies on every start-up cost
 * more than a whole `tfsync diff`.
 */
import type { CommandSpec } from '../command.js';

export const commandLoaders: Record<string, () => Promise<CommandSpec<any>>> = {
  diff: async () => (await import('./diff.js')).diffCommand,
  show: async () => (await import('./show.js')).showCommand,
  envs: async () => (await import('./envs.js')).envsCommand,
  'var-files': async () => (await import('./var-files.js')).varFilesCommand,
  exec: async () => (await import('./exec.js')).execCommand,
  get: async () => (await import('./get.js')).getCommand,
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
