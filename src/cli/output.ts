import { createColors, decideColor, type Colors } from './colors.js';

/**
 * Where commands write. Commands return results and renderers print them through this, so tests
 * capture output instead of spawning processes. Text is written as given: add your own newlines.
 */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly colors: Colors;
  /** stdout is a terminal (tables may be aligned for a human, progress may be shown). */
  readonly isTTY: boolean;
  /** stdout's width in columns, when it is a terminal. */
  readonly columns?: number;
}

export interface ProcessOutputOptions {
  noColorFlag?: boolean;
  colorFlag?: boolean;
  env?: Record<string, string | undefined>;
}

/** The real process's stdout and stderr; colour decided for stdout. */
export function processOutput({ noColorFlag = false, colorFlag = false, env = process.env }: ProcessOutputOptions = {}): Output {
  const isTTY = process.stdout.isTTY === true;
  // `tfsync check | head`: once the reader has gone, the rest of stdout has nowhere to go. It is
  // dropped and the command finishes, so its exit code still says what it found.
  let readerGone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    readerGone = true;
  });
  return {
    stdout: (text) => void (readerGone || process.stdout.write(text)),
    stderr: (text) => void process.stderr.write(text),
    colors: createColors(decideColor({ noColorFlag, colorFlag, env, stream: process.stdout })),
    isTTY,
    columns: isTTY ? process.stdout.columns : undefined,
  };
}

export interface CapturedOutput extends Output {
  readonly out: string;
  readonly err: string;
}

/** An Output that keeps what was written, for tests. */
export function captureOutput({ color = false, isTTY = false } = {}): CapturedOutput {
  let out = '';
  let err = '';
  return {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    colors: createColors(color),
    isTTY,
    get out() {
      return out;
    },
    get err() {
      return err;
    },
  };
}
