/**
 * `tfsync check --format github`: workflow-command annotations, which GitHub shows on the lines of
 * the pull request's files. A drifting variable is a warning at the environment file's line that
 * sets it; a missing one an error at its declaration (no environment line exists to point at).
 */
import { SHARED } from '../../model/environments.js';
import { environmentLabel, stackOption, type CheckResult, type CheckValue, type Drift, type EnvironmentCheck, type Missing } from '../../sync/check.js';
import { maskValue } from '../../sync/mask.js';
import type { JsonValue } from '../../hcl/evaluate.js';
import { formatKeyPath } from '../../hcl/key-path.js';
import { annotation } from './github.js';
import { missingLabel, plural, shownInline } from './labels.js';
import { driftingSecrets, failedSecrets, secretProblem } from './check-secrets.js';

/**
 * GitHub keeps at most 50 annotations per job (10 of each level per step are shown): past that
 * they are dropped, so writing them only costs time. The step summary lists everything.
 */
export const MAX_ANNOTATIONS = 50;

export interface CheckGithubOptions {
  showSensitive: boolean;
  /** A file as GitHub knows it: relative to the workspace (the repository's root). */
  path: (file: string) => string;
}

export function renderCheckGithub(result: CheckResult, { showSensitive, path }: CheckGithubOptions): string {
  const lines: string[] = [];
  let more = 0;
  const add = (render: () => string) => (lines.length < MAX_ANNOTATIONS ? lines.push(render()) : more++);
  // Errors first: if the cap cuts, it cuts warnings.
  for (const env of result.environments) for (const m of env.missing) add(() => missingAnnotation(env, m, path));
  // A secret that is not there: an error at the declaration (the reference lives in tfsync.json).
  for (const env of result.environments) {
    for (const s of driftingSecrets(env)) {
      const where = s.declaration ? { file: path(s.declaration.file), line: s.declaration.line } : {};
      add(() => annotation('error', { ...where, title: `Secret missing in ${environmentLabel(env)}: ${s.variable}` }, `${environmentLabel(env)}: ${s.variable}: ${secretProblem(s, env)}.`));
    }
  }
  for (const { env, secret, label } of failedSecrets(result)) {
    add(() => annotation('error', { title: `Secret not checked in ${label}: ${secret.variable}` }, `${label}: ${secret.variable}: ${secretProblem(secret, env)}.`));
  }
  const plaintext = (p: NonNullable<CheckResult['plaintext']>[number]) =>
    annotation(result.strict ? 'error' : 'warning', { file: path(p.file), line: p.line, title: `Sensitive value in plain text: ${p.variable}` }, `${p.variable} is sensitive and its value is written in this tracked file; keep it in a secret store and reference it under "secrets" in tfsync.json.`);
  if (result.strict) for (const p of result.plaintext ?? []) add(() => plaintext(p));
  for (const env of result.environments) {
    for (const d of env.drift) {
      if (d.leaves.length === 0) add(() => driftAnnotation(env, d, showSensitive, path, result.reference));
      else for (const leaf of d.leaves) add(() => leafAnnotation(env, d, leaf, showSensitive, path));
    }
  }
  if (!result.strict) for (const p of result.plaintext ?? []) add(() => plaintext(p));
  if (more > 0) {
    lines.push(annotation('notice', { title: 'tfsync check' }, `${plural(more, 'more finding')} not annotated (GitHub keeps ${MAX_ANNOTATIONS} per job); the job summary lists them all.`));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function driftAnnotation(env: EnvironmentCheck, d: Drift, showSensitive: boolean, path: (file: string) => string, reference: CheckResult['reference']): string {
  // Against @shared, drift comes from a line of the environment's own file (an unset variable
  // inherits). Against the other environments (no shared file yet) an environment can differ by
  // inheriting a default, or by setting nothing: then its file's first line is the place.
  const origin = d.value.origin ?? { file: env.file, line: 1 };
  const shared = d.shared.origin ? ` (${d.shared.origin.layer === 'default' ? 'default, ' : ''}${d.shared.origin.file}:${d.shared.origin.line})` : '';
  const [label, stack] = [environmentLabel(env), stackOption(env)];
  const value = valueText(d, d.value, showSensitive);
  const message =
    reference === 'shared'
      ? `${label} sets ${d.name} = ${value}; ${SHARED} has ${valueText(d, d.shared, showSensitive)}${shared}. ` +
        `\`tfsync promote ${SHARED} ${env.environment}${stack}\` puts the shared value back; \`tfsync promote ${env.environment} ${SHARED}${stack}\` shares this one.`
      : `${label} has ${d.name} = ${value}; most environments have ${valueText(d, d.shared, showSensitive)}${shared}. ` +
        `There is no shared file yet: \`tfsync promote ENV ${SHARED}\` creates it from ENV's values, then \`tfsync promote ${SHARED} ${env.environment}\` aligns ${env.environment}.`;
  return annotation('warning', { file: path(origin.file), line: origin.line, title: `Drift in ${label}: ${d.name}` }, message);
}

/** One leaf of a map that drifts, at the line that sets it. */
function leafAnnotation(env: EnvironmentCheck, d: Drift, leaf: Drift['leaves'][number], showSensitive: boolean, path: (file: string) => string): string {
  const label = formatKeyPath(leaf.path);
  const text = (value: JsonValue | undefined) => {
    const shown = maskValue(value, leaf.sensitive, showSensitive);
    return shown === undefined ? missingLabel(false) : shownInline(shown);
  };
  const [where, stack] = [environmentLabel(env), stackOption(env)];
  const message =
    `${where} sets ${label} = ${text(leaf.value)}; ${SHARED} has ${text(leaf.shared)}. ` +
    `\`tfsync promote ${SHARED} ${env.environment}${stack} --var ${label}\` puts the shared value back; \`tfsync promote ${env.environment} ${SHARED}${stack} --var ${label}\` shares this one.`;
  return annotation('warning', { file: path(d.value.origin!.file), line: leaf.line, title: `Drift in ${where}: ${label}` }, message);
}

function missingAnnotation(env: EnvironmentCheck, m: Missing, path: (file: string) => string): string {
  const label = environmentLabel(env);
  const message = `${label} has no value for ${m.name}: it is declared without a default, and neither ${env.file} nor the shared file sets it.`;
  return annotation('error', { file: path(m.declaration.file), line: m.declaration.line, title: `Missing in ${label}: ${m.name}` }, message);
}

function valueText(d: Drift, side: CheckValue, showSensitive: boolean): string {
  const shown = maskValue(side.value, d.sensitive, showSensitive);
  return shown === undefined ? missingLabel(false) : shownInline(shown);
}
