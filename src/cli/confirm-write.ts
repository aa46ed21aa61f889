/**
 * The safety rules every writing command but `set` follows (DESIGN.md, "Safety"): `--yes` writes;
 * on a terminal tfsync asks first (default No); with no terminal it refuses to write.
 */
import { Writable } from 'node:stream';
import { TfsyncError } from '../errors.js';
import { confirm, isInteractive } from '../io/prompt.js';
import type { CliContext } from './command.js';

export type WriteDecision = 'write' | 'declined';

/**
 * Whether to write: `write` with --yes or a yes on the terminal, `declined` for any other answer.
 * Without a terminal (CI, pipes, make) and without --yes, throws the refusal (exit 1).
 */
export async function decideWrite(ctx: CliContext, { yes, question, command }: { yes: boolean; question: string; command: string }): Promise<WriteDecision> {
  if (yes) return 'write';
  const stdin = ctx.stdin;
  if (!stdin || !isInteractive(stdin, { isTTY: ctx.stdoutIsTTY })) {
    throw new TfsyncError(`${command}: refusing to write without a terminal to confirm on; nothing was written`, {
      hint: 'run it again with --yes to write, or with --dry-run to see the plan without writing',
    });
  }
  // The question goes to stderr, like every message: stdout holds only the plan (or the JSON).
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      ctx.output.stderr(chunk.toString());
      callback();
    },
  });
  return (await confirm(question, { input: stdin, output })) ? 'write' : 'declined';
}
