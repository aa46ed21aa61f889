/**
 * `tfsync validate`'s report in each format: text (one `file:line:col: level: message` line per
 * finding, grouped by file), JSON, GitHub annotations, and the Markdown job summary. Findings hold
 * no values (see sync/validate.ts), so nothing here needs masking.
 */
import type { Finding } from '../../sync/findings.js';
import { stringifyJson } from '../../hcl/json-text.js';
import type { ValidationReport } from '../../sync/validate-sources.js';
import type { Colors } from '../colors.js';
import { annotation } from './github.js';
import { plural } from './labels.js';

export interface ValidateCounts {
  errors: number;
  warnings: number;
}

export function countFindings(findings: readonly Finding[]): ValidateCounts {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.filter((f) => f.severity === 'warning').length };
}

/** `(stack api)`, `(stacks api, web)`, or nothing outside the general form with `stacks`. */
function stacksOf(f: Finding, before = ''): string {
  if (!f.stacks || f.stacks.length === 0) return '';
  return `${before}(${f.stacks.length === 1 ? 'stack' : 'stacks'} ${f.stacks.join(', ')})`;
}

function location(f: Finding): string {
  return `${f.file}:${f.line}${f.column === undefined ? '' : `:${f.column}`}`;
}

export function renderValidateText(report: ValidationReport, colors: Colors): string {
  const out: string[] = [];
  let file: string | undefined;
  for (const f of report.findings) {
    if (file !== undefined && f.file !== file) out.push('');
    file = f.file;
    const level = f.severity === 'error' ? colors.red('error:') : f.severity === 'warning' ? colors.yellow('warning:') : colors.cyan('note:');
    out.push(`${colors.bold(`${location(f)}:`)} ${level} ${f.message}${colors.dim(stacksOf(f, ' '))}`);
    if (f.hint) out.push(`  ${colors.cyan('hint:')} ${f.hint}`);
  }
  if (out.length > 0) out.push('');
  out.push(summary(report));
  if (report.notChecked > 0) out.push(colors.dim(notCheckedNote(report.notChecked)));
  return `${out.join('\n')}\n`;
}

/** `2 errors, 3 warnings in 6 files`, or `All 6 files valid.` */
export function summary(report: ValidationReport): string {
  const { errors, warnings } = countFindings(report.findings);
  const files = plural(report.files.length, 'file');
  if (errors + warnings === 0) return report.files.length === 1 ? 'The file is valid.' : `All ${files} valid.`;
  // Notes are advice, not problems: they are not counted.
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${files}`;
}

function notCheckedNote(n: number): string {
  return `${plural(n, 'value')} not type-checked: ${n === 1 ? 'it is an expression' : 'they are expressions'} tfsync does not evaluate.`;
}

export function renderValidateJson(report: ValidationReport, valid: boolean): string {
  const { errors, warnings } = countFindings(report.findings);
  const findings = report.findings.map((f) => ({
    severity: f.severity,
    code: f.code,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column ?? null,
    variable: f.variable ?? null,
    hint: f.hint ?? null,
    ...(f.stacks ? { stacks: f.stacks } : {}),
  }));
  return `${stringifyJson({ valid, errors, warnings, files: report.files, notChecked: report.notChecked, findings }, 2)}\n`;
}

/**
 * One annotation per finding, errors first: GitHub shows only the first few of each level per
 * step, and an error must not be crowded out by warnings. `path` turns a file as shown into one
 * relative to the repository's root, which is what GitHub matches against.
 */
export function renderValidateGithub(report: ValidationReport, path: (file: string) => string): string {
  const ordered = (['error', 'warning', 'note'] as const).flatMap((level) => report.findings.filter((f) => f.severity === level));
  const lines = ordered.map((f) => {
    const message = `${f.message}${stacksOf(f, ' ')}${f.hint ? `\nhint: ${f.hint}` : ''}`;
    return annotation(f.severity === 'note' ? 'notice' : f.severity, { file: path(f.file), line: f.line, col: f.column, title: `tfsync validate: ${f.code}${stacksOf(f, ' ')}` }, message);
  });
  lines.push(summary(report));
  return `${lines.join('\n')}\n`;
}

/** The job summary: the counts and a table of every finding. */
export function renderValidateMarkdown(report: ValidationReport): string {
  const out = ['### tfsync validate', '', summary(report)];
  if (report.findings.length > 0) {
    out.push('', '| | Where | Problem |', '|---|---|---|');
    for (const f of report.findings) {
      const message = cell(`${f.message}${stacksOf(f, ' ')}`);
      const problem = f.hint ? `${message}<br>hint: ${cell(f.hint)}` : message;
      out.push(`| ${f.severity === 'error' ? '❌ error' : f.severity === 'warning' ? '⚠️ warning' : 'ℹ️ note'} | \`${location(f)}\` | ${problem} |`);
    }
  }
  if (report.notChecked > 0) out.push('', notCheckedNote(report.notChecked));
  return `${out.join('\n')}\n`;
}

/** Table cells end at `|` and at a newline; `<` would start HTML. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, ' ');
}
