/**
 * The arguments of a plain, well-formed invocation, parsed without yargs.
 *
 * yargs costs more to start than a whole `tfsync diff` on a typical repository: its import builds
 * an `Intl.Segmenter` and Unicode regular expressions for help text, and a run lays out help on
 * every parse. That alone would make tfsync more than twice as slow as a bare `node -e 0`. So a run
 * whose arguments are fully understood here skips it: they are parsed by yargs-parser (the parser
 * yargs itself uses, with the same settings) under the options the command's own builder declares,
 * recorded by running the builder against a small recorder instead of yargs.
 *
 * Anything less plain (help, `--version`, an unknown option, a missing or extra positional, a value
 * outside `choices`, a builder that uses more of yargs than positional() and option()) returns
 * undefined, and yargs parses the arguments with its own checks and messages. A test compares the
 * two parsers' results on the same arguments.
 */
import parser from 'yargs-parser';
import type { Options, PositionalOptions } from 'yargs';
import { GLOBAL_OPTIONS, type CommandSpec } from './command.js';

/** What the command handler receives: yargs' shape, options under kebab-case and camelCase names. */
export type DirectArgs = Record<string, unknown> & { _: Array<string | number>; $0: string };

interface Positional {
  name: string;
  required: boolean;
  variadic: boolean;
}

interface RecordedOptions {
  positionals: Map<string, PositionalOptions>;
  options: Map<string, Options>;
}

/**
 * Arguments that always need yargs: it prints help and the version, and has its own readings of
 * `--` and of a lone `-` (which it hands over as an empty string).
 */
const YARGS_ONLY = new Set(['--help', '-h', '--version', '--', '-']);

export function parseDirect(argv: readonly string[], spec: CommandSpec<any>, scriptName = 'tfsync'): DirectArgs | undefined {
  if (argv.some((arg) => YARGS_ONLY.has(arg) || arg.startsWith('--help=') || arg.startsWith('--version='))) return undefined;
  const [name, ...positionals] = commandSyntax(spec.command);
  if (name === undefined || argv[0] !== name) return undefined;
  const recorded = record(spec);
  if (!recorded) return undefined;

  const options = new Map<string, Options>([...Object.entries(GLOBAL_OPTIONS), ...recorded.options]);
  const config = parserOptions(options);
  const parsed = parser.detailed(argv.slice(1) as string[], config);
  if (parsed.error) return undefined;
  const args = parsed.argv as Record<string, unknown> & { _: Array<string | number> };

  const known = new Set<string>(['_', ...[...options].flatMap(([key, opts]) => spellings(key, opts))]);
  if (Object.keys(args).some((key) => !known.has(key))) return undefined;
  for (const [key, opts] of options) {
    // `--fromMakefile` sets only that spelling; yargs hands the command every spelling.
    const names = spellings(key, opts);
    const given = [...new Set(names.map((name) => args[name]).filter((value) => value !== undefined))];
    if (given.length > 1 || !fits(given[0], opts)) return undefined;
    if (given.length === 1) for (const name of names) args[name] = given[0];
  }

  const words = args._.map(String);
  const result: DirectArgs = { ...args, _: [name], $0: scriptName };
  for (const positional of positionals) {
    const opts = recorded.positionals.get(positional.name) ?? {};
    if (positional.variadic) {
      const rest = words.splice(0);
      if (positional.required && rest.length === 0) return undefined;
      if (rest.length > 0 || opts.array) setBoth(result, positional.name, rest);
      continue;
    }
    const word = words.shift();
    if (word === undefined) {
      if (positional.required || opts.demandOption) return undefined;
      continue;
    }
    setBoth(result, positional.name, word);
  }
  // A word no positional takes: yargs' strict mode has the message for it.
  if (words.length > 0) return undefined;

  for (const [key, opts] of options) {
    if (opts.coerce === undefined || result[key] === undefined) continue;
    try {
      const value: unknown = opts.coerce(result[key]);
      for (const name of spellings(key, opts)) result[name] = value;
    } catch {
      return undefined;
    }
  }
  return result;
}

/** `diff <env1> <env2> [others..]` → the name, then each positional. */
function commandSyntax(command: string | readonly string[]): [string | undefined, ...Positional[]] {
  const syntax = typeof command === 'string' ? command : command[0]!;
  const [name, ...words] = syntax.trim().split(/\s+/);
  const positionals = words.map((word) => {
    const match = /^([<[])([\w-]+)(\.\.)?[>\]]$/.exec(word);
    return match ? { name: match[2]!, required: match[1] === '<', variadic: match[3] !== undefined } : undefined;
  });
  if (name === undefined || positionals.some((p) => p === undefined)) return [undefined];
  return [name, ...(positionals as Positional[])];
}

/**
 * Runs the builder against a recorder of positional() and option() calls. A builder that calls
 * anything else (a check, conflicts, examples) throws here, and the run is left to yargs.
 */
function record(spec: CommandSpec<any>): RecordedOptions | undefined {
  const recorded: RecordedOptions = { positionals: new Map(), options: new Map() };
  const recorder = {
    positional(key: string, opts: PositionalOptions) {
      recorded.positionals.set(key, opts);
      return recorder;
    },
    option(key: string, opts: Options) {
      recorded.options.set(key, opts);
      return recorder;
    },
  };
  try {
    spec.builder(recorder as never);
  } catch {
    return undefined;
  }
  return recorded;
}

function parserOptions(options: ReadonlyMap<string, Options>): parser.Options {
  const alias: Record<string, string[]> = {};
  const array: string[] = [];
  const boolean: string[] = [];
  const string: string[] = [];
  const defaults: Record<string, unknown> = {};
  for (const [key, opts] of options) {
    if (opts.type === 'boolean') boolean.push(key);
    if (opts.type === 'string' || opts.choices !== undefined) string.push(key);
    if (opts.array) array.push(key);
    if (opts.default !== undefined) defaults[key] = opts.default;
    // The camelCase spelling is an alias too, so that `--fromMakefile` is read with the option's type.
    const aliases = spellings(key, opts).filter((name) => name !== key);
    if (aliases.length > 0) alias[key] = aliases;
  }
  // As yargs sets it up: words stay text unless an option says otherwise.
  return { alias, array, boolean, string, default: defaults, configuration: { 'parse-positional-numbers': false } };
}

/** Whether a parsed value is one yargs would accept without a word: of its type, among the choices. */
function fits(value: unknown, opts: Options): boolean {
  if (value === undefined) return !opts.demandOption;
  if (opts.array) return Array.isArray(value) && value.every((item) => fits(item, { ...opts, array: false }));
  // Given twice, an option becomes a list; yargs decides what that means.
  if (Array.isArray(value)) return false;
  if (opts.type === 'boolean') return typeof value === 'boolean';
  if (opts.type === 'string' && typeof value !== 'string') return false;
  return opts.choices === undefined || (opts.choices as unknown[]).includes(value);
}

/** Every name an option goes by: its key and aliases, each also in camelCase. */
function spellings(key: string, opts: Options): string[] {
  const aliases = opts.alias === undefined ? [] : [opts.alias].flat();
  return [...new Set([key, ...aliases].flatMap((name) => [name, camelCase(name)]))];
}

function setBoth(args: Record<string, unknown>, key: string, value: unknown): void {
  args[key] = value;
  args[camelCase(key)] = value;
}

function camelCase(key: string): string {
  return key.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase());
}
