/**
 * The direct parser (src/cli/direct-args.ts) runs plain invocations without yargs. It must hand a
 * command exactly the arguments yargs would, and leave to yargs everything it does not fully
 * understand. Proven against yargs itself: tfsync's real yargs program runs every command's real
 * builder on the same arguments, with a run function that records what it receives.
 */
import fc from 'fast-check';
import type { Options } from 'yargs';
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS, type CliContext, type CommandSpec } from '../../src/cli/command.js';
import { commandLoaders } from '../../src/cli/commands/index.js';
import { parseDirect } from '../../src/cli/direct-args.js';
import { captureOutput } from '../../src/cli/output.js';
import { yargsFor } from '../../src/cli/run.js';

const specs = Object.fromEntries(await Promise.all(Object.entries(commandLoaders).map(async ([name, load]) => [name, await load()] as const)));
const ctx: CliContext = { output: captureOutput(), cwd: '/', env: {}, stdoutIsTTY: false };

/** What yargs hands the command for `argv`, or undefined when it refuses the arguments. */
async function viaYargs(argv: string[]): Promise<Record<string, unknown> | undefined> {
  let received: Record<string, unknown> | undefined;
  const recording = Object.values(specs).map((spec) => ({
    ...spec,
    run: async (args: Record<string, unknown>) => {
      received = args;
      return 0;
    },
  })) as Array<CommandSpec<any>>;
  const program = await yargsFor(argv, recording, ctx, { code: 0 });
  try {
    await program.parseAsync();
  } catch {
    return undefined;
  }
  return received;
}

/** The options a command declares, by recording its builder. */
function declared(spec: CommandSpec<any>): { options: Map<string, Options>; positionals: string[] } {
  const options = new Map<string, Options>(Object.entries(GLOBAL_OPTIONS));
  const positionals: string[] = [];
  const recorder = {
    option: (key: string, opts: Options) => (options.set(key, opts), recorder),
    positional: (key: string) => (positionals.push(key), recorder),
  };
  spec.builder(recorder as never);
  return { options, positionals };
}

const camel = (key: string) => key.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase());

/** The part of the arguments a command reads: every declared name, in both spellings, and `_`. */
function projection(spec: CommandSpec<any>, args: Record<string, unknown>): Record<string, unknown> {
  const { options, positionals } = declared(spec);
  const keys = new Set(['_', ...positionals, ...positionals.map(camel)]);
  for (const [key, opts] of options) {
    for (const name of [key, ...(opts.alias === undefined ? [] : [opts.alias].flat())]) keys.add(name).add(camel(name));
  }
  return Object.fromEntries([...keys].filter((key) => args[key] !== undefined).map((key) => [key, args[key]]));
}

describe('parseDirect', () => {
  const plain: string[][] = [
    ['diff', 'englacial', 'prod'],
    ['diff', 'a', 'b', 'c', '--all', '--format', 'markdown', '--detailed-exitcode'],
    ['diff', 'a', 'b', '--json', '--no-color', '--config=x/tfsync.json'],
    ['diff', '2024', '@shared', '--show-sensitive'],
    ['show', 'prod', '--format=tfvars-json'],
    ['check'],
    ['check', 'dev', 'prod', '--format', 'github'],
    ['envs', '--json'],
    ['get', 'envs/prod.tfvars', 'image_tag', 'replicas', '--json'],
    ['set', 'f.tfvars', 'replicas=3', 'tag="v1"', '--dry-run'],
    ['promote', 'dev', 'prod', '--only', 'a,b', '-y', '--verbose'],
    ['promote', 'dev', 'prod', '--var', 'x', '--var', 'y'],
    ['backport', 'prod', 'dev', '--dry-run', '--detailed-exitcode', '--prune'],
    ['restore', 'prod', '--yes'],
    ['validate', '--strict', '--format', 'json'],
    ['init', '--from-makefile', 'Makefile', '--dry-run'],
  ];

  it.each(plain)('%s: runs without yargs, with exactly the arguments yargs gives', async (...argv) => {
    const spec = specs[argv[0]!]!;
    const direct = parseDirect(argv, spec);
    const yargs = await viaYargs(argv);
    // yargs must accept these (else the example is wrong), and then the direct parser must too.
    expect(yargs).toBeDefined();
    if (argv.includes('--var') && argv.filter((a) => a === '--var').length > 1) {
      // A repeated option is a list: left to yargs.
      expect(direct).toBeUndefined();
      return;
    }
    expect(direct).toBeDefined();
    expect(projection(spec, direct!)).toEqual(projection(spec, yargs!));
  });

  it.each([
    [['diff', 'englacial', 'prod', '--help']],
    [['diff', '-h']],
    [['diff', '--version']],
    [['diff', 'a']],
    [['diff', 'a', 'b', '--bogus']],
    [['diff', 'a', 'b', '--format', 'yaml']],
    [['diff', 'a', 'b', '--', '--all']],
    // (show takes key paths after the environment: `show a b` is a valid call now.)
    [['show']],
    [['set', 'f.tfvars']],
    [['check', '--format']],
    [['get', '-']],
    // yargs-parser alone would glue these into "prod1".
    [['init', '--fromMakefile=prod', '--fromMakefile=0x1']],
  ])('%j: left to yargs', (argv) => {
    expect(parseDirect(argv, specs[argv[0]!]!)).toBeUndefined();
  });

  it('leaves exec to yargs, whose `--` holds the command', () => {
    expect(parseDirect(['exec', 'prod', '--', 'terraform', 'plan'], specs['exec']!)).toBeUndefined();
    expect(parseDirect(['exec', 'prod'], specs['exec']!)).toBeUndefined();
  });

  it('never disagrees with yargs on generated arguments', async () => {
    const words = ['prod', 'dev', '@shared', '2024', '0x1', 'a,b', 'x=1', '', '-', 'true', 'false'];
    // exec's builder sets yargs' parser up for the command after `--`, which the direct parser never takes.
    const command = fc.constantFrom(...Object.keys(specs).filter((name) => name !== 'exec'));
    const argvs = command.chain((name) => {
      const { options } = declared(specs[name]!);
      const flags = [...options.keys()].flatMap((key) => [`--${key}`, `--no-${key}`, `--${camel(key)}`]);
      const token = fc.oneof(
        fc.constantFrom(...words),
        fc.constantFrom(...flags, '-y', '-v', '-yv', '--unknown', '--help'),
        fc.tuple(fc.constantFrom(...flags), fc.constantFrom(...words, 'json', 'markdown', 'github')).map(([f, w]) => `${f}=${w}`),
      );
      return fc.array(token, { maxLength: 6 }).map((rest) => [name, ...rest]);
    });
    let ranDirect = 0;
    await fc.assert(
      fc.asyncProperty(argvs, async (argv) => {
        const spec = specs[argv[0]!]!;
        const direct = parseDirect(argv, spec);
        if (direct === undefined) return;
        ranDirect++;
        const yargs = await viaYargs(argv);
        expect(yargs, `yargs refused ${JSON.stringify(argv)}`).toBeDefined();
        expect(projection(spec, direct)).toEqual(projection(spec, yargs!));
      }),
      { numRuns: Number(process.env.DIRECT_ARGS_RUNS ?? 300) },
    );
    // The property says nothing if the direct parser never runs.
    expect(ranDirect).toBeGreaterThan(30);
  });
});
