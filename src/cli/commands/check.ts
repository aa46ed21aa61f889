/**
 * `tfsync check [ENV...]`: every environment's drift from `@shared`, for CI. Exit 0 in step, 2 on
 * drift or a missing required variable, 1 on error. On GitHub Actions it defaults to annotations
 * and a job summary.
 */
import { resolve } from 'node:path';
import { TfsyncError } from '../../errors.js';
import { displayPath, loadConfigOnly, openRepository, openStacks, type LoadOptions } from '../../io/load-repository.js';
import { appendStepSummary } from '../../io/step-summary.js';
import { setActionOutputs } from '../../io/action-output.js';
import { pathInside } from '../../model/path-inside.js';
import { SHARED } from '../../model/environments.js';
import { isGeneralForm, type Config } from '../../model/config.js';
import { assertNoConflicts, parseEnvironment, type Repository } from '../../model/repository.js';
import { DriftChecker, type CheckResult, type EnvironmentCheck } from '../../sync/check.js';
import { LayeredDriftChecker } from '../../sync/layered-check.js';
import { secretErrors } from '../../sync/secret-check.js';
import { SecretAudit } from '../check-secrets.js';
import { defineCommand, EXIT_CHANGES, EXIT_ERROR, EXIT_OK, type CliContext } from '../command.js';
import { renderCheckGithub } from '../render/check-github.js';
import { renderCheckJson } from '../render/check-json.js';
import { renderCheckMarkdown } from '../render/check-markdown.js';
import { checkSummary, renderCheckText } from '../render/check-text.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';

const FORMATS = ['text', 'json', 'markdown', 'github'] as const;

/** Rows of the job summary: enough to act on, well under GitHub's 1 MiB limit. */
const SUMMARY_ROWS = 1000;

