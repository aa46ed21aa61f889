/** `tfsync envs`: the environments the config finds, and the shared file. Reads no tfvars file. */
import { discoverLayers } from '../../io/discover-layers.js';
import { displayPath, fileExists, loadConfigAndEnvironments, loadConfigOnly } from '../../io/load-repository.js';
import { isGeneralForm, type Config } from '../../model/config.js';
import { SHARED } from '../../model/environments.js';
import { defineCommand, EXIT_OK, type CliContext } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export const envsCommand = defineCommand({
  command: 'envs',
  describe: 'List the environments tfsync.json finds, with their files, and the shared file',
  builder: (yargs) => yargs.option('json', { type: 'boolean', describe: 'Write one JSON document: { config, environments, shared }' }),
  run: async (args, ctx) => {
    const general = await loadConfigOnly({ cwd: ctx.cwd, config: args.config, fs: ctx.fs });
    if (isGeneralForm(general)) return listLayers(general, args.stack ?? [], args.json === true, ctx);
    const { config, environments, warnings } = await loadConfigAndEnvironments({ cwd: ctx.cwd, config: args.config, fs: ctx.fs });
    ctx.output.stderr(renderWarnings(warnings, ctx.output.colors));
    const show = (path: string) => displayPath(ctx.cwd, path);
    const sharedExists = await fileExists(config.shared, ctx.fs);
    const rows = [...environments.map((e) => ({ name: e.name, file: show(e.file) })), { name: SHARED, file: show(config.shared) }];
    if (args.json) {
      const doc = {
        config: show(config.path),
        environments: rows.slice(0, -1),
        shared: { name: SHARED, file: show(config.shared), exists: sharedExists },
      };
      ctx.output.stdout(`${JSON.stringify(doc, null, 2)}\n`);
      return EXIT_OK;
    }
    const { colors } = ctx.output;
    const width = Math.max(...rows.map((r) => r.name.length));
    const lines = rows.map((r) => {
      const missing = r.name === SHARED && !sharedExists ? colors.dim(' (not created yet; the first promotion to @shared creates it)') : '';
      return `${(r.name === SHARED ? colors.dim : colors.bold)(r.name.padEnd(width))}  ${r.file}${missing}`;
    });
    if (environments.length === 0) {
      const pattern = show(config.environments);
      lines.unshift(colors.yellow(`No environments: no file matches ${pattern} (see "environments" in ${show(config.path)}).`));
    }
    ctx.output.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
});

/** The general form: each stack's environments, and the files each reads in layer order. */
async function listLayers(config: Config, stacks: string[], json: boolean, ctx: CliContext): Promise<number> {
  const layout = await discoverLayers(config, stacks);
  ctx.output.stderr(renderWarnings(layout.warnings, ctx.output.colors));
  const show = (path: string) => displayPath(ctx.cwd, path);
  const files = (list: typeof layout.stacks[number]['shared']) =>
    Promise.all(list.map(async (f) => ({ layer: f.layer.name, file: show(f.path), exists: await fileExists(f.path, ctx.fs) })));
  const rows = await Promise.all(
    layout.stacks.flatMap((s) => s.environments.map(async (e) => ({ ...(s.name !== undefined ? { stack: s.name } : {}), name: e.name, files: await files(e.files) }))),
  );
  const shared = await Promise.all(layout.stacks.map(async (s) => ({ ...(s.name !== undefined ? { stack: s.name } : {}), files: await files(s.shared) })));
  if (json) {
    // `file` is the most specific layer's, as in the classic form; `files` lists every layer's.
    const environments = rows.map((r) => ({ ...r, file: r.files[r.files.length - 1]?.file ?? '' }));
    ctx.output.stdout(`${JSON.stringify({ config: show(config.path), environments, shared }, null, 2)}\n`);
    return EXIT_OK;
  }
  const { colors } = ctx.output;
  const name = (r: { stack?: string; name: string }) => (r.stack !== undefined ? `${r.stack}/${r.name}` : r.name);
  const width = Math.max(0, ...rows.map((r) => name(r).length));
  const lines = rows.map((r) => {
    const list = r.files.map((f) => `${f.file}${f.exists ? '' : colors.dim(' (absent)')}`).join(colors.dim(' → '));
    return `${colors.bold(name(r).padEnd(width))}  ${list}`;
  });
  if (rows.length === 0) lines.push(colors.yellow(`No environments: no layer with {env} has a file (see "layers" in ${show(config.path)}).`));
  ctx.output.stdout(`${lines.join('\n')}\n`);
  return EXIT_OK;
}
