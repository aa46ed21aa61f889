/**
 * `tfsync restore ENV` (or `@shared`): puts `<file>.bak` back, after showing the diff and asking
 * (the rules of every writing command: --yes, a terminal, or a refusal). The bytes it replaces
 * become the new `.bak`, so a restore can itself be undone by another restore. It reads neither
 * the other environments nor the file being restored as HCL: a file broken beyond parsing is when
 * a restore is needed most.
 */
import { TfsyncError } from '../../errors.js';
import { isJsonVariablesFile } from '../../hcl/tfvars.js';
import { assertInsideRepository, displayPath, fileExists, loadConfigAndEnvironments, resolveNamedEnvironment } from '../../io/load-repository.js';
import { readTextFile } from '../../io/read-text.js';
import { sensitivityOf } from '../../io/sensitivity.js';
import { commitFiles } from '../../io/transaction.js';
import { backupPath } from '../../io/write-file.js';
import { withSecretsOfText } from '../../model/secrets.js';
import { defineCommand, EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from '../command.js';
import { decideWrite } from '../confirm-write.js';
import { renderWarnings, warnOn } from '../render/messages.js';
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
    const loaded = await loadConfigAndEnvironments({ cwd: ctx.cwd, config: args.config, fs: ctx.fs });
    const { config } = loaded;
    ctx.output.stderr(renderWarnings(loaded.warnings, ctx.output.colors));
    const env = resolveNamedEnvironment(loaded, args.environment);
    const path = env.file;
    await assertInsideRepository(config, [path], ctx.cwd, ctx.fs);
    const file = displayPath(ctx.cwd, path);
    const bak = backupPath(path);
    if (!(await fileExists(bak, ctx.fs))) {
      throw new TfsyncError(`no backup to restore: ${displayPath(ctx.cwd, bak)} does not exist`, {
        hint: 'tfsync writes it when promote, backport, set or restore change the file',
      });
    }
    const isSensitive = await sensitivityOf(config, ctx.fs);
    // A file that cannot be decoded is refused with an excerpt, which must not show a secret.
    const read = (p: string) => readTextFile(p, ctx.fs).catch((err: unknown) => Promise.reject(withSecretsOfText(err, isSensitive)));
    const backup = await read(bak);
    const current = (await fileExists(path, ctx.fs)) ? await read(path) : undefined;
    if (current?.bytes.equals(backup.bytes)) {
      ctx.output.stderr(`restore: ${file} is the same as ${backupPath(file)}; nothing to restore\n`);
      return EXIT_OK;
    }

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
    const change = { path, before: current?.bytes ?? null, after: backup.bytes, mode: current?.mode ?? backup.mode };
    await commitFiles([change], ctx.fs, undefined, warnOn(ctx));
    const undo = current ? `; the replaced contents are in ${backupPath(file)} (restore again to undo)` : '';
    ctx.output.stderr(`restored ${file} from ${backupPath(file)}${undo}\n`);
    return EXIT_OK;
  },
});
