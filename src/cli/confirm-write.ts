/**
 * The end of every writing command, written once: the planned writes go to the one writer
 * (src/io/apply-writes.ts), and this decides with it, by the safety rules of DESIGN.md ("Safety"):
 * `--dry-run` shows and writes nothing; `--yes` (or a command that is itself an explicit edit:
 * `set`, `init`) writes; on a terminal tfsync asks first (default No); with no terminal it refuses.
 * Then it says what happened, in the same words for every command.
 */
import { Writable } from 'node:stream';
import { TfsyncError } from '../errors.js';
import { applyWrites, type WriteDecision, type WriteOutcome } from '../io/apply-writes.js';
import { confirm, isInteractive } from '../io/prompt.js';
import { backupPath } from '../io/write-file.js';
import type { FileWrite } from '../sync/file-write.js';
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK, type CliContext } from './command.js';
import { warnOn } from './render/messages.js';

export interface WriteRequest {
  /** The command's name, for messages. */
  command: string;
  dryRun: boolean;
  /** With --dry-run: exit 2 when something would change. */
  detailedExitcode?: boolean;
  /** Write without asking: --yes, or a command that is an explicit edit. */
  yes: boolean;
  /** The confirmation question for these writes. */
  question?: (pending: FileWrite[]) => string;
  isSensitive: (name: string) => boolean;
  /** Refuse paths that lead outside this repository root. */
  inside?: { root: string; cwd: string };
  /** Prints the plan once the writes are checked, before anything is decided (even when nothing changes). */
  show?: (pending: FileWrite[]) => Promise<void> | void;
  /** Say on stderr which files were written (default); off for a command that reports them itself. */
  announce?: boolean;
  /**
   * Changes that are not files (promotion's secret copies): counted with the files, so that they
   * are confirmed (and a dry run says so) even when no file changes.
   */
  otherChanges?: number;
  /** Runs once the writes are confirmed, before any file is written; throwing writes no file. */
  beforeWrite?: () => Promise<void>;
}

export interface WriteResult {
  code: number;
  outcome: WriteOutcome;
}

/** Checks, shows, decides and writes; returns the exit code and what happened. */
export async function writeFiles(ctx: CliContext, writes: readonly FileWrite[], request: WriteRequest): Promise<WriteResult> {
  const { command } = request;
  const outcome = await applyWrites(writes, {
    isSensitive: request.isSensitive,
    inside: request.inside,
    fs: ctx.fs,
    report: warnOn(ctx),
    decide: async (pending) => {
      await request.show?.(pending);
      if (pending.length === 0 && !request.otherChanges) return 'unchanged';
      if (request.dryRun) return 'dry-run';
      const question = request.question?.(pending) ?? `Write ${pending.map((w) => w.file).join(' and ')}?`;
      const decision = await decideWrite(ctx, { yes: request.yes, command, question });
      if (decision === 'write') await request.beforeWrite?.();
      return decision;
    },
  });
  const say = (text: string) => ctx.output.stderr(`${command}: ${text}\n`);
  switch (outcome.status) {
    case 'unchanged':
      // Only the other changes were made (and reported by the command): no file to write.
      if (!request.otherChanges) say('nothing to change; nothing written');
      return { code: EXIT_OK, outcome };
    case 'dry-run':
      say('dry run; nothing written');
      return { code: request.detailedExitcode ? EXIT_CHANGES : EXIT_OK, outcome };
    case 'declined':
      say('cancelled; nothing written');
      return { code: EXIT_ERROR, outcome };
    case 'written':
      if (request.announce !== false) {
        for (const w of outcome.pending) ctx.output.stderr(`${announcement(w)}\n`);
      }
      return { code: EXIT_OK, outcome };
  }
}

function announcement(w: FileWrite): string {
  if (w.before === null) return `created ${w.file}`;
  return w.after === null ? `deleted ${w.file} (its contents are in ${backupPath(w.file)})` : `wrote ${w.file} (previous contents in ${backupPath(w.file)})`;
}

/**
 * Whether to write: `write` with --yes or a yes on the terminal, `declined` for any other answer.
 * Without a terminal (CI, pipes, make) and without --yes, throws the refusal (exit 1).
 */
async function decideWrite(ctx: CliContext, { yes, question, command }: { yes: boolean; question: string; command: string }): Promise<WriteDecision> {
  if (yes) return 'write';
  const stdin = ctx.stdin;
  if (!stdin || !isInteractive(stdin, { isTTY: ctx.stdoutIsTTY })) {
    throw new TfsyncError(`${command}: refusing to write without a terminal to confirm on; nothing was written`, {
      code: 'no-terminal',
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
