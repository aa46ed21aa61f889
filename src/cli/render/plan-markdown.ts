/**
 * A promotion plan as markdown, for the pull request tfsync opens: a table per file of what
 * changes (create, update, delete), with sensitive values masked; unchanged variables counted.
 */
import { maskValue } from '../../sync/mask.js';
import { changeLabel, type Plan, type PlannedChange } from '../../sync/plan.js';
import { cell, code } from './diff-markdown.js';
import { shownInline } from './labels.js';

export function renderPlanMarkdown(plan: Plan): string {
  const out: string[] = [];
  for (const file of plan.files) {
    const changes = file.changes.filter((c) => c.op !== 'noop');
    if (changes.length === 0) continue;
    const unchanged = file.changes.length - changes.length;
    out.push(
      `#### ${code(file.layer.file)}${file.layer.exists ? '' : ' (new file)'}`,
      '',
      '| Variable | Change | Before | After |',
      '| --- | --- | --- | --- |',
      ...changes.map((c) => `| ${cell(code(changeLabel(c)))} | ${c.op} | ${side(c, c.from)} | ${side(c, c.to)} |`),
    );
    if (unchanged > 0) out.push('', `_${unchanged} unchanged._`);
    out.push('');
  }
  const kept = plan.overrides.filter((o) => !o.pruned);
  if (kept.length > 0) {
    out.push(`Kept (${code(plan.source)} has no value for them): ${kept.map((o) => `${code(changeLabel(o))} in ${code(o.file)}`).join(', ')}.`, '');
  }
  return out.join('\n');
}

function side(change: PlannedChange, value: PlannedChange['from']): string {
  const shown = maskValue(value, change.sensitive, false);
  if (shown === undefined) return '';
  return cell(code(shownInline(shown)));
}
