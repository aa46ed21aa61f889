/**
 * `tfsync check` for people: per environment that is out of step, a heading and one line per
 * variable, `name  shared: X → env: Y  (file:line)`, or for a map one such line per leaf that
 * drifts (`tags.Owner`), then one summary line. Values are cut to the terminal's width unless
 * `full`.
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { formatKeyPath } from '../../hcl/key-path.js';
import { SHARED } from '../../model/environments.js';
import { listNames } from '../../model/suggest.js';
import type { CheckResult, CheckValue, Drift, EnvironmentCheck } from '../../sync/check.js';
import { environmentLabel, outOfStep } from '../../sync/check.js';
import { maskValue } from '../../sync/mask.js';
import type { Colors } from '../colors.js';
import { cut, displayWidth, missingLabel, plural, shownInline } from './labels.js';
import { append, widest } from './lists.js';
import { driftingSecrets, failedSecrets, secretDriftCount, secretLabel, secretProblem } from './check-secrets.js';

export interface CheckTextOptions {
  colors: Colors;
  showSensitive: boolean;
  /** Show values whole instead of cut to `width`. */
  full?: boolean;
  /** The terminal's width (default 100). */
  width?: number;
}

/** Values are cut to fit this width when the terminal's is not known. */
const DEFAULT_WIDTH = 100;

/** However narrow the terminal, a value keeps this much before it is cut. */
const MIN_ROOM = 16;

/** One line of drift: a variable that drifts as one value, or one leaf of it. */
interface DriftLine {
  label: string;
  sensitive: boolean;
  shared: JsonValue | undefined;
  value: JsonValue | undefined;
  sharedIsDefault: boolean;
  /** The environment's side is its declaration's default (compared with the other environments, no shared file). */
  valueIsDefault: boolean;
  at: string;
}

function driftLines(d: Drift): DriftLine[] {
  const sharedIsDefault = d.shared.origin?.layer === 'default';
  const valueIsDefault = d.value.origin?.layer === 'default';
  if (d.leaves.length === 0) return [{ label: d.name, sensitive: d.sensitive, shared: d.shared.value, value: d.value.value, sharedIsDefault, valueIsDefault, at: at(d.value) }];
  const file = d.value.origin!.file;
  return d.leaves.map((leaf) => ({ label: formatKeyPath(leaf.path), sensitive: leaf.sensitive, shared: leaf.shared, value: leaf.value, sharedIsDefault, valueIsDefault: false, at: `${file}:${leaf.line}` }));
}

export function renderCheckText(result: CheckResult, options: CheckTextOptions): string {
  const { colors } = options;
  const lines: string[] = [];
  const drifting = outOfStep(result);
  for (const env of drifting) append(lines, environmentLines(env, options, result.reference)).push('');
  const inStep = inStepNames(result, drifting);
  if (drifting.length > 0 && inStep.length > 0) lines.push(colors.dim(`In step: ${listNames(inStep)}.`), '');
  const failed = failedSecrets(result);
  if (failed.length > 0) {
    lines.push(colors.red(`Could not check ${plural(failed.length, 'secret')}:`));
    for (const { label, secret } of failed) lines.push(`  ${label}  ${secret.variable}  ${secret.reference!}  ${colors.dim(`(${secret.code ?? 'secret-backend-failed'})`)}`);
    lines.push('');
  }
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

function environmentLines(env: EnvironmentCheck, { colors, showSensitive, full, width: columns = DEFAULT_WIDTH }: CheckTextOptions, reference: CheckResult['reference']): string[] {
  const secrets = driftingSecrets(env);
  const counts = [env.drift.length > 0 ? `${env.drift.length} drift` : '', env.missing.length > 0 ? `${env.missing.length} missing` : '', secrets.length > 0 ? `${plural(secrets.length, 'secret')} missing` : ''];
  const stack = env.stack === undefined ? '' : `${colors.bold(`stack ${env.stack}`)}: `;
  const out = [`${stack}${colors.bold(env.environment)}  ${colors.dim(`${env.file} (${counts.filter(Boolean).join(', ')})`)}`];
  const lines = env.drift.flatMap(driftLines);
  const width = widest([...lines.map((l) => displayWidth(l.label)), ...env.missing.map((m) => m.name.length), ...secrets.map((s) => s.variable.length)]);
  for (const line of lines) {
    // What is left of the line for the two values, after the label, the words and the origin.
    const room = full ? Infinity : columns - width - env.environment.length - displayWidth(line.at) - 21;
    const [a, b] = [line.shared, line.value].map((v) => inlineText(line, v, showSensitive)) as [string | undefined, string | undefined];
    const [roomA, roomB] = share(room, a === undefined ? 0 : displayWidth(a), b === undefined ? 0 : displayWidth(b));
    const values = `${reference === 'shared' ? 'shared' : 'most'}: ${shown(a, line.sharedIsDefault, roomA, colors)} → ${env.environment}: ${shown(b, line.valueIsDefault, roomB, colors)}`;
    out.push(`  ${colors.yellow(line.label + ' '.repeat(Math.max(0, width - displayWidth(line.label))))}  ${values}  ${colors.dim(`(${line.at})`)}`);
  }
  for (const m of env.missing) {
    const what = `${missingLabel(true)}: neither ${env.environment} nor the shared file sets it`;
    out.push(`  ${colors.red(m.name.padEnd(width))}  ${what}  ${colors.dim(`(declared at ${m.declaration.file}:${m.declaration.line})`)}`);
  }
  for (const s of secrets) {
    const at = s.declaration ? `  ${colors.dim(`(declared at ${s.declaration.file}:${s.declaration.line})`)}` : '';
    out.push(`  ${colors.red(s.variable.padEnd(width))}  ${secretLabel(s)}: ${secretProblem(s, env)}${at}`);
  }
  return out;
}

/** A value on one line, masked when sensitive; undefined for no value. */
function inlineText(line: DriftLine, value: JsonValue | undefined, showSensitive: boolean): string | undefined {
  const masked = maskValue(value, line.sensitive, showSensitive);
  return masked === undefined ? undefined : shownInline(masked);
}

/** Room for two values: whole when both fit, else a short one whole and the rest to the other. */
function share(room: number, a: number, b: number): [number, number] {
  if (a + b <= room) return [a, b];
  const half = Math.max(Math.floor(room / 2), MIN_ROOM);
  if (a <= half) return [a, Math.max(room - a, MIN_ROOM)];
  if (b <= half) return [Math.max(room - b, MIN_ROOM), b];
  return [half, half];
}

/** A value cut to `room`, with `(default)` when the shared side is a default. */
function shown(text: string | undefined, isDefault: boolean, room: number, colors: Colors): string {
  if (text === undefined) return colors.dim(missingLabel(false));
  const out = cut(text, room);
  return isDefault ? `${out} ${colors.dim('(default)')}` : out;
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
  const secrets = secretDriftCount(result);
  const parts = [drift > 0 ? plural(drift, 'variable') : '', missing > 0 ? `${plural(missing, 'required variable')} missing` : '', secrets > 0 ? `${plural(secrets, 'secret')} missing` : ''];
  const one = drifting === 1;
  const verb = drift > 0 ? (one ? 'drifts' : 'drift') : one ? 'is out of step' : 'are out of step';
  return colors.yellow(`${drifting} of ${plural(total, 'environment')} ${verb}: ${parts.filter(Boolean).join(', ')}.`);
}
