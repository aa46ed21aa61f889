/** `tfsync envs`: the environments the config finds, and the shared file. Reads no tfvars file. */
import { displayPath, fileExists, loadConfigAndEnvironments } from '../../io/load-repository.js';
import { SHARED } from '../../model/environments.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export const envsCommand = defineCommand({
  command: 'envs',
  describe: 'List the environments tfsync.json finds, with their files, and the shared file',
  builder: (yargs) => yargs.option('json', { type: 'boolean', describe: 'Write one JSON document: { config, environments, shared }' }),
  run: async (args, ctx) => {
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
