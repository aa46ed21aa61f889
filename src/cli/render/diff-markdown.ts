/**
 * `tfsync diff --format markdown`: a table per section, fit for a pull-request comment. Values sit
 * in code spans, one line each, with `|` escaped so that no value can break the table.
 */
import { isMasked, maskValue } from '../../sync/mask.js';
import type { DiffVariable, EnvironmentDiff } from '../../sync/diff.js';
import { missingLabel, originNote, SECTION_NOTES, SECTION_TITLES, sectionCounts, shownInline } from './labels.js';
import { append, widest } from './lists.js';

export interface DiffMarkdownOptions {
  showSensitive: boolean;
  all: boolean;
}

export function renderDiffMarkdown(diff: EnvironmentDiff, { showSensitive, all }: DiffMarkdownOptions): string {
  const out = [`### ${code(`tfsync diff ${diff.environments.join(' ')}`)}`];
  for (const section of diff.sections) {
    if (section.variables.length === 0) continue;
    const note = SECTION_NOTES[section.name];
    const counts = ` (${sectionCounts(section)})${note ? ` — ${note}` : ''}`;
    const rows = all ? section.variables : section.variables.filter((v) => v.status !== 'same');
    const table =
      rows.length === 0
        ? ['_No differences._']
        : [
            `| Variable | ${diff.environments.map((env) => cell(code(env))).join(' | ')} |`,
            `| --- |${' --- |'.repeat(diff.environments.length)}`,
            ...rows.map((v) => `| ${cell(code(v.name))} | ${diff.environments.map((env) => valueCell(v, env, showSensitive)).join(' | ')} |`),
          ];
    // Reviewers act on the syncable section; the others are folded so that they do not drown it.
    // (Markdown is not read inside <summary>, hence <b> there.)
    const name = SECTION_TITLES[section.name];
    if (section.name === 'syncable' || rows.length === 0) append(out, ['', `**${name}**${counts}`, '', ...table]);
    else append(out, ['', '<details>', `<summary><b>${name}</b>${counts}</summary>`, '', ...table, '', '</details>']);
  }
  if (diff.secrets && diff.secrets.length > 0) {
    const status = (s: NonNullable<EnvironmentDiff['secrets']>[number]) =>
      s.status === 'missing' ? `missing in ${(s.missingIn ?? []).map(code).join(', ')}` : s.status === 'error' ? `error (${code(s.code ?? 'secret-backend-failed')})` : s.status;
    append(out, ['', '**Secrets** (compared by a keyed fingerprint)', '', '| Variable | Status |', '| --- | --- |', ...diff.secrets.map((s) => `| ${cell(code(s.variable))} | ${cell(status(s))} |`)]);
  }
  return `${out.join('\n')}\n`;
}

function valueCell(v: DiffVariable, env: string, showSensitive: boolean): string {
  const entry = v.values[env]!;
  const shown = maskValue(entry.value, v.sensitive, showSensitive);
  if (shown === undefined) return `_${missingLabel(entry.required)}_`;
  const text = isMasked(shown) ? `_${shownInline(shown)}_` : code(shownInline(shown));
  const note = originNote(entry.origin);
  return cell(note ? `${text} _${note}_` : text);
}

/**
 * A code span that holds any text: a fence longer than any run of backticks inside, padded with
 * spaces when the text starts or ends with a backtick (CommonMark strips one space each side).
 */
export function code(text: string): string {
  const longest = widest((text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** A table cell: `|` escaped (GitHub honours `\|` even inside code spans), no line breaks. */
export function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}
