/**
 * `tfsync var-files ENV [--stack S]`: the `-var-file=...` arguments that give Terraform exactly the
 * layers tfsync models, in order (`terraform plan $(tfsync var-files prod)`). Reads no tfvars file.
 */
import { TfsyncError } from '../../errors.js';
import { discoverLayers, type StackLayout } from '../../io/discover-layers.js';
import { displayPath, fileExists, loadConfigOnly } from '../../io/load-repository.js';
import { resolveEnvironment } from '../../model/environments.js';
import { defineCommand, EXIT_OK } from '../command.js';
import { renderWarnings } from '../render/messages.js';

export const varFilesCommand = defineCommand({
  command: 'var-files <environment>',
  describe: "Print an environment's -var-file arguments in layer order, for terraform plan/apply",
  builder: (yargs) =>
    yargs
      .positional('environment', { type: 'string', demandOption: true, describe: 'An environment name' })
      .option('json', { type: 'boolean', describe: 'Write one JSON document: { environment, stacks: [ { stack, files } ] }' }),
  run: async (args, ctx) => {
    const config = await loadConfigOnly({ cwd: ctx.cwd, config: args.config, fs: ctx.fs });
    const layout = await discoverLayers(config, args.stack ?? []);
    ctx.output.stderr(renderWarnings(layout.warnings, ctx.output.colors));
    const stacks = layout.stacks.filter((s) => s.environments.some((e) => e.name === args.environment));
    if (stacks.length === 0) {
      const known = [...new Set(layout.stacks.flatMap((s) => s.environments.map((e) => e.name)))].map((name) => ({ name, file: '' }));
      resolveEnvironment(config, known, args.environment);
    }
    const show = (path: string) => displayPath(ctx.cwd, path);
    // Terraform fails on a -var-file that does not exist: an optional layer's missing file is left out.
    const files = async (s: StackLayout) => {
      const env = s.environments.find((e) => e.name === args.environment)!;
      const present = await Promise.all(env.files.map(async (f) => ((await fileExists(f.path, ctx.fs)) ? f : undefined)));
      return present.filter((f) => f !== undefined).map((f) => ({ layer: f.layer.name, file: show(f.path) }));
    };
    const found = await Promise.all(stacks.map(async (s) => ({ stack: s.name, files: await files(s) })));
    if (args.json) {
      ctx.output.stdout(`${JSON.stringify({ environment: args.environment, stacks: found.map((f) => ({ ...(f.stack !== undefined ? { stack: f.stack } : {}), files: f.files })) }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (found.length > 1) {
      throw new TfsyncError(`${found.length} stacks have environment "${args.environment}" (${found.map((f) => f.stack).join(', ')}): name one with --stack`, {
        code: 'ambiguous-stack',
        hint: `e.g. terraform -chdir=... plan $(tfsync var-files ${args.environment} --stack ${found[0]!.stack})`,
      });
    }
    ctx.output.stdout(found[0]!.files.map((f) => `-var-file=${shellWord(f.file)}\n`).join(''));
    return EXIT_OK;
  },
});

/** A path as one shell word: `$(...)` splits on spaces, so a path with one cannot be given there. */
function shellWord(path: string): string {
  if (/\s/.test(path)) throw new TfsyncError(`${path} has white space: $(tfsync var-files ...) would split it; use --json`, { code: 'usage' });
  return path;
}
