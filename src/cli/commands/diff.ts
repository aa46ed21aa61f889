/** `tfsync diff A B [C...]`: effective values side by side, in sections; a matrix for three or more. */
import { TfsyncError } from '../../errors.js';
import { loadRepositories } from '../../io/load-repository.js';
import { assertNoConflicts } from '../../model/repository.js';
import type { Repository } from '../../model/repository.js';
import { diffEnvironments, hasSyncableDifferences, type EnvironmentDiff } from '../../sync/diff.js';
import { compareFingerprints, secretSources } from '../../sync/secret-compare.js';
import { defineCommand, EXIT_CHANGES, EXIT_OK } from '../command.js';
import { renderDiffJson, renderStackDiffsJson } from '../render/json.js';
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
    const { repos, warnings } = await loadRepositories({ cwd: ctx.cwd, config: args.config, stacks: args.stack, environments: names, fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    for (const repo of repos) assertNoConflicts(repo);
    // Every stack that has all the named environments; each is compared on its own declarations.
    const compared = repos.filter((repo) => names.every((n) => n.startsWith('@') || repo.environments.has(n))).map((repo) => ({ repo, diff: diffEnvironments(repo, names) }));
    if (compared.length === 0) throw new TfsyncError(`no stack has every one of ${names.map((n) => JSON.stringify(n)).join(', ')}`, { code: 'unknown-stack' });
    await compareSecrets(compared, ctx.env);
    const diffs = compared.map(({ diff }) => diff);
    const options = { showSensitive, all: args.all };
    // One stack: the document as ever; several: each stack's part headed by its name.
    const headed = (render: (diff: EnvironmentDiff) => string, heading: (stack: string) => string) =>
      diffs.map((diff) => (diff.stack !== undefined ? `${heading(diff.stack)}\n${render(diff)}` : render(diff))).join('\n');
    if (format === 'json') ctx.output.stdout(diffs.length === 1 && diffs[0]!.stack === undefined ? renderDiffJson(diffs[0]!, options) : renderStackDiffsJson(diffs, options));
    else if (format === 'markdown') ctx.output.stdout(headed((d) => renderDiffMarkdown(d, options), (s) => `## Stack \`${s}\`\n`));
    else ctx.output.stdout(headed((d) => renderDiffText(d, { ...options, colors: ctx.output.colors, full: args.full, width: ctx.output.columns }), (s) => ctx.output.colors.bold(`stack ${s}`)));
    return args.detailedExitcode && diffs.some(hasSyncableDifferences) ? EXIT_CHANGES : EXIT_OK;
  },
});

/**
 * Each diff's sensitive variables with references, compared by keyed fingerprint. The secret
 * stores (and the crypto) load only when a reference is there to compare.
 */
async function compareSecrets(compared: Array<{ repo: Repository; diff: EnvironmentDiff }>, env: Record<string, string | undefined>): Promise<void> {
  const work = compared.map(({ repo, diff }) => ({ repo, diff, list: secretSources(diff, repo.config.secrets) })).filter((w) => w.list.length > 0);
  if (work.length === 0) return;
  const { Fingerprinter, fingerprintSources } = await import('../../io/secrets/stores.js');
  // One key for the run: the same secret in two stacks has the same fingerprint, in no other run.
  const fingerprinter = new Fingerprinter();
  await Promise.all(
    work.map(async ({ repo, diff, list }) => {
      const prints = await fingerprintSources(list, env, repo.config.root, fingerprinter);
      diff.secrets = list.map((sources, i) => compareFingerprints(diff.environments, sources, prints[i]!));
    }),
  );
}
