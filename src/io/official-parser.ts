/**
 * The official HCL parser (`@cdktn/hcl2json`, HashiCorp's parser compiled to WASM), loaded only
 * when a command needs it: starting it costs a hundred milliseconds or more, which read-only
 * commands must never pay. Nothing may import the package statically.
 *
 * How the package starts (0.24.0, build/bridge.js): requiring it reads `main.wasm.gz`, gunzips it
 * synchronously (~7 MB of WASM), `WebAssembly.instantiate`s the bytes and runs the Go program,
 * which registers `parse`; every call waits until that is done. V8 compiles WASM lazily (each
 * function with Liftoff, its baseline compiler, on first call) and, with dynamic tiering, recompiles
 * the functions that get hot with TurboFan on background threads.
 *
 * That tier-up is what made verifying a write slow. Go compiles to a few thousand very large WASM
 * functions; TurboFan spends ~0.7 s of CPU on the hot ones while the first parses run, and on a
 * 2-core machine those background compilations take the cores the parse itself needs. Measured on
 * that machine (Node 20.20, V8 11.3; fresh process, medians of 5–7, interleaved; the 81 KB and
 * 41 KB texts of `promote` on a 1,000-variable layout):
 *
 *   | V8 flags while compiling                  | first call | 81 KB  | 41 KB  | CPU time |
 *   | default (dynamic tiering)                 | 146 ms     | 384 ms | 178 ms | 1141 ms  |
 *   | --liftoff-only, set here at run time      | 146 ms     | 141 ms |  53 ms |  415 ms  |
 *   | --no-wasm-tier-up / --no-wasm-dynamic-... | 186–201 ms | ~350   | ~150   | ~1200 ms |
 *   | --wasm-num-compilation-tasks=1            | 161 ms     | 183 ms |  88 ms |  772 ms  |
 *   | --wasm-tiering-budget=20000000            | 143 ms     | 349 ms | 117 ms | 1004 ms  |
 *
 * Liftoff code is slower in the steady state, so Liftoff-only pays off only for a bounded amount
 * of input: parsing a 40-environment layout file after file (variables.tf first), it was ahead up
 * to ~3.5 MB on the loaded machine (0.45 MB: 1.0 s vs 2.4 s; 1.1 MB: 1.8 s vs 3.1 s; 3.5 MB: 5.4 s
 * vs 5.5 s) and the CPU time crossed at ~3 MB. Hence LIFTOFF_ONLY_LIMIT: a write (a few files) and
 * `validate` on a repository of ordinary size compile Liftoff-only; `validate` over megabytes of
 * tfvars keeps V8's default tiering. Whole commands, before → after (same minutes, medians):
 * `promote dev staging --yes` on 3 × 1,000 variables 1.87–1.95 s → 1.08 s (CPU 1.97 → 1.06 s);
 * `validate` on the demo 1.18 s → 0.48 s; `validate` on 3 × 1,000 (0.37 MB) 3.0 s → 2.1 s; on
 * 40 × 1,000 (3.6 MB, default tiering) 6.4 s → 5.9 s, unchanged within the noise.
 *
 * The flag is set with `v8.setFlagsFromString` just before the package is required and put back
 * as soon as the module is compiled and running. V8 fixes a module's tiers when it compiles the
 * module (checked with `--trace-wasm-compilation-times`: no TurboFan compilation of the module's
 * functions after the flag is put back, including functions first called afterwards), so the
 * flag neither leaks into other WASM a host process compiles later (tfsync is also a library:
 * `runCli`) nor needs to stay set. V8 documents flags changed after start-up as unsupported; if
 * the call fails, or the user already chose WASM flags on the command line, nothing is changed and
 * the parser simply runs with whatever tiering V8 has.
 *
 * Tried and not kept: running the parser on a worker thread started with `promote`, so that its
 * start-up and parses overlap the repository load and the diff on the second core. The thread
 * costs ~70 ms more CPU than loading here (a second Node instance), and on the shared 2-core
 * machine, where other work keeps both cores busy, the main thread spent 230–340 ms of each run
 * waiting for it: no faster (medians 0.93–1.52 s against 0.90–1.59 s, same minutes), more
 * complex. It would pay on an idle machine with the thread started first thing in the process.
 */
import { setFlagsFromString } from 'node:v8';
import { TfsyncError } from '../errors.js';
import { LineCounter } from '../hcl/line-counter.js';

type Hcl2Json = typeof import('@cdktn/hcl2json');

/**
 * Characters of input up to which the module is compiled Liftoff-only (see above). Chosen below
 * the measured crossover, where Liftoff-only was still ahead by a third.
 */
export const LIFTOFF_ONLY_LIMIT = 2_000_000;

/** How the module was compiled; undefined until it is loaded. */
export type OfficialParserTiering = 'liftoff-only' | 'default' | 'unchanged';

let loading: Promise<Hcl2Json> | undefined;
/** Whether the load has chosen its tiering (after that, announced sizes change nothing). */
let decided = false;
let tiering: OfficialParserTiering | undefined;
/** Characters announced by expectOfficialParsing before the load. */
let expected = 0;
/** Characters of the officialValues calls waiting for the load. */
let queued = 0;

