/**
 * `tfsync check` for people: per environment that is out of step, a heading and one line per
 * variable, `name  shared: X → env: Y  (file:line)`, then one summary line.
 */
import { SHARED } from '../../model/environments.js';
import { listNames } from '../../model/suggest.js';
import type { CheckResult, CheckValue, Drift, EnvironmentCheck } from '../../sync/check.js';
import { environmentLabel, outOfStep } from '../../sync/check.js';
import { maskValue } from '../../sync/mask.js';
import type { Colors } from '../colors.js';
import { missingLabel, plural, shownInline } from './labels.js';
import { append, widest } from './lists.js';

export interface CheckTextOptions {
  colors: Colors;
  showSensitive: boolean;
}

export function renderCheckText(result: CheckResult, options: CheckTextOptions): string {
  const { colors } = options;
  const lines: string[] = [];
  const drifting = outOfStep(result);
  for (const env of drifting) append(lines, environmentLines(env, options, result.reference)).push('');
  const inStep = inStepNames(result, drifting);
  if (drifting.length > 0 && inStep.length > 0) lines.push(colors.dim(`In step: ${listNames(inStep)}.`), '');
  lines.push(checkSummary(result, colors));
  if (result.reference === 'environments') lines.push(colors.dim(noSharedFileHint(result)));
  else if (drifting.length > 0) {
    const stack = drifting.some((e) => e.stack !== undefined) ? ' --stack STACK' : '';
    lines.push(colors.dim(`\`tfsync promote ${SHARED} ENV${stack}\` puts the shared values back; \`tfsync promote ENV ${SHARED}${stack}\` shares ENV's instead.`));
  }
  return `${lines.join('\n')}\n`;
}

/** The environments with nothing to report, named once at the end rather than each under a heading. */
export function inStepNames(result: CheckResult, drifting: readonly EnvironmentCheck[]): string[] {
  const out = new Set(drifting);
  return result.environments.filter((e) => !out.has(e)).map(environmentLabel);
}

/** How to create the shared layer, when there is none yet and the environments were compared with each other. */
export function noSharedFileHint(result: CheckResult): string {
  return `No shared file yet (${result.shared?.file ?? 'the shared file'}): the environments were compared with each other. Create it with \`tfsync promote ENV ${SHARED}\` (ENV's syncable values become the shared ones).`;
}

function environmentLines(env: EnvironmentCheck, { colors, showSensitive }: CheckTextOptions, reference: CheckResult['reference']): string[] {
  const counts = [env.drift.length > 0 ? `${env.drift.length} drift` : '', env.missing.length > 0 ? `${env.missing.length} missing` : ''];
  const stack = env.stack === undefined ? '' : `${colors.bold(`stack ${env.stack}`)}: `;
  const out = [`${stack}${colors.bold(env.environment)}  ${colors.dim(`${env.file} (${counts.filter(Boolean).join(', ')})`)}`];
  const width = widest([...env.drift.map((d) => d.name.length), ...env.missing.map((m) => m.name.length)]);
  for (const d of env.drift) {
    const values = `${reference === 'shared' ? 'shared' : 'most'}: ${shown(d, d.shared, showSensitive, colors)} → ${env.environment}: ${shown(d, d.value, showSensitive, colors)}`;
    out.push(`  ${colors.yellow(d.name.padEnd(width))}  ${values}  ${colors.dim(`(${at(d.value)})`)}`);
  }
  for (const m of env.missing) {
    const what = `${missingLabel(true)}: neither ${env.environment} nor the shared file sets it`;
    out.push(`  ${colors.red(m.name.padEnd(width))}  ${what}  ${colors.dim(`(declared at ${m.declaration.file}:${m.declaration.line})`)}`);
  }
  return out;
}

/** A value on one line, masked when sensitive, with `(default)` when the shared side is a default. */
function shown(d: Drift, side: CheckValue, showSensitive: boolean, colors: Colors): string {
  const value = maskValue(side.value, d.sensitive, showSensitive);
  if (value === undefined) return colors.dim(missingLabel(false));
  const text = shownInline(value);
  return side.origin?.layer === 'default' ? `${text} ${colors.dim('(default)')}` : text;
}

function at(side: CheckValue): string {
  return side.origin ? `${side.origin.file}:${side.origin.line}` : '';
}

/** `2 of 3 environments drift: 5 variables`, or that every environment is in step. */
export function checkSummary(result: CheckResult, colors: Colors): string {
  const total = result.environments.length;
  if (result.syncable === 0) return colors.yellow('No variable is syncable: there is nothing to check (see "syncable" in tfsync.json).');
  if (result.inStep && result.reference === 'environments') {
    return colors.green(total === 1 ? `${result.environments[0]!.environment} is in step: nothing to compare it with yet.` : `All ${total} environments are in step: they agree on every syncable variable.`);
  }
  if (result.inStep) {
    const which = total === 1 ? `${environmentLabel(result.environments[0]!)} is` : `All ${total} environments are`;
    return colors.green(`${which} in step with ${SHARED}.`);
  }
  const drifting = outOfStep(result).length;
  const drift = result.environments.reduce((n, e) => n + e.drift.length, 0);
  const missing = result.environments.reduce((n, e) => n + e.missing.length, 0);
  const parts = [drift > 0 ? plural(drift, 'variable') : '', missing > 0 ? `${plural(missing, 'required variable')} missing` : ''];
  const one = drifting === 1;
  const verb = drift > 0 ? (one ? 'drifts' : 'drift') : one ? 'is out of step' : 'are out of step';
  return colors.yellow(`${drifting} of ${plural(total, 'environment')} ${verb}: ${parts.filter(Boolean).join(', ')}.`);
}
