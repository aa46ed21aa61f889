#!/usr/bin/env node
/** The `tfsync` executable: the real process around runCli. */
import { colorFlags } from './colors.js';
import { processOutput } from './output.js';
import { runCli } from './run.js';

const argv = process.argv.slice(2);
const output = processOutput({ ...colorFlags(argv), env: process.env });

const code = await runCli(argv, {
  output,
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTTY: process.stdout.isTTY === true,
});
process.exitCode = code;
// Once the official parser (Go compiled to WASM) has run, its runtime keeps timers alive for up to
// a second after the work is done; exit as soon as what was written has been flushed.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
