/**
 * `tfsync restore ENV` (or `@shared`): puts `<file>.bak` back, after showing the diff and asking
 * (the rules of every writing command: --yes, a terminal, or a refusal). The bytes it replaces
 * become the new `.bak`, so a restore can itself be undone by another restore. A `.bak` that says
 * tfsync created the file (write-file.ts CREATED_MARKER) deletes it, keeping its contents as the
 * new `.bak`. In the general form an environment is every file of its own layers (of one stack)
 * that has a `.bak`, and `@NAME` a shared layer's file. It reads neither the other environments nor
 * the files being restored as HCL: a file broken beyond parsing is when a restore is needed most.
 */
import { TfsyncError } from '../../errors.js';
import { isJsonVariablesFile } from '../../hcl/tfvars.js';
import { assertInsideRepository, displayPath, fileExists, loadConfigAndEnvironments, loadConfigOnly, openStacks, resolveNamedEnvironment } from '../../io/load-repository.js';
import { readTextFile } from '../../io/read-text.js';
import { sensitivityOf } from '../../io/sensitivity.js';
import { backupPath, isCreatedMarker } from '../../io/write-file.js';
import { isGeneralForm, type Config } from '../../model/config.js';
import { SHARED } from '../../model/environments.js';
import { listNames } from '../../model/suggest.js';
import { withSecretsOfText } from '../../model/secrets.js';
import { restoreWrite } from '../../sync/file-write.js';
import { ownLayer } from '../../sync/layered-plan.js';
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { writeFiles } from '../confirm-write.js';
import { renderWarnings } from '../render/messages.js';
import { renderWriteDiffs } from '../render/plan-diff.js';

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
    const options = { cwd: ctx.cwd, config: args.config, stacks: args.stack, fs: ctx.fs };
    const config = await loadConfigOnly(options);
    const paths = isGeneralForm(config) ? await layerFiles(config, args.environment, options, ctx) : [await classicFile(args.environment, options, ctx)];
    await assertInsideRepository(config, paths, ctx.cwd, ctx.fs);
    const isSensitive = await sensitivityOf(config, ctx.fs);
    // A file that cannot be decoded is refused with an excerpt, which must not show a secret.
    const read = (p: string) => readTextFile(p, ctx.fs).catch((err: unknown) => Promise.reject(withSecretsOfText(err, isSensitive)));
    const restores: Restore[] = [];
    for (const path of paths) {
      const file = displayPath(ctx.cwd, path);
      const backup = await read(backupPath(path));
      const current = (await fileExists(path, ctx.fs)) ? await read(path) : undefined;
      const created = isCreatedMarker(backup.bytes);
      if ((created && !current) || current?.bytes.equals(backup.bytes)) {
        ctx.output.stderr(`restore: ${file} is the same as ${backupPath(file)}; nothing to restore\n`);
        continue;
      }
      restores.push({ path, file, created, current, backup });
    }
    if (restores.length === 0) return EXIT_OK;

    const writes = restores.map((r) =>
      restoreWrite({ path: r.path, file: r.file, json: isJsonVariablesFile(r.path) }, r.current?.text, r.created ? undefined : { path: backupPath(r.path), text: r.backup.text, bom: r.backup.bom }),
    );
    const names = restores.map((r) => r.file).join(' and ');
    // The one writer backs the current bytes up to the .bak before it writes (or deletes): that is the undo.
    const { code, outcome } = await writeFiles(ctx, writes, {
      command: 'restore',
      dryRun: args.dryRun,
      detailedExitcode: args.detailedExitcode,
      yes: args.yes,
      isSensitive,
      question: () => `Restore ${names} from ${restores.length === 1 ? backupPath(names) : 'their .bak files'}?`,
      show: async (pending) => ctx.output.stdout(await renderWriteDiffs(pending, { colors: ctx.output.colors, isSensitive, showSensitive: args.showSensitive === true })),
      announce: false,
    });
    if (outcome.status !== 'written') return code;
    for (const r of restores) {
      if (r.created) {
        ctx.output.stderr(`deleted ${r.file}, which tfsync had created; its contents are in ${backupPath(r.file)} (restore again to undo)\n`);
        continue;
      }
      const undo = r.current ? `; the replaced contents are in ${backupPath(r.file)} (restore again to undo)` : '';
      ctx.output.stderr(`restored ${r.file} from ${backupPath(r.file)}${undo}\n`);
    }
    return EXIT_OK;
  },
});

interface Restore {
  path: string;
  file: string;
  /** The .bak says tfsync created the file: restoring deletes it. */
  created: boolean;
  current: Awaited<ReturnType<typeof readTextFile>> | undefined;
  backup: Awaited<ReturnType<typeof readTextFile>>;
}

type Options = { cwd: string; config?: string; stacks?: string[]; fs: CliContext['fs'] };

async function classicFile(name: string, options: Options, ctx: CliContext): Promise<string> {
  const loaded = await loadConfigAndEnvironments(options);
  ctx.output.stderr(renderWarnings(loaded.warnings, ctx.output.colors));
  const path = resolveNamedEnvironment(loaded, name).file;
  await noBackup([path], ctx);
  return path;
}

/** The general form: the environment's own layer files (of one stack), or a shared layer's, that have a `.bak`. */
async function layerFiles(config: Config, name: string, options: Options, ctx: CliContext): Promise<string[]> {
  const shared = name.startsWith('@');
  const opened = await openStacks({ ...options, environments: shared ? [] : [name] });
  ctx.output.stderr(renderWarnings(opened.warnings, ctx.output.colors));
  if (!shared && opened.stacks.length > 1) {
    throw new TfsyncError(`${opened.stacks.length} stacks have environment "${name}" (${listNames(opened.stacks.map((s) => s.name ?? ''))}): name one with --stack`, { code: 'ambiguous-stack' });
  }
  const candidates = new Set<string>();
  for (const stack of opened.stacks) {
    if (shared) {
      const files = stack.shared.filter((f) => name === SHARED || `@${f.layer.name}` === name);
      if (name !== SHARED && files.length === 0) throw new TfsyncError(`unknown layer "${name}" (layers without {env}: ${listNames(stack.shared.map((f) => `@${f.layer.name}`))})`, { code: 'unknown-environment' });
      for (const f of files) candidates.add(f.path);
    } else {
      for (const f of stack.environments.find((e) => e.name === name)?.files ?? []) if (ownLayer(config, f.layer)) candidates.add(f.path);
    }
  }
  const withBackup: string[] = [];
  for (const path of candidates) if (await fileExists(backupPath(path), ctx.fs)) withBackup.push(path);
  if (withBackup.length === 0) await noBackup([...candidates], ctx);
  return withBackup;
}

async function noBackup(paths: string[], ctx: CliContext): Promise<void> {
  const missing = [];
  for (const path of paths) if (!(await fileExists(backupPath(path), ctx.fs))) missing.push(displayPath(ctx.cwd, backupPath(path)));
  if (missing.length === 0 && paths.length > 0) return;
  throw new TfsyncError(`no backup to restore: ${missing.length > 0 ? missing.join(', ') : 'no file'} ${missing.length === 1 ? 'does' : 'do'} not exist`, {
    code: 'no-backup',
    hint: 'tfsync writes it when promote, backport, set or restore change the file',
  });
}
