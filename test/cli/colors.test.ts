import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { colorFlags, createColors, decideColor } from '../../src/cli/colors.js';
import { captureOutput } from '../../src/cli/output.js';
import { isBuilt, MAIN, ROOT } from '../helpers/cli.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('decideColor', () => {
  it.each([
    ['a terminal', false, {}, tty, true],
    ['a pipe', false, {}, pipe, false],
    ['a stream without isTTY', false, {}, {}, false],
    ['--no-color on a terminal', true, {}, tty, false],
    ['NO_COLOR=1 on a terminal', false, { NO_COLOR: '1' }, tty, false],
    ['NO_COLOR=0 (any non-empty value)', false, { NO_COLOR: '0' }, tty, false],
    ['NO_COLOR empty', false, { NO_COLOR: '' }, tty, true],
    ['FORCE_COLOR=0 on a terminal', false, { FORCE_COLOR: '0' }, tty, false],
    ['FORCE_COLOR=1 into a pipe', false, { FORCE_COLOR: '1' }, pipe, true],
    ['FORCE_COLOR=3 into a pipe', false, { FORCE_COLOR: '3' }, pipe, true],
    ['FORCE_COLOR empty into a pipe', false, { FORCE_COLOR: '' }, pipe, true],
    ['FORCE_COLOR=1 with NO_COLOR', false, { FORCE_COLOR: '1', NO_COLOR: 'x' }, tty, false],
    ['FORCE_COLOR=1 with --no-color', true, { FORCE_COLOR: '1' }, pipe, false],
    ['TERM=dumb on a terminal', false, { TERM: 'dumb' }, tty, false],
    ['TERM=dumb with FORCE_COLOR=1', false, { TERM: 'dumb', FORCE_COLOR: '1' }, pipe, true],
  ])('%s', (_name, noColorFlag, env, stream, expected) => {
    expect(decideColor({ noColorFlag, env, stream })).toBe(expected);
  });

  it.each([
    ['--color into a pipe', {}, pipe, true],
    ['--color with NO_COLOR=1', { NO_COLOR: '1' }, pipe, true],
    ['--color with FORCE_COLOR=0', { FORCE_COLOR: '0' }, pipe, true],
    ['--color with TERM=dumb', { TERM: 'dumb' }, pipe, true],
  ])('%s forces colour', (_name, env, stream, expected) => {
    expect(decideColor({ noColorFlag: false, colorFlag: true, env, stream })).toBe(expected);
  });
});

describe('colorFlags', () => {
  it.each([
    [[], false, false],
    [['diff', '--color'], true, false],
    [['--color=true'], true, false],
    [['--no-color'], false, true],
    [['--color=false'], false, true],
    [['--color', '--no-color'], false, true],
    [['--no-color', '--color'], true, false],
    [['set', 'f', '--', '--color'], false, false],
  ])('%j', (argv, colorFlag, noColorFlag) => {
    expect(colorFlags(argv)).toEqual({ colorFlag, noColorFlag });
  });

  it.skipIf(!isBuilt('cli/main.js'))('the built CLI colours a pipe with --color (skipped before `npm run build`)', () => {
    const runDiff = (...flags: string[]) =>
      spawnSync(process.execPath, [MAIN, 'diff', 'englacial', 'prod', ...flags], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined } });
    const coloured = runDiff('--color');
    expect(coloured.status).toBe(0);
    expect(coloured.stdout).toContain('\x1b[');
    expect(runDiff().stdout).not.toContain('\x1b[');
  });
});

describe('createColors', () => {
  it('colours only when enabled', () => {
    expect(createColors(true).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(createColors(false).red('x')).toBe('x');
  });
});

describe('captureOutput', () => {
  it('keeps stdout and stderr apart', () => {
    const output = captureOutput();
    output.stdout('a\n');
    output.stderr('b\n');
    output.stdout('c\n');
    expect(output.out).toBe('a\nc\n');
    expect(output.err).toBe('b\n');
    expect(output.colors.bold('x')).toBe('x');
  });
});
