/** Every command, in the order `tfsync --help` lists them. One file per command. */
import type { CommandFactory } from '../command.js';

export const commands: CommandFactory[] = [];
