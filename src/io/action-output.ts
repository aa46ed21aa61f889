/**
 * Outputs for this repository's GitHub Action (action.yml): `changed` and `drift`, written as
 * `name=value` lines to the file TFSYNC_ACTION_OUTPUT names, which the action's step sets (and
 * then copies into GITHUB_OUTPUT with `exit-code`). Outside the action the variable is unset and
 * nothing is written.
 */
import { appendFile } from 'node:fs/promises';
import { TfsyncError } from '../errors.js';
import { fsErrorReason } from './file-system.js';

export async function setActionOutputs(env: Record<string, string | undefined>, outputs: Record<string, string | boolean>): Promise<void> {
  const path = env.TFSYNC_ACTION_OUTPUT;
  if (!path) return;
  const lines = Object.entries(outputs).map(([name, value]) => `${name}=${String(value)}\n`);
  try {
    await appendFile(path, lines.join(''));
  } catch (err) {
    throw new TfsyncError(`cannot write the action's outputs to ${path} (TFSYNC_ACTION_OUTPUT): ${fsErrorReason(err)}`, { code: 'write-failed' });
  }
}
