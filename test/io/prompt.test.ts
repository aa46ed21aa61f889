import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confirm, isInteractive } from '../../src/io/prompt.js';

function ask(typed: string | null): Promise<{ answer: boolean; shown: string }> {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  const pending = confirm('Write 2 files?', { input, output });
  if (typed === null) input.end();
  else input.write(typed);
  return pending.then((answer) => ({ answer, shown }));
}

describe('confirm', () => {
  it.each(['y\n', 'Y\n', 'yes\n', ' YES \n'])('%j is a yes', async (typed) => {
    expect((await ask(typed)).answer).toBe(true);
  });

  it.each(['\n', 'n\n', 'no\n', 'yess\n', 'sure\n'])('%j is a no', async (typed) => {
    expect((await ask(typed)).answer).toBe(false);
  });

  it('treats end of input as no', async () => {
    expect((await ask(null)).answer).toBe(false);
  });

  it('treats Ctrl-C on a terminal as no, ending the line for the shell prompt', async () => {
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
    const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
    let shown = '';
    output.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const pending = confirm('Write?', { input, output });
    input.write('y\x03');
    expect(await pending).toBe(false);
    expect(shown).toMatch(/Write\? \[y\/N\] .*y\n$/s);
  });

  it('shows the question with the default marked', async () => {
    expect((await ask('n\n')).shown).toBe('Write 2 files? [y/N] ');
  });
});

describe('isInteractive', () => {
  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [undefined, true, false],
  ])('stdin TTY %s, stdout TTY %s: %s', (stdin, stdout, expected) => {
    expect(isInteractive({ isTTY: stdin }, { isTTY: stdout })).toBe(expected);
  });
});