/**
 * Announces how much text this process is about to give the official parser, so that the first
 * load can choose how V8 compiles it. Calls made after the parser is loaded change nothing.
 * Calls to officialValues made in the same synchronous run as the first one (for example a
 * Promise.all over every file) are counted without it.
 */
export function expectOfficialParsing(characters: number): void {
  if (!decided) expected = Math.max(expected, characters);
}

/** How the official parser was compiled in this process, once it is loaded (for tests and benchmarks). */
export function officialParserTiering(): OfficialParserTiering | undefined {
  return tiering;
}

/** The V8 flag to compile the module with, for this many characters of expected input. */
export function tieringFor(characters: number): 'liftoff-only' | 'default' {
  return characters <= LIFTOFF_ONLY_LIMIT ? 'liftoff-only' : 'default';
}

function load(): Promise<Hcl2Json> {
  // Decided one microtask later, so that every call made in the same synchronous run is counted.
  loading ??= Promise.resolve().then(async () => {
    decided = true;
    const wanted = tieringFor(Math.max(expected, queued));
    const release = wanted === 'liftoff-only' ? holdLiftoffOnly() : undefined;
    try {
      const mod = await import('@cdktn/hcl2json');
      // A CommonJS package: its exports are named exports or sit on `default`, depending on the loader.
      const withDefault = mod as Hcl2Json & { default?: Hcl2Json };
      const hcl2json = typeof mod.parse === 'function' ? mod : withDefault.default!;
      // Every call waits until the module is instantiated and the Go program runs: after this one
      // the module is compiled, with its tiers fixed, and the flag can go back.
      await hcl2json.parse(INTERNAL_NAME, '');
      tiering = release ? 'liftoff-only' : wanted === 'default' ? 'default' : 'unchanged';
      return hcl2json;
    } finally {
      release?.();
    }
  });
  return loading;
}

/**
 * Sets `--liftoff-only`; returns the function that puts it back, or undefined when it was not set
 * (the user chose WASM flags, or V8 refused).
 */
function holdLiftoffOnly(): (() => void) | undefined {
  if (userChoseWasmFlags() || !setFlag('--liftoff-only')) return undefined;
  return () => void setFlag('--no-liftoff-only');
}

function setFlag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}

/** `node --liftoff-only ...`, `--no-wasm-tier-up` and the like: the user's choice stands. */
function userChoseWasmFlags(): boolean {
  return process.execArgv.some((arg) => /^--(no-)?(liftoff|wasm)/.test(arg));
}

/**
 * Parses native-syntax HCL with the official parser and returns its JSON form, or throws a
 * TfsyncError at the position of the first error it reports (the others in `more`).
 */
export async function officialValues(fileName: string, text: string): Promise<Record<string, unknown>> {
  if (!decided) queued += text.length;
  const hcl2json = await load();
  try {
    return await hcl2json.parse(INTERNAL_NAME, text);
  } catch (err) {
    throw officialError(fileName, text, err instanceof Error ? err.message : String(err));
  }
}

/**
 * The parser is given this name rather than the real one, so that the positions can be found in
 * its messages whatever characters the real path holds. It decides the syntax by the name's
 * extension; tfsync only asks it about native syntax.
 */
const INTERNAL_NAME = 'input.tfvars';
/** `input.tfvars:2,8-9: ` or `input.tfvars:1,6-2,1: `: the start of each reported error. */
const POSITION = /input\.tfvars:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: /g;

/** Turns `parse config: [input.tfvars:2,8-9: Summary; Detail. ...]` into located errors. */
export function officialError(fileName: string, text: string, message: string): TfsyncError {
  const matches = [...message.matchAll(POSITION)];
  if (matches.length === 0) {
    return new TfsyncError(`the official HCL parser failed on ${fileName}: ${message.split(INTERNAL_NAME).join(fileName)}`, { code: 'official-parser' });
  }
  const lines = new LineCounter(text);
  const errors = matches.map((match, i) => {
    const end = matches[i + 1]?.index ?? message.lastIndexOf(']');
    const body = message.slice(match.index + match[0].length, end > match.index ? end : undefined).trim();
    const offset = offsetOf(lines, Number(match[1]), Number(match[2]));
    return new TfsyncError(body.split(INTERNAL_NAME).join(fileName), {
      code: 'official-parser',
      location: { file: fileName, text, range: { start: offset, end: offset } },
    });
  });
  const [first, ...rest] = errors;
  return new TfsyncError(first!.message, { code: 'official-parser', location: first!.location, more: rest });
}

/** HCL's 1-based line and column (counted in characters) as an offset into the text. */
function offsetOf(lines: LineCounter, line: number, col: number): number {
  const text = lines.text;
  let offset = lines.lineStarts[line - 1] ?? text.length;
  for (let c = 1; c < col && offset < text.length; c++) {
    const code = text.charCodeAt(offset);
    offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
  }
  return offset;
}
