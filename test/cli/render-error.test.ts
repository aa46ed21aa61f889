import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { renderError, type RenderErrorOptions } from '../../src/cli/render-error.js';
import { TfsyncError } from '../../src/errors.js';

const plain: RenderErrorOptions = { colors: createColors(false), cwd: '/repo', debug: false };
const render = (err: unknown, options: Partial<RenderErrorOptions> = {}) => renderError(err, { ...plain, ...options });

/** An error at the first occurrence of `at` in `text` (or at `offset`), `length` long. */
function located(text: string, at: string, options: { length?: number; secrets?: string[]; hint?: string; file?: string } = {}) {
  const start = text.indexOf(at);
  if (start < 0) throw new Error(`${at} not in text`);
  const end = start + (options.length ?? at.length);
  return new TfsyncError('something is wrong', {
    location: { file: options.file ?? 'env/prod.tfvars', text, range: { start, end } },
    hint: options.hint,
    secrets: options.secrets,
  });
}

/** The source and caret lines without their gutters (` 2 | `). */
function excerpt(output: string): { source: string; caret: string } {
  const lines = output.split('\n');
  return { source: lines[1]!.replace(/^ \d+ \| /, ''), caret: lines[2]!.replace(/^ +\| /, '') };
}

describe('renderError with a location', () => {
  it('prints file:line:col, the line, carets under the range, and the hint', () => {
    const err = located('a = 1\nname = "bar\nc = 3\n', '"bar', { hint: 'close the string with "' });
    expect(render(err)).toBe(
      ['env/prod.tfvars:2:8: something is wrong', ' 2 | name = "bar', '   |        ^^^^', 'hint: close the string with "', ''].join('\n'),
    );
  });

  it('keeps tabs in the line and copies them into the caret line', () => {
    const { source, caret } = excerpt(render(located('\tname\t= "x"\n', '"x"')));
    expect(source).toBe('\tname\t= "x"');
    expect(caret).toBe('\t    \t  ^^^');
  });

  it('counts columns in characters and pads wide characters with two spaces', () => {
    const output = render(located('s = "😀é" 名前 = 1 @\n', '@'));
    expect(output.split('\n')[0]).toBe('env/prod.tfvars:1:17: something is wrong');
    const { source, caret } = excerpt(output);
    expect(source).toBe('s = "😀é" 名前 = 1 @');
    // s,space,=,space,",😀(2),é,",space,名(2),前(2),space,=,space,1,space
    expect(caret).toBe(`${' '.repeat(19)}^`);
  });

  it('puts one caret after the line for an error at its end, also with CRLF', () => {
    const text = 'a = [1,\r\nb = 2\r\n';
    const err = new TfsyncError('expected ]', { location: { file: 'x.tfvars', text, range: { start: 7, end: 7 } } });
    const output = render(err);
    expect(output.split('\n')[0]).toBe('x.tfvars:1:8: expected ]');
    expect(excerpt(output)).toEqual({ source: 'a = [1,', caret: '       ^' });
  });

  it('marks to the end of the line for a range over several lines', () => {
    expect(excerpt(render(located('x = <<EOT\nhello\n', '<<EOT', { length: 12 }))).caret).toBe('    ^^^^^');
  });

  it('shows control characters as symbols so they cannot reach the terminal', () => {
    const { source, caret } = excerpt(render(located('a = "\x1b[31m" @\n', '@')));
    expect(source).toBe('a = "␛[31m" @');
    expect(caret).toBe('            ^');
  });

  it('shows a window of a very long line, carets still aligned', () => {
    const text = `x = [${'1, '.repeat(400)}@]\n`;
    const { source, caret } = excerpt(render(located(text, '@')));
    expect(source.length).toBeLessThan(200);
    expect(source.startsWith('…')).toBe(true);
    expect(source.endsWith('1, @]')).toBe(true);
    expect(source[caret.indexOf('^')]).toBe('@');
  });

  it('survives a range outside the text', () => {
    const err = new TfsyncError('odd', { location: { file: 'x', text: 'a = 1', range: { start: 99, end: -4 } } });
    expect(render(err)).toBe(['x:1:6: odd', ' 1 | a = 1', '   |      ^', ''].join('\n'));
  });
});

