/**
 * `tfsync diff` for people: sections of variables, and under each name every environment's value,
 * as the seed Makefile's sync-diff printed it (but right). With three or more environments, a
 * matrix: one row per variable, one column per environment.
 */
import { maskValue } from '../../sync/mask.js';
import { SHARED } from '../../model/environments.js';
import { syncableDifferences, type DiffSection, type DiffValue, type DiffVariable, type EnvironmentDiff } from '../../sync/diff.js';
import type { Colors } from '../colors.js';
import {
  andList,
  cut,
  displayWidth,
  visibleWidth,
  missingLabel,
  originNote,
  plural,
  SECTION_NOTES,
  SECTION_TITLES,
  sectionCounts,
  shownInline,
  shownLines,
} from './labels.js';
import { append, widest } from './lists.js';
import { formatKeyPath } from '../../hcl/key-path.js';

export interface DiffTextOptions {
  colors: Colors;
  showSensitive: boolean;
  /** Show identical variables too. */
  all: boolean;
  /** Show leaf values whole instead of cut to `width`. */
  full?: boolean;
  /** The terminal's width: leaf values are cut to fit it. */
  width?: number;
}

/** Leaf values are cut to this width when the terminal's is not known. */
const DEFAULT_WIDTH = 100;

/** Matrix cells longer than this are cut short; `--json` or a two-environment diff shows them whole. */
const MAX_CELL = 32;

/** Compact `name  A → B` lines of the sections that are never synced stay within this width. */
const COMPACT_WIDTH = 100;

export function renderDiffText(diff: EnvironmentDiff, options: DiffTextOptions): string {
  const { colors } = options;
  const envs = diff.environments.length === 2 ? diff.environments.join(' → ') : andList(diff.environments);
  const lines = [colors.bold(`Comparing ${envs}`)];
  for (const section of diff.sections) {
    if (section.variables.length === 0) continue;
    lines.push('', heading(section, colors));
    const shown = options.all ? section.variables : section.variables.filter((v) => v.status !== 'same');
    if (shown.length === 0) continue;
    append(lines, diff.environments.length === 2 ? pairSection(section, shown, diff.environments, options) : matrix(shown, diff.environments, options));
  }
  if (diff.secrets && diff.secrets.length > 0) append(lines, ['', ...secretLines(diff, colors)]);
  lines.push('', ...summary(diff, options));
  return `${lines.join('\n')}\n`;
}

/** `db_password  (sensitive)  same | differs | missing in prod | error (code)`: by fingerprint, never a value. */
function secretLines(diff: EnvironmentDiff, colors: Colors): string[] {
  const secrets = diff.secrets!;
  const width = widest(secrets.map((s) => s.variable.length));
  const status = (s: NonNullable<EnvironmentDiff['secrets']>[number]) => {
    if (s.status === 'missing') return colors.red(`missing in ${andList(s.missingIn ?? [])}`);
    if (s.status === 'error') return colors.red(`error (${s.code ?? 'secret-backend-failed'})`);
    return s.status === 'same' ? colors.green('same') : colors.yellow('differs');
  };
  return [
    `${colors.bold('Secrets')} (${plural(secrets.length, 'variable')})  ${colors.dim('compared by a keyed fingerprint made for this run; values are never shown')}`,
    ...secrets.map((s) => `  ${colors.bold(s.variable.padEnd(width))}  ${colors.dim('(sensitive)')}  ${status(s)}`),
  ];
}

function heading(section: DiffSection, colors: Colors): string {
  const note = SECTION_NOTES[section.name];
  const title = `${colors.bold(SECTION_TITLES[section.name])} (${sectionCounts(section)})`;
  return note ? `${title}  ${colors.dim(note)}` : title;
}

interface Row {
  v: DiffVariable;
  /** Each environment's value as lines, with its origin note. */
  values: Array<{ env: string; lines: string[]; note: string }>;
}

/**
 * A section of a two-environment diff, as the seed's sync-diff printed it: a syncable variable that
 * differs gets a block (its name, then each environment's value on its own line); the others, which
 * are only there to be looked at, one line `name  A → B` when that fits. Identical ones (`--all`)
 * take one line `name  value (same)`.
 */
