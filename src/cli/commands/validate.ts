/**
 * `tfsync validate`: tfsync.json, the syntax of every file, declarations, types and classification,
 * every problem at once, each with its file and line. The only read-only command that loads ajv
 * and the official parser: types are checked with JSON Schemas, and every file is read a second
 * time by HashiCorp's parser to catch tfsync misreading one.
 */
import { resolve } from 'node:path';
import { loadRepositoryForValidation } from '../../io/load-repository.js';
import { officialValues } from '../../io/official-parser.js';
import { pathInside } from '../../model/path-inside.js';
import { appendStepSummary } from '../../io/step-summary.js';
import { crossCheck } from '../../sync/cross-check.js';
import { loadTypeChecker } from '../../sync/type-check.js';
import { sortFindings, summarizeNotes } from '../../sync/findings.js';
import { validateSources, type ValidationReport } from '../../sync/validate-sources.js';
import { crossCheckInput } from '../../sync/validate-layers.js';
import { defineCommand, EXIT_ERROR, EXIT_OK, type CliContext } from '../command.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';
import { countFindings, renderValidateGithub, renderValidateJson, renderValidateMarkdown, renderValidateText } from '../render/validate.js';

const FORMATS = ['text', 'json', 'github'] as const;

export const validateCommand = defineCommand({
  command: 'validate',
  describe: 'Check tfsync.json and every variables file: syntax, declarations, types, classification',
  builder: (yargs) =>
    yargs
      .option('strict', { type: 'boolean', default: false, describe: 'Exit 1 on warnings too (undeclared variables, unclassified ones, ...); notes never fail' })
      .option('verbose', { type: 'boolean', default: false, describe: 'List every note (values equal to their default) instead of one line per file' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: { valid, errors, warnings, findings }' })
      .option('format', {
        choices: FORMATS,
        describe: 'text, json, or github (annotations and a job summary; the default when GITHUB_ACTIONS=true)',
      }),
  run: async (args, ctx) => {
    const format = chooseFormat(args.json, args.format, ctx.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');
    const input = await loadRepositoryForValidation({ cwd: ctx.cwd, config: args.config, stacks: args.stack, fs: ctx.fs });
    if (input.layered) ctx.output.stderr(renderWarnings(input.layered.warnings, ctx.output.colors));
    const files = input.repository ?? (input.layered && crossCheckInput(input.layered));
    const typeCheck = files ? await loadTypeChecker() : undefined;
    let report: ValidationReport = validateSources(input, { typeCheck });
    if (files) {
      const disagreements = await crossCheck(files, officialValues);
      report = { ...report, findings: sortFindings([...report.findings, ...disagreements], report.files) };
    }

    if (!args.verbose) report = { ...report, findings: summarizeNotes(report.findings) };
    const { errors, warnings } = countFindings(report.findings);
    const valid = errors === 0 && !(args.strict && warnings > 0);
    if (format === 'json') {
      ctx.output.stdout(renderValidateJson(report, valid));
    } else if (format === 'github') {
      ctx.output.stdout(renderValidateGithub(report, workspacePath(ctx)));
      await appendStepSummary(renderValidateMarkdown(report), ctx.env);
    } else {
      ctx.output.stdout(renderValidateText(report, ctx.output.colors));
    }
    return valid ? EXIT_OK : EXIT_ERROR;
  },
});

/**
 * GitHub matches an annotation's file against the repository's paths, so a file is given relative
 * to `GITHUB_WORKSPACE` (the checkout) rather than to wherever tfsync runs.
 */
function workspacePath(ctx: CliContext): (file: string) => string {
  const workspace = ctx.env.GITHUB_WORKSPACE;
  if (!workspace) return (file) => file;
  return (file) => {
    return pathInside(workspace, resolve(ctx.cwd, file)) ?? file;
  };
}