describe('renderError masks secrets in the excerpt', () => {
  const text = 'db_password = "hunter2" # rotated\n';

  it('replaces the secret and marks it whole when the range covers it', () => {
    const output = render(located(text, '"hunter2"', { secrets: ['hunter2'] }));
    expect(output).not.toContain('hunter2');
    expect(excerpt(output)).toEqual({
      source: 'db_password = "(sensitive)" # rotated',
      caret: '              ^^^^^^^^^^^^^',
    });
  });

  it('shifts carets after a masked secret', () => {
    const { source, caret } = excerpt(render(located(text, '# rotated', { secrets: ['hunter2'] })));
    expect(source.indexOf('#')).toBe(caret.indexOf('^'));
    expect(caret.trim()).toBe('^^^^^^^^^');
  });

  it('starts the carets at the mask when the range starts inside the secret', () => {
    const { caret } = excerpt(render(located(text, 'nter2', { length: 1, secrets: ['hunter2'] })));
    expect(caret).toBe(`${' '.repeat(15)}${'^'.repeat(11)}`);
  });

  it('masks escaped forms, every occurrence, overlapping secrets and lines of multi-line secrets', () => {
    const output = render(
      located('a = "p\\"w\\\\d" b = "p\\"w\\\\d" c = "abcdefgh" d = "line two"\n', 'a', {
        secrets: ['p"w\\d', 'abcdef', 'efgh', 'line one\nline two'],
      }),
    );
    expect(excerpt(output).source).toBe('a = "(sensitive)" b = "(sensitive)" c = "(sensitive)" d = "(sensitive)"');
  });

  it('masks the headline’s secrets in the further errors too', () => {
    const more = [located(text, '#')];
    const err = new TfsyncError('bad', { location: located(text, 'db').location, more, secrets: ['hunter2'] });
    expect(render(err)).not.toContain('hunter2');
  });
});

describe('renderError paths, lists and plain errors', () => {
  it('prints paths inside cwd relative to it, others as they are', () => {
    expect(render(located('a\n', 'a', { file: '/repo/env/prod.tfvars' }))).toMatch(/^env\/prod\.tfvars:1:1:/);
    expect(render(located('a\n', 'a', { file: '/elsewhere/prod.tfvars' }))).toMatch(/^\/elsewhere\/prod\.tfvars:1:1:/);
    expect(render(located('a\n', 'a', { file: '/repository/x.tfvars' }))).toMatch(/^\/repository\/x\.tfvars:1:1:/);
    expect(render(new TfsyncError('cannot write /repo/env/prod.tfvars: EROFS', { hint: 'see "/repo/x.bak"' }))).toBe(
      'tfsync: cannot write env/prod.tfvars: EROFS\nhint: see "x.bak"\n',
    );
    expect(render(new TfsyncError('cannot write /x/repo/a'))).toBe('tfsync: cannot write /x/repo/a\n');
    expect(render(new TfsyncError('cannot write /repo/a'), { cwd: '/' })).toBe('tfsync: cannot write /repo/a\n');
  });

  it('lists further errors, at most 10, then how many more', () => {
    const text = Array.from({ length: 15 }, (_, i) => `v${i} = ?`).join('\n');
    const marks = [...text.matchAll(/\?/g)].map((m) => m.index);
    const at = (i: number) => new TfsyncError(`bad ${i}`, { location: { file: 'f', text, range: { start: marks[i]!, end: marks[i]! + 1 } } });
    const err = new TfsyncError('bad 0', { location: at(0).location, more: Array.from({ length: 12 }, (_, i) => at(i + 1)) });
    const output = render(err);
    const headers = output.split('\n').filter((l) => /^f:\d+:\d+:/.test(l));
    expect(headers).toHaveLength(11);
    expect(headers[10]).toBe('f:11:7: bad 10');
    expect(output.endsWith('and 2 more\n')).toBe(true);
  });

  it('prints an error without a location as tfsync: message', () => {
    expect(render(new TfsyncError('no tfsync.json found', { hint: 'run tfsync init' }))).toBe(
      'tfsync: no tfsync.json found\nhint: run tfsync init\n',
    );
  });

  it('prints other errors as internal, without a stack unless debugging', () => {
    const err = new TypeError('boom');
    const output = render(err);
    expect(output).toBe('tfsync: internal error: boom\nset TFSYNC_DEBUG=1 for a stack trace\n');
    expect(output).not.toMatch(/\bat /);
    const debug = render(err, { debug: true });
    expect(debug).toContain('TypeError: boom\n    at ');
    expect(debug).not.toContain('TFSYNC_DEBUG');
  });

  it('adds the stack of a TfsyncError only when debugging', () => {
    expect(render(new TfsyncError('x'))).toBe('tfsync: x\n');
    expect(render(new TfsyncError('x'), { debug: true })).toMatch(/^tfsync: x\nTfsyncError: x\n {4}at /);
  });

  it('never throws, whatever was thrown', () => {
    expect(render('a string')).toBe('tfsync: internal error: a string\nset TFSYNC_DEBUG=1 for a stack trace\n');
    const hostile = { toString: () => { throw new Error('no'); } };
    expect(render(hostile)).toMatch(/^tfsync: internal error: unknown error\n/);
    expect(render(Object.create(null))).toMatch(/^tfsync: internal error: unknown error\n/);
  });

  it('colours the output only when colours are on', () => {
    const err = located('a = "b\n', '"b', { hint: 'h' });
    expect(render(err)).not.toContain('\x1b[');
    const coloured = render(err, { colors: createColors(true) });
    expect(coloured).toContain('\x1b[31m^^\x1b[39m');
    expect(coloured.replace(/\x1b\[\d+m/g, '')).toBe(render(err));
  });
});
