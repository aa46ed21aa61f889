/** `tfsync diff A B [C...]`: effective values side by side, in sections; a matrix for three or more. */
import { loadRepository } from '../../io/load-repository.js';
import { assertNoConflicts } from '../../model/repository.js';
import { diffEnvironments, hasSyncableDifferences } from '../../sync/diff.js';
import { defineCommand, EXIT_CHANGES, EXIT_OK } from '../command.js';
import { renderDiffJson } from '../render/json.js';
import { renderDiffMarkdown } from '../render/diff-markdown.js';
import { renderDiffText } from '../render/diff-text.js';
import { chooseFormat, renderWarnings } from '../render/messages.js';

const FORMATS = ['text', 'json', 'markdown'] as const;

export const diffCommand = defineCommand({
  command: 'diff <env1> <env2> [others..]',
  describe: 'Compare the effective values of two or more environments (or @shared): syncable, environment-specific, unclassified',
  builder: (yargs) =>
    yargs
      .positional('env1', { type: 'string', demandOption: true, describe: 'An environment name, or @shared' })
      .positional('env2', { type: 'string', demandOption: true, describe: 'Another environment' })
      .positional('others', { type: 'string', array: true, describe: 'More environments: the output becomes a matrix' })
      .option('all', { type: 'boolean', default: false, describe: 'Show identical variables too' })
      .option('full', { type: 'boolean', default: false, describe: 'Show differing values whole, not cut to the terminal width' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: { environments, variables, summary }' })
      .option('format', { choices: FORMATS, describe: 'text, json, or markdown (tables for a pull-request comment)' })
      .option('detailed-exitcode', {
        type: 'boolean',
        default: false,
        describe: 'Exit 2 when a syncable variable differs (0 when none does, 1 on error)',
      }),
  run: async (args, ctx) => {
    const format = chooseFormat(args.json, args.format, 'text');
    const names = [args.env1, args.env2, ...(args.others ?? [])];
    const showSensitive = args.showSensitive === true;
    const { repo, warnings } = await loadRepository({ cwd: ctx.cwd, config: args.config, environments: names, fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    assertNoConflicts(repo);
    const diff = diffEnvironments(repo, names);
    if (format === 'json') ctx.output.stdout(renderDiffJson(diff, { showSensitive, all: args.all }));
    else if (format === 'markdown') ctx.output.stdout(renderDiffMarkdown(diff, { showSensitive, all: args.all }));
    else ctx.output.stdout(renderDiffText(diff, { colors: ctx.output.colors, showSensitive, all: args.all, full: args.full, width: ctx.output.columns }));
    return args.detailedExitcode && hasSyncableDifferences(diff) ? EXIT_CHANGES : EXIT_OK;
  },
});
