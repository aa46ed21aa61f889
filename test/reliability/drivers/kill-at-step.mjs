/**
 * Runs the built CLI (dist/) in this process, through a FileSystem that kills the process with
 * SIGKILL at the Nth file-system call of a commit (counted from the first lock it takes): the
 * closest thing to pulling the plug at a chosen moment.
 *
 *   TFSYNC_KILL_AT=N      the call to die at (before it runs); unset: never
 *   TFSYNC_KILL_TORN=1    at a write, write half the bytes first; at a lock, create it empty
 *   TFSYNC_STEPS_FILE=f   after a run that was not killed, write its calls there, one a line
 *
 *   node kill-at-step.mjs promote test prod --yes
 */
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { processOutput } from '../../../dist/cli/output.js';
import { runCli } from '../../../dist/cli/run.js';
import { nodeFileSystem } from '../../../dist/io/file-system.js';

const killAt = process.env.TFSYNC_KILL_AT === undefined ? Infinity : Number(process.env.TFSYNC_KILL_AT);
const torn = process.env.TFSYNC_KILL_TORN === '1';
const steps = [];
let started = false;

const die = () => process.kill(process.pid, 'SIGKILL');

/** Counts the call; true when the process is to die at it. */
function step(op, path) {
  if (!started && op === 'writeFile' && path.endsWith('.tfsync.lock')) started = true;
  if (!started) return false;
  steps.push(`${op} ${path}`);
  return steps.length === killAt;
}

const fs = {
  ...nodeFileSystem,
  readFile: async (path) => (step('readFile', path) && die(), nodeFileSystem.readFile(path)),
  writeFile: async (path, data, options) => {
    if (step('writeFile', path)) {
      // Killed between creating the lock and writing the PID into it.
      if (torn) await (await open(path, options.flag ?? 'w', options.mode)).close();
      die();
    }
    return nodeFileSystem.writeFile(path, data, options);
  },
  open: async (path, flags, mode) => {
    if (step('open', path)) die();
    const handle = await nodeFileSystem.open(path, flags, mode);
    return {
      writeFile: async (data) => {
        if (step('write', path)) {
          if (torn) await handle.writeFile(data.subarray(0, Math.floor(data.length / 2)));
          die();
        }
        return handle.writeFile(data);
      },
      sync: async () => (step('sync', path) && die(), handle.sync()),
      close: async () => (step('close', path) && die(), handle.close()),
    };
  },
  rename: async (from, to) => (step('rename', from) && die(), nodeFileSystem.rename(from, to)),
  chmod: async (path, mode) => (step('chmod', path) && die(), nodeFileSystem.chmod(path, mode)),
  stat: async (path) => (step('stat', path) && die(), nodeFileSystem.stat(path)),
  lstat: async (path) => (step('lstat', path) && die(), nodeFileSystem.lstat(path)),
  realpath: async (path) => (step('realpath', path) && die(), nodeFileSystem.realpath(path)),
  unlink: async (path) => (step('unlink', path) && die(), nodeFileSystem.unlink(path)),
  mkdir: async (path, options) => (step('mkdir', path) && die(), nodeFileSystem.mkdir(path, options)),
  readdir: async (path) => (step('readdir', path) && die(), nodeFileSystem.readdir(path)),
};

const output = processOutput({ noColorFlag: true, env: process.env });
process.exitCode = await runCli(process.argv.slice(2), {
  output,
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTTY: false,
  fs,
});
if (process.env.TFSYNC_STEPS_FILE) writeFileSync(process.env.TFSYNC_STEPS_FILE, steps.map((s) => `${s}\n`).join(''));
