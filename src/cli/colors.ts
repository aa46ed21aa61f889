import picocolors from 'picocolors';

/** Formatters that colour text, or return it unchanged when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

export interface ColorDecision {
  /** `--no-color` was given. */
  noColorFlag: boolean;
  env: Record<string, string | undefined>;
  /** The stream the coloured text goes to. */
  stream: { isTTY?: boolean };
}

/**
 * Whether to colour output. Turning colour off always wins (`--no-color`, `NO_COLOR` per
 * no-color.org, `FORCE_COLOR=0`); `FORCE_COLOR` otherwise forces it on, even into a pipe (CI logs
 * that render ANSI); without either, colour only on a terminal that is not `TERM=dumb`.
 */
export function decideColor({ noColorFlag, env, stream }: ColorDecision): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force === '0' || force === 'false') return false;
  if (force !== undefined) return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createColors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}
