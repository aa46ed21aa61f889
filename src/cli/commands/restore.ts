/**
 * `tfsync restore ENV` (or `@shared`): puts `<file>.bak` back, after showing the diff and asking
 * (the rules of every writing command: --yes, a terminal, or a refusal). The bytes it replaces
 * become the new `.bak`, so a restore can itself be undone by another restore. It reads neither
 * the other environments nor the file being restored as HCL: a file broken beyond parsing is when
 * a restore is needed most.
 */
import { relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { TfsyncError } from '../../errors.js';
import { isJsonVariablesFile } from '../../hcl/tfvars.js';
import { parseVariables } from '../../hcl/variables.js';
import { displayPath, fileExists, loadConfigAndEnvironments } from '../../io/load-repository.js';
import { readTextFile } from '../../io/read-text.js';
import { commitFiles } from '../../io/transaction.js';
import { backupPath } from '../../io/write-file.js';
import type { Config } from '../../model/config.js';
import { resolveEnvironment } from '../../model/environments.js';
import { matchesAny } from '../../model/patterns.js';
import { defineCommand, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../command.js';
import { decideWrite } from '../confirm-write.js';
import { renderWarnings } from '../render/messages.js';
import { renderTextDiffs } from '../render/plan-diff.js';

export const restoreCommand = defineCommand({
  command: 'restore <environment>',
  describe: "Put an environment's (or @shared's) .bak back; the replaced contents become the new .bak",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name, or @shared' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'Print the diff; write nothing' })
      .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'With --dry-run: exit 2 when the restore would change the file' })
      .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Write without asking' }),
  run: async (args, ctx) => {
    const { config, environments, warnings } = await loadConfigAndEnvironments({ cwd: ctx.cwd, config: args.config });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    const env = resolveEnvironment(config, environments, args.environment);
    const path = env.file;
    const file = displayPath(ctx.cwd, path);
    const bak = backupPath(path);
    if (!(await fileExists(bak))) {
      throw new TfsyncError(`no backup to restore: ${displayPath(ctx.cwd, bak)} does not exist`, {
        hint: 'tfsync writes it when promote, backport, set or restore change the file',
      });
    }
    const backup = await readTextFile(bak);
    const current = (await fileExists(path)) ? await readTextFile(path) : undefined;
    if (current?.bytes.equals(backup.bytes)) {
      ctx.output.stderr(`restore: ${file} is the same as ${backupPath(file)}; nothing to restore\n`);
      return EXIT_OK;
    }

    const isSensitive = await sensitivity(config);
    const diff = await renderTextDiffs(
      [{ file, before: current ? current.text : null, after: backup.text, json: isJsonVariablesFile(path) }],
      { colors: ctx.output.colors, isSensitive, showSensitive: args.showSensitive === true },
    );
    ctx.output.stdout(diff);
    if (args.dryRun) {
      ctx.output.stderr('restore: dry run; nothing written\n');
      return args.detailedExitcode ? EXIT_CHANGES : EXIT_OK;
    }
    const decision = await decideWrite(ctx, { yes: args.yes, command: 'restore', question: `Restore ${file} from ${backupPath(file)}?` });
    if (decision === 'declined') {
      ctx.output.stderr('restore: cancelled; nothing written\n');
      return EXIT_ERROR;
    }
    // commitFiles backs the current bytes up to the .bak before it writes: that is the undo.
    await commitFiles([{ path, before: current?.bytes ?? null, after: backup.bytes, mode: current?.mode ?? backup.mode }]);
    const undo = current ? `; the replaced contents are in ${backupPath(file)} (restore again to undo)` : '';
    ctx.output.stderr(`restored ${file} from ${backupPath(file)}${undo}\n`);
    return EXIT_OK;
  },
});

/**
 * Which names are sensitive, from the config's patterns and the declarations; read leniently (a
 * variables file with errors still declares what it can), so that restore works in a broken
 * repository.
 */
async function sensitivity(config: Config): Promise<(name: string) => boolean> {
  const declared = new Set<string>();
  const files = /[*?[\]{}]/.test(config.variables)
    ? await glob(relative(config.root, config.variables).split(sep).join('/'), { cwd: config.root, absolute: true, onlyFiles: true })
    : [config.variables];
  for (const path of files) {
    const text = await readTextFile(resolve(path)).then((f) => f.text).catch(() => undefined);
    if (text === undefined) continue;
    for (const decl of parseVariables(text).variables) if (decl.sensitive) declared.add(decl.name);
  }
  return (name) => declared.has(name) || matchesAny(config.sensitive, name);
}
