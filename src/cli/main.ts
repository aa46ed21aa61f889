#!/usr/bin/env node
/** The `tfsync` executable: the real process around runCli. */
import { hideBin } from 'yargs/helpers';
import { processOutput } from './output.js';
import { runCli } from './run.js';

const argv = hideBin(process.argv);
const noColorFlag = argv.includes('--no-color') || argv.includes('--color=false');
const output = processOutput({ noColorFlag, env: process.env });

process.exitCode = await runCli(argv, {
  output,
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTTY: process.stdout.isTTY === true,
});