function pairSection(section: DiffSection, variables: DiffVariable[], environments: string[], options: DiffTextOptions): string[] {
  const { colors } = options;
  const rows = variables.map((v) => rowOf(v, environments, options));
  const oneLine = (row: Row) => row.values.every((value) => value.lines.length === 1);
  const same = (row: Row) => row.v.status === 'same' && oneLine(row);
  const compact = (row: Row) => section.name !== 'syncable' && oneLine(row);
  const nameWidth = widest(rows.filter((r) => same(r) || compact(r)).map((r) => r.v.name.length));
  const arrowLine = (row: Row) =>
    `  ${colors.bold(row.v.name.padEnd(nameWidth))}  ${row.values.map((value) => value.lines[0]! + value.note).join(' → ')}`;
  return rows.flatMap((row) => {
    const [first] = row.values;
    if (same(row)) return [`  ${colors.bold(row.v.name.padEnd(nameWidth))}  ${first!.lines[0]!}${first!.note} ${colors.dim('(same)')}`];
    if (compact(row) && visibleWidth(arrowLine(row)) <= COMPACT_WIDTH) return [arrowLine(row)];
    if (row.v.paths.some((p) => p.path.parts.length > 0)) return leafBlocks(row.v, environments, options);
    return valueBlock(row, environments, colors);
  });
}

function rowOf(v: DiffVariable, environments: string[], options: DiffTextOptions): Row {
  return {
    v,
    values: environments.map((env) => {
      const entry = v.values[env]!;
      const note = originNote(entry.origin);
      return { env, lines: valueLinesOf(v, entry, options), note: note ? ` ${options.colors.dim(note)}` : '' };
    }),
  };
}

/** A variable's name, then each environment's value on its own line (or lines, for long ones). */
function valueBlock(row: Row, environments: string[], colors: Colors): string[] {
  const { v } = row;
  const name = v.class === 'syncable' && v.status !== 'same' ? colors.yellow(colors.bold(v.name)) : colors.bold(v.name);
  // Environment names are ASCII (see validateEnvironmentName), so length is width here.
  const labelWidth = widest(environments.map((env) => env.length)) + 1;
  const out = [`  ${name}`];
  for (const { env, lines, note } of row.values) {
    if (lines.length === 1) out.push(`    ${`${env}:`.padEnd(labelWidth)} ${lines[0]!}${note}`);
    else append(out, [`    ${env}:${note}`, ...lines.map((line) => `      ${line}`)]);
  }
  return out;
}

/**
 * A map, object or list that differs, leaf by leaf: each differing leaf's full path, then each
 * environment's value there, on one line cut to the terminal's width unless `full`.
 */
function leafBlocks(v: DiffVariable, environments: string[], options: DiffTextOptions): string[] {
  const { colors } = options;
  const labelWidth = widest(environments.map((env) => env.length)) + 1;
  const room = Math.max((options.width ?? DEFAULT_WIDTH) - labelWidth - 5, 20);
  return v.paths.flatMap((leaf) => {
    const label = formatKeyPath(leaf.path);
    const kind = leaf.class ?? v.class;
    const out = [`  ${kind === 'syncable' ? colors.yellow(colors.bold(label)) : colors.bold(label)}${leaf.class !== undefined && leaf.class !== v.class ? ` ${colors.dim(`(${leaf.class})`)}` : ''}`];
    environments.forEach((env, i) => {
      const shown = maskValue(leaf.values[i], v.sensitive, options.showSensitive);
      if (shown === undefined) return void out.push(`    ${`${env}:`.padEnd(labelWidth)} ${colors.dim('(not set)')}`);
      const lines = options.full ? shownLines(shown, colors) : [cut(shownInline(shown), room)];
      if (lines.length === 1) out.push(`    ${`${env}:`.padEnd(labelWidth)} ${lines[0]!}`);
      else append(out, [`    ${env}:`, ...lines.map((line) => `      ${line}`)]);
    });
    return out;
  });
}

function valueLinesOf(v: DiffVariable, entry: DiffValue, { colors, showSensitive }: DiffTextOptions): string[] {
  const shown = maskValue(entry.value, v.sensitive, showSensitive);
  if (shown === undefined) return [colors.dim(missingLabel(entry.required))];
  return shownLines(shown, colors);
}

interface Cell {
  text: string;
  note?: string;
  dim?: boolean;
  /** The value was cut short to fit. */
  cut?: boolean;
}

