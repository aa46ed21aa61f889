import picocolors from 'picocolors';

/** Formatters that colour text, or return it unchanged when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

export interface ColorDecision {
  /** `--no-color` was given. */
  noColorFlag: boolean;
  /** `--color` was given (the last of `--color`/`--no-color` counts: see colorFlags). */
  colorFlag?: boolean;
  env: Record<string, string | undefined>;
  /** The stream the coloured text goes to. */
  stream: { isTTY?: boolean };
}

/**
 * Whether to colour output. `--color` and `--no-color` decide first. Turning colour off then wins (`NO_COLOR` per
 * no-color.org, `FORCE_COLOR=0`); `FORCE_COLOR` otherwise forces it on, even into a pipe (CI logs
 * that render ANSI); without either, colour only on a terminal that is not `TERM=dumb`.
 */
export function decideColor({ noColorFlag, colorFlag = false, env, stream }: ColorDecision): boolean {
  if (noColorFlag) return false;
  // Asked for on the command line: stronger than the environment, as `--no-color` is.
  if (colorFlag) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

/**
 * `--color` / `--no-color` (and `--color=true|false`) on the command line: the last one given
 * wins, as with any boolean option. Read from argv before the command line is parsed, because the
 * output (and so its colours) exists before any command runs.
 */
export function colorFlags(argv: readonly string[]): { colorFlag: boolean; noColorFlag: boolean } {
  let decided: boolean | undefined;
  for (const arg of argv) {
    if (arg === '--') break;
    if (arg === '--color' || arg === '--color=true') decided = true;
    else if (arg === '--no-color' || arg === '--color=false') decided = false;
  }
  return { colorFlag: decided === true, noColorFlag: decided === false };
}
