/**
 * What `tfsync init` tells the user: where it found the environments, the shared file and the
 * declarations (every .tf file it read), one line per variable with its class and why, the totals,
 * and what it did to .gitignore. Text for people; `initJson` for `--json`.
 */
import { CONFIG_DEFAULTS } from '../../model/config.js';
import type { Decision, InferredClass, Layout, VariablesChoice } from '../../model/infer-config.js';
import { listNames } from '../../model/suggest.js';
import type { Colors } from '../colors.js';
import { widest } from './lists.js';

/** What init did, or would do, to the repository's .gitignore. */
export type IgnoreOutcome =
  | { file: string; added: string[]; written: boolean }
  | { file: string; error: string };

export function whereLines(layout: Layout, variables: VariablesChoice | undefined, show: (path: string) => string, colors: Colors): string[] {
  const names = listNames(layout.found.map((e) => e.name), 20);
  const others = layout.counts.filter((c) => c.count > 0 && c.glob !== layout.environments).map((c) => `${c.glob}: ${c.count}`);
  const label = (text: string) => colors.bold(text.padEnd(14));
  const lines = [
    `${label('Environments')}${layout.environments} → ${names}${others.length > 0 ? colors.dim(` (also matched: ${others.join(', ')})`) : ''}`,
    `${label('Shared file')}${show(layout.shared.path)}${layout.shared.exists ? '' : colors.dim(' (not created yet; the first promotion to @shared creates it)')}`,
  ];
  if (!variables) {
    lines.push(`${label('Declarations')}${colors.yellow(`none found (no .tf file at the root or beside the environments has variable blocks); "${CONFIG_DEFAULTS.variables}" is written, and defaults, types and sensitive flags stay unknown until it exists`)}`);
    return lines;
  }
  lines.push(`${label('Declarations')}${variables.variables} ${colors.dim(`(${variables.reason})`)}`);
  lines.push(`${label('Read')}${variables.files.map((f) => show(f.path)).join(', ')}`);
  return lines;
}

const CLASS_COLOR: Record<InferredClass, keyof Colors> = { syncable: 'green', 'environment-specific': 'cyan', unclassified: 'yellow' };

/** One line per variable: its class, its name, why. */
export function decisionLines(decisions: readonly Decision[], colors: Colors): string[] {
  const nameWidth = widest(decisions.map((d) => d.name.length));
  const classWidth = 'environment-specific'.length;
  return decisions.map((d) => {
    const color = colors[CLASS_COLOR[d.class]] as (text: string) => string;
    return `  ${color(d.class.padEnd(classWidth))}  ${d.name.padEnd(nameWidth)}  ${colors.dim(d.reason)}`;
  });
}

export function totalsLine(decisions: readonly Decision[], fromMakefile: boolean): string {
  const count = (c: InferredClass) => decisions.filter((d) => d.class === c).length;
  const unclassified = count('unclassified');
  const line = `${count('syncable')} syncable, ${count('environment-specific')} environment-specific, ${unclassified} unclassified.`;
  if (unclassified === 0) return line;
  const why = fromMakefile ? 'as under the Makefile, they are never synced' : 'tfsync reports them and never syncs them';
  return `${line} Unclassified variables are in neither list: ${why} until you add ${unclassified === 1 ? 'it' : 'them'} to one.`;
}

export function ignoreLine(outcome: IgnoreOutcome): string {
  if ('error' in outcome) return `Could not add tfsync's backup patterns to ${outcome.file}: ${outcome.error}. Add them by hand: its .bak files can hold secrets.`;
  if (outcome.added.length === 0) return `${outcome.file} already ignores tfsync's .bak backups (they can hold secrets).`;
  const verb = outcome.written ? 'Added' : 'Would add';
  return `${verb} ${outcome.added.join(', ')} to ${outcome.file}: tfsync's .bak backups hold earlier contents of environment files, secrets included.`;
}

export interface InitDocument {
  config: string;
  written: boolean;
  /** The classic form's layout (the general form reports `found` instead). */
  environments?: { glob: string; names: string[] };
  shared?: { file: string; exists: boolean };
  declarations?: { variables: string; files: string[]; declaring: string[] } | null;
  /** The general form: what init found, one line each. */
  found?: string[];
  decisions: readonly Decision[];
  sensitive: readonly string[];
  gitignore: IgnoreOutcome;
  /** The tfsync.json written (or, with --dry-run, that would be). */
  content: unknown;
}

export function initJson(doc: InitDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
