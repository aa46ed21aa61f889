/**
 * `tfsync check --format markdown`, and the step summary of `--format github`: a table per
 * environment that is out of step, fit for a pull-request comment.
 */
import type { JsonValue } from '../../hcl/evaluate.js';
import { formatKeyPath } from '../../hcl/key-path.js';
import { SHARED } from '../../model/environments.js';
import { listNames } from '../../model/suggest.js';
import type { CheckResult, CheckValue, Drift } from '../../sync/check.js';
import { outOfStep } from '../../sync/check.js';
import { isMasked, maskValue } from '../../sync/mask.js';
import { createColors } from '../colors.js';
import { checkSummary, inStepNames, noSharedFileHint } from './check-text.js';
import { cell, code } from './diff-markdown.js';
import { missingLabel, plural, shownInline } from './labels.js';
import { driftingSecrets, failedSecrets, secretLabel, secretProblem } from './check-secrets.js';

export interface CheckMarkdownOptions {
  showSensitive: boolean;
  /**
   * Table rows to write at most, over all environments; the rest are counted. GitHub refuses a
   * step summary over 1 MiB, and a check of hundreds of drifting environments can exceed it.
   */
  maxRows?: number;
}

const plain = createColors(false);

export function renderCheckMarkdown(result: CheckResult, { showSensitive, maxRows = Infinity }: CheckMarkdownOptions): string {
  const out = [`### ${code('tfsync check')}`, '', `**${checkSummary(result, plain)}**`];
  const drifting = outOfStep(result);
  let budget = maxRows;
  let left = 0;
  for (const env of drifting) {
    const rows = [
      ...env.drift.flatMap((d) =>
        d.leaves.length === 0
          ? [row(d.name, value(d, d.shared, showSensitive), value(d, d.value, showSensitive), at(d.value))]
          : d.leaves.map((leaf) => {
              const side = (v: JsonValue | undefined, origin: CheckValue['origin']) => value({ sensitive: leaf.sensitive }, { value: v, origin }, showSensitive);
              return row(formatKeyPath(leaf.path), side(leaf.shared, d.shared.origin), side(leaf.value, null), `${d.value.origin!.file}:${leaf.line}`);
            }),
      ),
      ...env.missing.map((m) => row(m.name, `_${missingLabel(false)}_`, `_${missingLabel(true)}_`, `declared at ${m.declaration.file}:${m.declaration.line}`)),
      ...driftingSecrets(env).map((s) => row(s.variable, `_${secretLabel(s)}_`, cell(secretProblem(s, env)), s.declaration ? `declared at ${s.declaration.file}:${s.declaration.line}` : '')),
    ];
    if (budget <= 0) {
      left += rows.length;
      continue;
    }
    const secretCount = driftingSecrets(env).length;
    const counts = [env.drift.length > 0 ? `${env.drift.length} drift` : '', env.missing.length > 0 ? `${env.missing.length} missing` : '', secretCount > 0 ? `${plural(secretCount, 'secret')} missing` : ''];
    out.push(
      '',
      `#### ${env.stack === undefined ? '' : `Stack ${code(env.stack)}: `}${code(env.environment)} (${counts.filter(Boolean).join(', ')})`,
      '',
      `| Variable | ${result.reference === 'shared' ? code(SHARED) : 'most environments'} | ${cell(code(env.environment))} | Where |`,
      '| --- | --- | --- | --- |',
      ...rows.slice(0, budget),
    );
    left += Math.max(0, rows.length - budget);
    budget -= rows.length;
  }
  if (left > 0) out.push('', `_…and ${left} more; \`tfsync check\` lists them all._`);
  const failed = failedSecrets(result);
  if (failed.length > 0) {
    out.push('', `#### Secrets not checked (${failed.length})`, '', '| Environment | Variable | Reference | Code |', '| --- | --- | --- | --- |');
    for (const { label, secret } of failed) out.push(`| ${cell(code(label))} | ${cell(code(secret.variable))} | ${cell(code(secret.reference!))} | ${cell(code(secret.code ?? 'secret-backend-failed'))} |`);
  }
  const plaintext = result.plaintext ?? [];
  if (plaintext.length > 0) {
    out.push('', `#### Sensitive values in plain text (${plaintext.length}${result.strict ? ', errors with --strict' : ''})`, '', '| Variable | Where |', '| --- | --- |');
    for (const p of plaintext.slice(0, Number.isFinite(maxRows) ? maxRows : undefined)) out.push(`| ${cell(code(p.variable))} | ${cell(code(`${p.file}:${p.line}`))} |`);
  }
  const inStep = inStepNames(result, drifting);
  if (drifting.length > 0 && inStep.length > 0) out.push('', `In step: ${listNames(inStep.map(code))}.`);
  if (result.reference === 'environments') out.push('', noSharedFileHint(result));
  return `${out.join('\n')}\n`;
}

function row(name: string, shared: string, env: string, where: string): string {
  return `| ${cell(code(name))} | ${cell(shared)} | ${cell(env)} | ${cell(code(where))} |`;
}

function value(d: Pick<Drift, 'sensitive'>, side: CheckValue, showSensitive: boolean): string {
  const shown = maskValue(side.value, d.sensitive, showSensitive);
  if (shown === undefined) return `_${missingLabel(false)}_`;
  const text = isMasked(shown) ? `_${shownInline(shown)}_` : code(shownInline(shown));
  return side.origin?.layer === 'default' ? `${text} _(default)_` : text;
}

function at(side: CheckValue): string {
  return side.origin ? `${side.origin.file}:${side.origin.line}` : '';
}
