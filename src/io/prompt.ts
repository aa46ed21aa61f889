import { createInterface } from 'node:readline';

interface MaybeTerminal {
  isTTY?: boolean;
}

/**
 * Whether tfsync may ask before writing. Both ends must be a terminal: with stdin piped there is
 * nobody to answer, and with stdout piped nobody sees the question.
 */
export function isInteractive(stdin: MaybeTerminal, stdout: MaybeTerminal): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

export interface PromptStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * Asks a yes/no question; only `y` or `yes` (any case) is a yes. Enter, end of input (Ctrl-D) and
 * Ctrl-C all answer no: the safe answer when writing files.
 */
export function confirm(question: string, { input, output }: PromptStreams): Promise<boolean> {
  return new Promise((resolve) => {
    const terminal = (output as MaybeTerminal).isTTY === true && (input as MaybeTerminal).isTTY === true;
    const rl = createInterface({ input, output, terminal });
    let settled = false;
    const finish = (answer: boolean) => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(answer);
    };
    rl.on('close', () => finish(false));
    // On a terminal readline takes Ctrl-C itself; end the line so the shell prompt starts afresh.
    rl.on('SIGINT', () => {
      output.write('\n');
      finish(false);
    });
    rl.question(`${question} [y/N] `, (answer) => finish(/^\s*y(es)?\s*$/i.test(answer)));
  });
}