/**
 * Variables as rows, environments as columns, every value on one line. Values too long for a cell
 * are cut short there and shown whole in a block under the table.
 */
function matrix(variables: DiffVariable[], environments: string[], options: DiffTextOptions): string[] {
  const { colors } = options;
  const rows: Cell[][] = variables.map((v) => [
    { text: v.name },
    ...environments.map((env) => matrixCell(v, v.values[env]!, options)),
  ]);
  const header: Cell[] = [{ text: 'variable' }, ...environments.map((env) => ({ text: env }))];
  const widths = header.map((_, i) => widest([header, ...rows].map((row) => cellWidth(row[i]!))));
  const format = (row: Cell[], style: (cell: Cell, i: number) => string) =>
    `  ${row.map((cell, i) => style(cell, i) + ' '.repeat(i === row.length - 1 ? 0 : widths[i]! - cellWidth(cell) + 2)).join('')}`.trimEnd();
  const cut = variables.filter((_, r) => rows[r]!.some((cell) => cell.cut));
  return [
    format(header, (cell) => colors.dim(cell.text)),
    ...rows.map((row, r) =>
      format(row, (cell, i) => {
        if (i === 0) return variables[r]!.class === 'syncable' && variables[r]!.status !== 'same' ? colors.yellow(cell.text) : cell.text;
        const text = cell.dim ? colors.dim(cell.text) : cell.text;
        return cell.note ? `${text} ${colors.dim(cell.note)}` : text;
      }),
    ),
    ...cut.flatMap((v) => ['', ...valueBlock(rowOf(v, environments, options), environments, colors)]),
  ];
}

function matrixCell(v: DiffVariable, entry: DiffValue, { showSensitive }: DiffTextOptions): Cell {
  const shown = maskValue(entry.value, v.sensitive, showSensitive);
  if (shown === undefined) return { text: missingLabel(entry.required), dim: true };
  const text = shownInline(shown);
  const note = originNote(entry.origin);
  const cell: Cell = displayWidth(text) > MAX_CELL ? { text: `${[...text].slice(0, MAX_CELL - 1).join('')}…`, cut: true } : { text };
  return note ? { ...cell, note } : cell;
}

function cellWidth(cell: Cell): number {
  return displayWidth(cell.text) + (cell.note ? displayWidth(cell.note) + 1 : 0);
}

/** The bottom line: what differs that matters, and what to do about it. */
function summary(diff: EnvironmentDiff, { colors, all }: DiffTextOptions): string[] {
  const differ = syncableDifferences(diff);
  const envs = andList(diff.environments);
  const lines: string[] = [];
  const secrets = (diff.secrets ?? []).filter((s) => s.syncable && (s.status === 'differs' || s.status === 'missing')).length;
  if (secrets > 0) {
    const [source = '', target = ''] = diff.environments;
    const how = diff.environments.length === 2 && !target.startsWith('@') ? `; \`tfsync promote ${source} ${target}\` copies them where ${target}'s store can be written` : '';
    lines.push(`${colors.yellow(`${plural(secrets, 'syncable secret')} ${secrets === 1 ? 'differs' : 'differ'}`)}${how}.`);
  }
  if (differ === 0 && secrets > 0) {
    // The secrets' line says what differs.
  } else if (differ === 0) {
    lines.push(colors.green(`${envs} are in step: no syncable variable differs.`));
  } else if (diff.environments.length === 2) {
    const [source = '', target = ''] = diff.environments;
    const what = `${plural(differ, 'syncable variable')} ${differ === 1 ? 'differs' : 'differ'}`;
    const how = target === SHARED ? `\`tfsync promote ${source} ${SHARED}\` copies ${source}'s into the shared file` : `\`tfsync promote ${source} ${target}\` makes ${target} match ${source}`;
    lines.push(`${colors.yellow(what)}; ${how}.`);
  } else {
    lines.push(colors.yellow(`${plural(differ, 'syncable variable')} ${differ === 1 ? 'differs' : 'differ'} across ${envs}.`));
  }
  const identical = diff.sections.reduce((n, s) => n + s.identical, 0);
  if (!all && identical > 0) lines.push(colors.dim(`${plural(identical, 'identical variable')} not shown (--all shows them).`));
  return lines;
}
