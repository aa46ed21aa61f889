/**
 * A promotion plan for people: per file, each variable that changes (`+ create`, `~ update`,
 * `- delete`) with its values as HCL, the unchanged ones counted (listed as `= noop` with
 * --verbose), the overrides kept because the source has no value, and a summary line. Sensitive
 * values print as (sensitive) unless --show-sensitive.
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { maskValue } from '../../sync/mask.js';
import { changeLabel, countOps, type ChangeOp, type KeptOverride, type Plan, type PlannedChange, type PlannedFile } from '../../sync/plan.js';
import type { Colors } from '../colors.js';
import { plural, shownLines } from './labels.js';
import { append } from './lists.js';

export interface PlanTextOptions {
  colors: Colors;
  showSensitive: boolean;
  /** List unchanged variables too. */
  verbose: boolean;
  /** The command's name for the heading (default `promote`). */
  command?: string;
}

/** One line fits `name: from → to` when it is no wider than this. */
const LINE_WIDTH = 100;

const MARKS: Record<ChangeOp, string> = { create: '+', update: '~', delete: '-', noop: '=' };

export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const { colors } = options;
  const command = options.command ?? 'promote';
  const lines: string[] = [`${colors.bold(command[0]!.toUpperCase() + command.slice(1))} ${plan.source} → ${plan.target}`];
  if (plan.variables.length === 0) lines.push('  no syncable variables selected');
  for (const file of plan.files) append(lines, ['', ...fileLines(plan, file, options)]);
  lines.push('', summary(plan, options.colors));
  return `${lines.join('\n')}\n`;
}

function fileLines(plan: Plan, file: PlannedFile, options: PlanTextOptions): string[] {
  const { colors } = options;
  const lines = [colors.bold(file.layer.file) + (file.layer.exists ? '' : colors.dim(' (new file)'))];
  const noops = file.changes.filter((c) => c.op === 'noop');
  for (const change of file.changes) {
    if (change.op === 'noop' && !options.verbose) continue;
    append(lines, changeLines(change, options));
  }
  if (noops.length > 0 && !options.verbose) lines.push(`  ${colors.dim(`= ${noops.length} unchanged`)}`);
  for (const kept of plan.overrides) {
    if (kept.pruned || kept.file !== file.layer.file) continue;
    append(lines, keptLines(plan, kept, options));
  }
  if (lines.length === 1) lines.push(`  ${colors.dim('nothing to do')}`);
  return lines;
}

function changeLines(change: PlannedChange, options: PlanTextOptions): string[] {
  const { colors } = options;
  const color = { create: colors.green, update: colors.yellow, delete: colors.red, noop: colors.dim }[change.op];
  const head = `  ${color(`${MARKS[change.op]} ${change.op}`)} ${changeLabel(change)}`;
  if (change.op === 'create') return labelled(head, '', value(change.to, change, options));
  if (change.op === 'delete') return labelled(head, '', value(change.from, change, options));
  if (change.op === 'noop') return labelled(head, '', value(change.to, change, options));
  const from = value(change.from, change, options);
  const to = value(change.to, change, options);
  if (from.length === 1 && to.length === 1) {
    const line = `${head}: ${from[0]!} → ${to[0]!}`;
    if (visible(line) <= LINE_WIDTH) return [line];
  }
  return [head, ...block('from: ', from), ...block('to:   ', to)];
}

/** `head: value` on one line, or the head and the value indented below it. */
function labelled(head: string, label: string, lines: string[]): string[] {
  if (lines.length === 1 && visible(`${head}: ${lines[0]!}`) <= LINE_WIDTH) return [`${head}: ${lines[0]!}`];
  return [`${head}:`, ...block(label, lines)];
}

function block(label: string, lines: string[]): string[] {
  const indent = '      ';
  return lines.map((line, i) => `${indent}${i === 0 ? label : ' '.repeat(label.length)}${line}`);
}

function value(v: JsonValue | undefined, change: PlannedChange, options: PlanTextOptions): string[] {
  const shown = maskValue(v, change.sensitive, options.showSensitive);
  if (shown === undefined) return ['(not set)'];
  return shownLines(shown, options.colors, 80);
}

function keptLines(plan: Plan, kept: KeptOverride, options: PlanTextOptions): string[] {
  const { colors } = options;
  const shown = maskValue(kept.value, kept.sensitive, options.showSensitive);
  const because = kept.sourceUsesDefault ? `${plan.source} uses the default` : `${plan.source} does not set it`;
  const values = shown === undefined ? ['(not set)'] : shownLines(shown, colors, 80);
  const head = `  ${colors.cyan('! kept')}: ${kept.environment} overrides ${changeLabel(kept)}`;
  // tfsync deletes whole attributes only: a key inside a value stays, --prune or not.
  const tail = kept.path ? `, ${plan.source} does not set it` : `, ${because} (--prune deletes it)`;
  if (values.length === 1 && visible(`${head} = ${values[0]!}${tail}`) <= LINE_WIDTH) return [`${head} = ${values[0]!}${tail}`];
  return [`${head}${tail}`, ...block('value: ', values)];
}

function summary(plan: Plan, colors: Colors): string {
  const counts = countOps(plan);
  const files = plan.files.filter((f) => f.changes.some((c) => c.op !== 'noop')).length;
  const kept = plan.overrides.filter((o) => !o.pruned).length;
  const parts = [
    `${counts.create} to create, ${counts.update} to update, ${counts.delete} to delete`,
    `${counts.noop} unchanged`,
    ...(kept > 0 ? [`${plural(kept, 'override')} kept`] : []),
  ];
  const total = counts.create + counts.update + counts.delete;
  const head = total === 0 ? colors.green('No changes.') : `${colors.bold('Plan:')} ${plural(files, 'file')} to change;`;
  return `${head} ${parts.join(', ')}.`;
}

function visible(text: string): number {
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}
