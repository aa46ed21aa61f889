/** Every command, in the order `tfsync --help` lists them. One file per command. */
import type { CommandFactory } from '../command.js';
import { diffCommand } from './diff.js';
import { envsCommand } from './envs.js';
import { getCommand } from './get.js';
import { setCommand } from './set.js';
import { showCommand } from './show.js';

export const commands: CommandFactory[] = [diffCommand, showCommand, envsCommand, getCommand, setCommand];
