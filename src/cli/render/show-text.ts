/**
 * `tfsync show ENV` for people: every variable's effective value, written like a tfvars file, in
 * sections, each with a comment saying where the value comes from (`# prod:12`, `# shared:7`,
 * `# default:30`), and a legend naming the files behind those labels.
 */
import type { LeafValue } from '../../model/leaf-values.js';
import type { EffectiveValue, Origin } from '../../model/layers.js';
import { SECTION_ORDER, sectionOf } from '../../sync/diff.js';
import { maskValue } from '../../sync/mask.js';
import type { Colors } from '../colors.js';
import { absentLabel, plural, SECTION_NOTES, SECTION_TITLES, shownLines, visibleWidth } from './labels.js';
import { append, widest } from './lists.js';

export interface ShowView {
  environment: string;
  /** The environment's file as users see it. */
  file: string;
  /** False for a shared file not created yet. */
  exists: boolean;
  values: EffectiveValue[];
  /** General form with `stacks`: the stack the environment belongs to, named in the heading. */
  stack?: string;
}

export interface ShowTextOptions {
  colors: Colors;
  showSensitive: boolean;
}

/** Origin comments line up after values up to this wide; longer values push theirs further right. */
const ALIGNED_VALUE_WIDTH = 30;

export function renderShowText(view: ShowView, { colors, showSensitive }: ShowTextOptions): string {
  // The general form names its layers; the classic one calls the environment's own file by its name.
  const label = (origin: Origin) => (origin.layer === 'default' ? 'default' : (origin.name ?? (origin.layer === 'environment' ? view.environment : origin.layer)));
  const nameWidth = widest(view.values.map((v) => v.name.length));
  const rows = view.values.map((v) => {
    const shown = maskValue(v.value, v.sensitive, showSensitive);
    const lines =
      shown === undefined ? [v.required ? colors.red(absentLabel(v)) : colors.dim(absentLabel(v))] : shownLines(shown, colors);
    const comment = v.origin ? colors.dim(`# ${label(v.origin)}:${v.origin.line}`) : '';
    return { v, lines, comment, plainWidth: visibleWidth(lines[0]!) };
  });
  const aligned = rows.filter((r) => r.lines.length === 1 && r.plainWidth <= ALIGNED_VALUE_WIDTH).map((r) => r.plainWidth);
  const valueWidth = widest(aligned);

  const missing = view.exists ? '' : colors.dim(' (not created yet)');
  const stack = view.stack !== undefined ? `${colors.bold(`stack ${view.stack}`)}: ` : '';
  const out = [`${stack}${colors.bold(view.environment)} ${colors.dim(`(${view.file})`)}${missing}`];
  for (const section of SECTION_ORDER) {
    const members = rows.filter((r) => sectionOf(r.v.class) === section);
    if (members.length === 0) continue;
    const note = SECTION_NOTES[section];
    out.push('', `${colors.bold(SECTION_TITLES[section])} (${members.length})${note ? `  ${colors.dim(note)}` : ''}`);
    for (const { v, lines, comment, plainWidth } of members) {
      const [first = '', ...rest] = lines;
      const pad = rest.length === 0 ? ' '.repeat(Math.max(0, valueWidth - plainWidth)) : '';
      out.push(`  ${v.name.padEnd(nameWidth)} = ${first}${comment ? `${pad}  ${comment}` : ''}`.trimEnd());
      append(out, rest.map((line) => `  ${line}`));
    }
  }
  if (view.values.length === 0) return `${[...out, '', 'No variable is declared or set.'].join('\n')}\n`;
  const required = view.values.filter((v) => v.required).length;
  if (required > 0) out.push('', colors.red(`${plural(required, 'required variable')} ${required === 1 ? 'has' : 'have'} no value: Terraform would ask for ${required === 1 ? 'it' : 'them'}.`));
  out.push('', ...legend(view, label).map((line) => colors.dim(line)));
  return `${out.join('\n')}\n`;
}

/**
 * `tfsync show ENV NAME.path...`: each leaf as `path = value  # label:line`, then the legend of
 * the files behind the labels.
 */
export function renderShowPathsText(environment: string, leaves: readonly LeafValue[], { colors, showSensitive }: ShowTextOptions): string {
  const label = (origin: Origin) => (origin.layer === 'default' ? 'default' : (origin.name ?? (origin.layer === 'environment' ? environment : origin.layer)));
  const width = widest(leaves.map((l) => l.path.length));
  const out: string[] = [];
  const files = new Map<string, Set<string>>();
  for (const leaf of leaves) {
    const shown = maskValue(leaf.value, leaf.sensitive, showSensitive);
    const [first = '', ...rest] = shownLines(shown!, colors);
    const comment = colors.dim(`# ${label(leaf.origin)}:${leaf.origin.line}`);
    out.push(`${leaf.path.padEnd(width)} = ${first}${rest.length === 0 ? `  ${comment}` : ''}`);
    append(out, rest);
    if (rest.length > 0) out[out.length - 1] += `  ${comment}`;
    files.set(label(leaf.origin), (files.get(label(leaf.origin)) ?? new Set()).add(leaf.origin.file));
  }
  out.push('', ...[...files].map(([key, set]) => colors.dim(`${key}: ${[...set].join(', ')}`)));
  return `${out.join('\n')}\n`;
}

/** `prod: environments/prod/terraform.tfvars`, one line per label the comments use. */
function legend(view: ShowView, label: (origin: Origin) => string): string[] {
  const files = new Map<string, Set<string>>();
  for (const v of view.values) {
    if (!v.origin) continue;
    const key = label(v.origin);
    files.set(key, (files.get(key) ?? new Set()).add(v.origin.file));
  }
  // The environment's own file first, then the layers beneath it, as they stack.
  const rank = (key: string) => (key === 'default' ? 2 : key === 'shared' ? 1 : 0);
  return [...files]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([key, set]) => `${key}: ${[...set].join(', ')}`);
}
