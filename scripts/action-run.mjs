/**
 * The "Run tfsync" step of action.yml: runs the CLI built in the action's folder with the command
 * and arguments of the inputs (INPUT_COMMAND, INPUT_ARGS), then writes the step's outputs to
 * GITHUB_OUTPUT: `exit-code`, and `drift` and `changed` as the CLI reported them through
 * TFSYNC_ACTION_OUTPUT, and `output-file`, a file holding what the command printed on stdout (the
 * markdown of `check --format markdown`, for a comment). Exit 2 (drift, changes) does not fail the step: the outputs say it, and a
 * workflow decides (it may post a comment first). Exit 1 (an error) does.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

/** Words of a line: whitespace separates, '...' and "..." group (\ escapes inside "..." and outside). */
export function splitArgs(line) {
  const words = [];
  let word = null;
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1])) word += line[++i];
      else word += c;
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + c;
  }
  if (quote) throw new Error(`args: unclosed ${quote} in: ${line}`);
  if (word !== null) words.push(word);
  return words;
}

function run() {
  const command = (process.env.INPUT_COMMAND ?? '').trim() || 'check';
  let args;
  try {
    args = splitArgs(process.env.INPUT_ARGS ?? '');
  } catch (err) {
    process.stderr.write(`tfsync action: ${err.message}\n`);
    return 1;
  }
  const scratch = mkdtempSync(join(tmpdir(), 'tfsync-action-'));
  try {
    const reported = join(scratch, 'outputs');
    writeFileSync(reported, '');
    const result = spawnSync(process.execPath, [main, command, ...args], {
      stdio: ['inherit', 'pipe', 'inherit'],
      maxBuffer: 256 * 1024 * 1024,
      env: { ...process.env, TFSYNC_ACTION_OUTPUT: reported },
    });
    process.stdout.write(result.stdout ?? '');
    const outputFile = join(process.env.RUNNER_TEMP || tmpdir(), `tfsync-output-${process.pid}.txt`);
    writeFileSync(outputFile, result.stdout ?? '');
    const code = result.status ?? 1;
    const outputs = { drift: 'false', changed: 'false' };
    for (const line of readFileSync(reported, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
    }
    const lines = [`exit-code=${code}`, `drift=${outputs.drift}`, `changed=${outputs.changed}`, `output-file=${outputFile}`];
    if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `${lines.join('\n')}\n`);
    return code === 2 ? 0 : code;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = run();