export const checkCommand = defineCommand({
  command: 'check [environments..]',
  describe: 'Report drift: syncable variables whose value differs from @shared (before the shared file exists: from the other environments), required ones nothing sets, and secrets without a reference or missing from their store (exit 2)',
  builder: (yargs) =>
    yargs
      .positional('environments', { type: 'string', array: true, describe: 'Environments to check (default: all)' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: { inStep, environments }' })
      .option('format', {
        choices: FORMATS,
        describe: 'text, json, markdown (tables for a pull-request comment) or github (annotations and a job summary; the default when GITHUB_ACTIONS=true)',
      })
      .option('full', { type: 'boolean', default: false, describe: 'Show drifting values whole, not cut to the terminal width' })
      .option('strict', { type: 'boolean', default: false, describe: 'Exit 1 when a sensitive value is written in plain text in a tracked values file (a warning otherwise)' })
      .option('report', {
        choices: ['issue', 'pr'] as const,
        describe: 'On GitHub: keep one issue listing the drift (issue), or a pull request that promotes @shared into the drifting environments (pr)',
      })
      .option('label', { type: 'string', coerce: (v: unknown) => ([] as unknown[]).concat(v ?? []).map(String), describe: 'With --report: a label for the issue or pull request (repeatable)' }),
  run: async (args, ctx) => {
    const format = chooseFormat(args.json, args.format, ctx.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
    const showSensitive = args.showSensitive === true;
    const named = args.environments ?? [];
    const warnings: string[] = [];
    if (named.includes(SHARED)) warnings.push(`${SHARED} is what environments are checked against; it is not checked itself`);
    const environments = named.filter((name) => name !== SHARED);
    const options = { cwd: ctx.cwd, config: args.config, environments, stacks: args.stack, fs: ctx.fs };
    const config = await loadConfigOnly(options);
    const audit = new SecretAudit();
    const checked = isGeneralForm(config) ? await checkStacks(options, config, audit) : await checkClassic(options, config, audit);
    ctx.output.stderr(renderWarnings([...checked.warnings, ...warnings], ctx.output.colors));
    for (const repo of checked.repos) assertNoConflicts(repo);
    if (checked.result.environments.length === 0) {
      // In CI a glob that matches nothing must not pass as "in step".
      const what = isGeneralForm(config) ? 'the layers with {env} find no environment' : `no file matches ${displayPath(ctx.cwd, config.environments)}`;
      throw new TfsyncError(`no environments to check: ${what}`, { code: 'no-environments', hint: `check ${isGeneralForm(config) ? '"layers"' : '"environments"'} in ${config.path}` });
    }
    const result = await audit.finish(checked.result, { root: config.root, env: ctx.env, strict: args.strict });
    if (format !== 'github') ctx.output.stderr(renderWarnings(plaintextWarnings(result), ctx.output.colors));

    if (format === 'json') ctx.output.stdout(renderCheckJson(result, { showSensitive }));
    else if (format === 'markdown') ctx.output.stdout(renderCheckMarkdown(result, { showSensitive }));
    else if (format === 'github') {
      ctx.output.stdout(renderCheckGithub(result, { showSensitive, path: workspacePath(ctx) }));
      ctx.output.stdout(`${checkSummary(result, ctx.output.colors)}\n`);
      await appendSummary(ctx, renderCheckMarkdown(result, { showSensitive, maxRows: SUMMARY_ROWS }));
    } else ctx.output.stdout(renderCheckText(result, { colors: ctx.output.colors, showSensitive, full: args.full, width: ctx.output.columns }));
    await setActionOutputs(ctx.env, { drift: !result.inStep });
    if (args.report === 'pr' && result.reference === 'environments' && !result.inStep) {
      // The pull request promotes @shared into the drifting environments: with no shared file it
      // would write the defaults over them.
      throw new TfsyncError(`--report pr promotes ${SHARED} into the drifting environments, and there is no shared file yet (${result.shared?.file ?? "the shared file"})`, { code: 'no-shared-layer',
        hint: `create it first with \`tfsync promote ENV ${SHARED}\`, or use --report issue`,
      });
    }
    if (args.report) {
      const { reportDrift } = await import('../check-report.js');
      await reportDrift(result, { report: args.report, labels: (args.label as string[] | undefined) ?? [], config: args.config }, ctx);
    }
    // A store that could not be asked, or a plain-text secret under --strict (as validate --strict
    // fails on warnings): the check is not passed, and "drift" (2) would say the wrong thing.
    if (secretErrors(result).length > 0 || (result.strict && (result.plaintext ?? []).length > 0)) return EXIT_ERROR;
    return result.inStep ? EXIT_OK : EXIT_CHANGES;
  },
});

interface Checked {
  result: CheckResult;
  /** The repositories checked, for their conflicts. */
  repos: Repository[];
  warnings: string[];
}

/**
 * The classic form, one environment at a time: read, parse, compare with @shared, keep the
 * findings, drop the document. A syntax error stops the check at that environment, the first in
 * name order.
 */
async function checkClassic(options: LoadOptions, config: Config, audit: SecretAudit): Promise<Checked> {
  if ((options.stacks ?? []).length > 0) throw new TfsyncError(`--stack needs "stacks" in ${config.path}: this repository is one stack`, { code: 'usage' });
  const opened = await openRepository(options, config);
  const { repo } = opened;
  const checker = new DriftChecker(repo);
  const checks: EnvironmentCheck[] = [];
  for await (const source of opened.read()) {
    const layer = parseEnvironment(repo, source);
    const check = checker.check(layer);
    audit.add(repo, layer, check);
    checks.push(check);
  }
  return { result: checker.result(checks), repos: [repo], warnings: opened.warnings };
}

/** The general form: every stack (or the --stack ones), one stack in memory at a time. */
async function checkStacks(options: LoadOptions, config: Config, audit: SecretAudit): Promise<Checked> {
  const opened = await openStacks(options, config);
  const environments: EnvironmentCheck[] = [];
  const repos: Repository[] = [];
  const syncable = new Set<string>();
  for (const stack of opened.stacks) {
    const repo = await opened.read(stack);
    const checker = new LayeredDriftChecker(repo);
    for (const layer of repo.environments.values()) {
      const check = checker.check(layer);
      audit.add(repo, layer, check);
      environments.push(check);
    }
    for (const name of checker.syncable) syncable.add(name);
    // Only the classification is kept: assertNoConflicts needs nothing else.
    repos.push({ ...repo, environments: new Map(), shared: repo.shared });
  }
  const inStep = environments.every((e) => e.drift.length === 0 && e.missing.length === 0);
  // Every stack is measured against its shared layers (the environment-to-environment comparison
  // of a repository without a shared file is the classic form's, which `tfsync init` writes).
  return { result: { inStep, reference: 'shared', environments, syncable: syncable.size }, repos, warnings: opened.warnings };
}

/** The plain-text secrets as warnings (errors with --strict), file:line and never the value. */
function plaintextWarnings(result: CheckResult): string[] {
  // The line already says "warning:"; under --strict it says why check fails all the same.
  const strict = result.strict ? ' (an error under --strict)' : '';
  return (result.plaintext ?? []).map((p) => `${p.file}:${p.line}: ${p.variable} is sensitive and its value is written in plain text in a tracked file${strict}; keep it in a secret store and reference it under "secrets" in tfsync.json`);
}

/**
 * Annotation paths must be relative to the repository's root, which is GITHUB_WORKSPACE, while
 * tfsync shows paths relative to the working directory (a job may run in a subfolder).
 */
function workspacePath(ctx: CliContext): (file: string) => string {
  const workspace = ctx.env.GITHUB_WORKSPACE;
  return (file) => {
    if (!workspace) return file;
    return pathInside(workspace, resolve(ctx.cwd, file)) ?? file;
  };
}

/** A job summary that cannot be written is worth a warning, not a failed check: the annotations are out. */
async function appendSummary(ctx: CliContext, markdown: string): Promise<void> {
  try {
    // The blank line keeps this summary apart from the next step's.
    await appendStepSummary(`${markdown}\n`, ctx.env);
  } catch (err) {
    if (!(err instanceof TfsyncError)) throw err;
    ctx.output.stderr(renderWarnings([err.message], ctx.output.colors));
  }
}
