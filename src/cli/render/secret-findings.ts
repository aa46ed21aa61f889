/** check's secret findings in each of its formats. Findings hold names, references and lines, never values. */
import type { Colors } from '../colors.js';
import type { SecretReport } from '../secrets-check.js';
import type { SecretFinding } from '../../sync/secret-check.js';
import { annotation } from './github.js';

const TITLES: Record<SecretFinding['kind'], string> = {
  'no-reference': 'No secret',
  'missing-secret': 'Missing secret',
  unreachable: 'Secret store failed',
  'plain-text': 'Plain-text secret',
};

export function renderSecretsText(report: SecretReport, colors: Colors): string {
  const lines = [
    ...report.errors.map((f) => `${colors.red('secret:')} ${f.message}`),
    ...report.warnings.map((f) => `${colors.yellow('secret warning:')} ${f.message}`),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function renderSecretsGithub(report: SecretReport, path: (file: string) => string): string {
  const one = (level: 'error' | 'warning', f: SecretFinding) =>
    annotation(level, { file: f.file === undefined ? undefined : path(f.file), line: f.line, title: `${TITLES[f.kind]} in ${f.environment}: ${f.name}` }, f.message);
  const lines = [...report.errors.map((f) => one('error', f)), ...report.warnings.map((f) => one('warning', f))];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

export function renderSecretsMarkdown(report: SecretReport): string {
  const all = [...report.errors.map((f) => ['error', f] as const), ...report.warnings.map((f) => ['warning', f] as const)];
  if (all.length === 0) return '';
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
  const rows = all.map(([level, f]) => `| ${level} | ${cell(f.environment)} | \`${cell(f.name)}\` | ${cell(f.message)} |`);
  return `\n### Secrets\n\n| Level | Environment | Variable | Finding |\n| --- | --- | --- | --- |\n${rows.join('\n')}\n`;
}

/** check's JSON document with `secrets: { errors, warnings }` added. */
export function withSecretsJson(json: string, report: SecretReport): string {
  const doc = JSON.parse(json) as Record<string, unknown>;
  const strip = (f: SecretFinding) => ({ environment: f.environment, name: f.name, kind: f.kind, reference: f.reference ?? null, file: f.file ?? null, line: f.line ?? null, message: f.message });
  doc['secrets'] = { errors: report.errors.map(strip), warnings: report.warnings.map(strip) };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
