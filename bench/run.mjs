/**
 * tfsync benchmarks against the design's performance budget (DESIGN.md "Performance budget";
 * docs/performance.md for how to read the results). `npm run bench` compiles, then runs this file.
 *
 *   node bench/run.mjs [--only <section>[,<section>...]] [--quick] [--check] [--out <file>]
 *                      [--runs <n>] [--size-mb <n>]
 *
 * Sections (ids for --only; a part of an id selects every section containing it):
 *   diff-makefile  `tfsync diff A B` next to the seed Makefile's `sync-diff`, 40 / 200 / 1,000 variables
 *   diff-demo      `tfsync diff englacial prod` on the shipped demo next to a bare `node -e 0`
 *   check          `tfsync check` over 200 environments × 1,000 variables: time and peak memory
 *   promote        `tfsync promote A B --yes` on a 1,000-variable target, verification included
 *   parse          parser throughput next to @cdktn/hcl2json on the same 10 MB input
 *   layers         the general form: check over 50 stacks × 10 environments × 2 layers × 200 variables, diff --stack
 *   large-file     peak memory per input byte of `tfsync get` on a generated 40 MB .tfvars.json (and .tfvars)
 *
 * Every command row is a whole process (`node dist/cli/main.js ...`), timed from spawn to exit; the
 * figure is the median of several runs after one unmeasured warm-up, and commands that are compared
 * are run interleaved in the same session, so that ratios do not depend on the machine's mood.
 *
 * --quick   fewer runs and smaller layouts (for the smoke test); rows below the budget's sizes are
 *           printed but not judged.
 * --check   exit 1 when any row FAILs its target (or a section errors).
 * --out     where the markdown goes (default bench/results/latest.md, git-ignored).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateLayout, generateStacksLayout, generateTfvars } from './generate.mjs';
import { describeMachine, measureProcesses, median, memoryMethod } from './measure.mjs';
import { extractSeedMakefile, SEED_PATH } from './seed-makefile.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(here, '..');
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');
const MB = 1_000_000;

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    out: { type: 'string' },
    runs: { type: 'string' },
    'size-mb': { type: 'string' },
  },
});
const QUICK = args.quick;
const RUNS_OVERRIDE = args.runs === undefined ? undefined : Math.max(1, Number(args.runs));
/** Measured runs for a row: the full-suite count, 2 in --quick, or --runs. */
const runs = (full) => RUNS_OVERRIDE ?? (QUICK ? 2 : full);

// Started before anything of ours loads the machine.
const machine = describeMachine(REPO_ROOT);

// --- helpers -----------------------------------------------------------------------------------------

const fmt = {
  mb: (bytes) => `${(bytes / MB).toFixed(2)} MB`,
  rss: (kb) => (kb === undefined ? '—' : `${((kb * 1024) / MB).toFixed(0)} MB`),
  rate: (mbPerSecond) => `${mbPerSecond.toFixed(mbPerSecond < 10 ? 2 : 1)} MB/s`,
  ms: (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`),
  ratio: (r) => `${r.toFixed(r < 10 ? 2 : 1)}×`,
  times: (list) => list.map((t) => fmt.ms(t)).join(', '),
  cpu: (ms) => (ms === undefined ? '—' : fmt.ms(ms)),
};

let tmpRoot;
function tmpDir(name) {
  tmpRoot ??= mkdtempSync(join(os.tmpdir(), 'tfsync-bench-'));
  const dir = join(tmpRoot, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
function cleanUp() {
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
  tmpRoot = undefined;
}

/** The environment of every benchmarked process: ours, minus what would change tfsync's or make's behaviour. */
const childEnv = (() => {
  const env = { ...process.env };
  for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'NO_COLOR', 'MAKEFLAGS', 'MFLAGS', 'MAKELEVEL', 'MAKEOVERRIDES']) delete env[name];
  return env;
})();

const tfsync = (name, cwd, cliArgs, extra = {}) => ({ name, command: process.execPath, args: [CLI, ...cliArgs], cwd, env: childEnv, ...extra });

function works(command, commandArgs) {
  const r = spawnSync(command, commandArgs, { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

function du(dir, rels) {
  return rels.reduce((sum, rel) => sum + statSync(join(dir, rel)).size, 0);
}

/** `node -e 0`, measured once per run of the suite (diff-demo measures it interleaved and stores it here). */
let nodeBaseline;
function baseline() {
  nodeBaseline ??= measureProcesses([{ name: 'node', command: process.execPath, args: ['-e', '0'], cwd: REPO_ROOT, env: childEnv }], { runs: runs(9) }).node;
  return nodeBaseline;
}

const judged = (condition) => (condition ? 'PASS' : 'FAIL');
const NOT_JUDGED = '—';

// --- sections ----------------------------------------------------------------------------------------

/** `tfsync diff` next to the seed Makefile's sync-diff: ≥ 2× at 40 variables, ≥ 25× at 1,000. */
async function diffVsMakefile() {
  const TARGETS = { 40: 2, 1000: 25 };
  const sizes = QUICK ? [40] : [40, 200, 1000];
  const RUNS = { 40: 9, 200: 5, 1000: 5 };

  const seed = extractSeedMakefile();
  const skip = seed === undefined ? `the seed document is absent (${SEED_PATH})`
    : !works('make', ['--version']) ? 'make is not installed'
    : !existsSync('/bin/bash') ? '/bin/bash is absent (the seed recipes use `echo -e`)'
    : undefined;

  const rows = [];
  const budget = [];
  const notes = [];
  for (const variables of sizes) {
    const dir = tmpDir(`diff-${variables}`);
    const layout = generateLayout(dir, { environments: 3, variables, seed: 1, driftShare: 0.1 });
    const [a, b] = [layout.environments[1], layout.environments[2]];
    const commands = [tfsync('tfsync', dir, ['diff', a, b])];
    if (!skip) {
      const makefile = join(dir, 'Makefile.seed');
      writeFileSync(makefile, seed);
      commands.push({
        name: 'make',
        command: 'make',
        args: ['--no-print-directory', '-f', makefile, 'sync-diff', `SYNC_SOURCE=${a}`, `SYNC_TARGET=${b}`,
          `SYNCABLE_VARS=${layout.syncable.join(' ')}`, `ENV_SPECIFIC_VARS=${layout.environmentSpecific.join(' ')}`],
        cwd: dir,
        env: childEnv,
      });
    }
    const m = measureProcesses(commands, { runs: runs(RUNS[variables]) });
    const target = TARGETS[variables];
    const bytes = du(dir, [`environments/${a}/terraform.tfvars`, `environments/${b}/terraform.tfvars`]);
    const differ = (text, re) => Number(re.exec(text)?.[1] ?? NaN);
    const tfsyncSays = `${differ(m.tfsync.warmup.stdout, /Syncable \((\d+) differ/)} + ${differ(m.tfsync.warmup.stdout, /Environment-specific \((\d+) differ/)}`;
    if (skip) {
      rows.push({ cells: [String(variables), fmt.mb(bytes), fmt.ms(m.tfsync.ms), fmt.rss(m.tfsync.rssKB), '—', '—', '—', '—', target ? `≥ ${target}×` : '—'], status: 'SKIP' });
      notes.push(`${variables} variables: tfsync's times ${fmt.times(m.tfsync.times)}; differences reported (syncable + environment-specific): ${tfsyncSays}.`);
      continue;
    }
    const ratio = m.make.ms / m.tfsync.ms;
    const cpuRatio = m.make.cpuMs !== undefined && m.tfsync.cpuMs ? fmt.ratio(m.make.cpuMs / m.tfsync.cpuMs) : '—';
    const status = target && !(QUICK && variables !== 40) ? judged(ratio >= target) : NOT_JUDGED;
    rows.push({ cells: [String(variables), fmt.mb(bytes), fmt.ms(m.tfsync.ms), fmt.rss(m.tfsync.rssKB), fmt.ms(m.make.ms), fmt.rss(m.make.rssKB), fmt.ratio(ratio), cpuRatio, target ? `≥ ${target}×` : '—'], status });
    if (target) budget.push({ row: `diff vs seed Makefile, ${variables} variables`, measured: `${fmt.ratio(ratio)} (${fmt.ms(m.make.ms)} / ${fmt.ms(m.tfsync.ms)})`, target: `≥ ${target}×`, status });
    notes.push(`${variables} variables: tfsync ${fmt.times(m.tfsync.times)}; make ${fmt.times(m.make.times)}; CPU time (median) tfsync ${fmt.cpu(m.tfsync.cpuMs)}, make ${fmt.cpu(m.make.cpuMs)}. Differences reported (syncable + environment-specific): tfsync ${tfsyncSays}, Makefile ${makefileDiffers(m.make.warmup.stdout)}.`);
  }
  if (skip) {
    notes.unshift(`Makefile rows skipped: ${skip}.`);
    budget.push(...sizes.filter((n) => TARGETS[n]).map((n) => ({ row: `diff vs seed Makefile, ${n} variables`, measured: 'skipped', target: `≥ ${TARGETS[n]}×`, status: 'SKIP' })));
  }
  notes.unshift(
    'Layouts from bench/generate.mjs (3 environments, seed 1, a tenth of the syncable values drifting); `tfsync diff staging prod` and `make -f <seed Makefile> sync-diff SYNC_SOURCE=staging SYNC_TARGET=prod SYNCABLE_VARS=… ENV_SPECIFIC_VARS=…` (the generated names), both in the layout directory, stdout to /dev/null.',
    'ratio = Makefile time / tfsync time, medians of interleaved runs after one warm-up each; the target is judged on it. CPU ratio: the same with user + system CPU time (make: every process of the recipe), which a busy machine hardly moves. The 200-variable row has no target in the design and is not judged.',
    "The Makefile's counts differ from tfsync's by design: it compares the first line of each value only (multi-line lists, maps and heredocs look equal) and keeps trailing comments in the value.",
  );
  return {
    id: 'diff-makefile',
    title: 'tfsync diff vs the seed Makefile (sync-diff)',
    columns: ['variables', 'two files', 'tfsync', 'tfsync RSS', 'Makefile', 'Makefile RSS', 'ratio', 'CPU ratio', 'target', 'status'],
    rows,
    budget,
    notes,
  };
}

/** The Makefile's own count of differences, from its output (colour codes stripped). */
function makefileDiffers(stdout) {
  const lines = stdout.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const syncAt = lines.indexOf('=== SYNCABLE FEATURES ===');
  const specAt = lines.indexOf('=== ENVIRONMENT-SPECIFIC (not synced) ===');
  if (syncAt < 0 || specAt < 0) return '(unrecognised output)';
  const sync = lines.slice(syncAt + 1, specAt).filter((l) => /^\S/.test(l)).length;
  const spec = lines.slice(specAt + 1).filter((l) => /^\S/.test(l)).length;
  return `${sync} + ${spec}`;
}

/** `tfsync diff englacial prod` on the demo: at most 1.7× a bare `node -e 0` (issue 12: the budget with margin). */
async function diffDemo() {
  const TARGET = 1.7;
  const m = measureProcesses(
    [
      { name: 'node', command: process.execPath, args: ['-e', '0'], cwd: REPO_ROOT, env: childEnv },
      tfsync('tfsync', REPO_ROOT, ['diff', 'englacial', 'prod']),
    ],
    { runs: runs(15) },
  );
  nodeBaseline = m.node;
  const ratio = m.tfsync.ms / m.node.ms;
  const status = judged(ratio <= TARGET);
  return {
    id: 'diff-demo',
    title: 'tfsync diff on the demo vs node -e 0',
    columns: ['command', 'median', 'CPU time', 'peak RSS', 'ratio', 'CPU ratio', 'target', 'status'],
    rows: [
      { cells: ['node -e 0', fmt.ms(m.node.ms), fmt.cpu(m.node.cpuMs), fmt.rss(m.node.rssKB), '1×', '1×', '', ''] },
      {
        cells: ['tfsync diff englacial prod', fmt.ms(m.tfsync.ms), fmt.cpu(m.tfsync.cpuMs), fmt.rss(m.tfsync.rssKB), fmt.ratio(ratio),
          m.node.cpuMs ? fmt.ratio(m.tfsync.cpuMs / m.node.cpuMs) : '—', `≤ ${TARGET}×`],
        status,
      },
    ],
    budget: [{ row: 'diff on the demo vs node -e 0', measured: `${fmt.ratio(ratio)} (${fmt.ms(m.tfsync.ms)} / ${fmt.ms(m.node.ms)})`, target: `≤ ${TARGET}×`, status }],
    notes: [
      'cwd = repository root (its tfsync.json and environments/), stdout to /dev/null; interleaved runs after one warm-up each. The target is judged on wall time; CPU time (user + system, 10 ms resolution) is for telling a slower tfsync from a busier machine.',
      `node -e 0: ${fmt.times(m.node.times)}.`,
      `tfsync: ${fmt.times(m.tfsync.times)}.`,
    ],
  };
}

/** `tfsync check` over 200 environments × 1,000 variables: under 1.5 s and 200 MB. */
async function checkLarge() {
  const TIME = 1500;
  const RSS_MB = 200;
  const [environments, variables] = QUICK ? [10, 100] : [200, 1000];
  const judge = !QUICK;
  const dir = tmpDir('check');
  const started = performance.now();
  const layout = generateLayout(dir, { environments, variables, seed: 1, driftShare: 0.1 });
  const generation = performance.now() - started;
  const bytes = du(dir, layout.files);
  const node = baseline();
  const m = measureProcesses(
    // Exit 2 is check's answer when something drifts, as a tenth of the syncable values do here.
    [tfsync('tfsync', dir, ['check'], { accept: (r) => r.status === 0 || r.status === 2 })],
    { runs: runs(5) },
  ).tfsync;
  const summary = m.warmup.stdout.trim().split('\n').find((l) => /environments drift|in step/i.test(l)) ?? '(no summary line)';
  const rssMB = m.rssKB === undefined ? undefined : (m.rssKB * 1024) / MB;
  const timeStatus = judge ? judged(m.ms < TIME) : NOT_JUDGED;
  const rssStatus = judge ? (rssMB === undefined ? 'SKIP' : judged(rssMB < RSS_MB)) : NOT_JUDGED;
  const size = `${environments} × ${variables}`;
  return {
    id: 'check',
    title: `tfsync check over ${size}`,
    columns: ['layout', 'files', 'input', 'figure', 'median', '÷ node -e 0', 'target', 'status'],
    rows: [
      { cells: [size, String(layout.files.length), fmt.mb(bytes), 'time', fmt.ms(m.ms), fmt.ratio(m.ms / node.ms), `< ${fmt.ms(TIME)}`], status: timeStatus },
      { cells: [size, String(layout.files.length), fmt.mb(bytes), 'peak RSS', fmt.rss(m.rssKB), '', `< ${RSS_MB} MB`], status: rssStatus },
    ],
    budget: [
      { row: `check ${size}: time`, measured: fmt.ms(m.ms), target: `< ${fmt.ms(TIME)}`, status: timeStatus },
      { row: `check ${size}: peak RSS`, measured: fmt.rss(m.rssKB), target: `< ${RSS_MB} MB`, status: rssStatus },
    ],
    notes: [
      `Layout from bench/generate.mjs (seed 1, a tenth of the syncable values drifting), written in ${fmt.ms(generation)}; \`tfsync check\` in it, stdout to /dev/null (exit 2: drift found, as expected).`,
      `Runs: ${fmt.times(m.times)}; CPU time (median) ${fmt.cpu(m.cpuMs)}; node -e 0 in the same session: ${fmt.ms(node.ms)}.`,
      `What check said: ${summary}`,
      ...(QUICK ? ['--quick: a smaller layout than the budget\'s; not judged.'] : []),
    ],
  };
}

/**
 * The general form (issue 11): `tfsync check` over 50 stacks × 10 environments × 2 layers × 200
 * variables within 2 s and 300 MB, and `tfsync diff A B --stack S` there within 2× `node -e 0` plus
 * the parse time of the files it needs (S's declarations, A's and B's two layer files).
 */
async function layersLarge() {
  const TIME = 2000;
  const RSS_MB = 300;
  const [stacks, environments, variables] = QUICK ? [5, 3, 40] : [50, 10, 200];
  const judge = !QUICK;
  const dir = tmpDir('layers');
  const started = performance.now();
  const layout = generateStacksLayout(dir, { stacks, environments, variables, seed: 1, driftShare: 0.1 });
  const generation = performance.now() - started;
  const bytes = du(dir, layout.files);
  const node = baseline();
  const [a, b] = layout.environments;
  const stack = layout.stacks[0];
  const m = measureProcesses(
    [
      tfsync('check', dir, ['check'], { accept: (r) => r.status === 0 || r.status === 2 }),
      tfsync('diff', dir, ['diff', a, b, '--stack', stack]),
    ],
    { runs: runs(5) },
  );
  // What diff has to parse, parsed in this process by tfsync's own parser (the built library).
  const { parseTfvars } = await import(join(REPO_ROOT, 'dist', 'hcl', 'tfvars.js'));
  const { parseVariables } = await import(join(REPO_ROOT, 'dist', 'hcl', 'variables.js'));
  const needed = [`vars/${a}/common.tfvars`, `vars/${b}/common.tfvars`, `vars/${a}/${stack}.tfvars`, `vars/${b}/${stack}.tfvars`].map((f) => readFileSync(join(dir, f), 'utf8'));
  const declarations = readFileSync(join(dir, 'stacks', stack, 'variables.tf'), 'utf8');
  const parse = await timeMedian(() => {
    for (const text of needed) parseTfvars(text);
    parseVariables(declarations);
  }, { warmups: 3, runs: 9 });
  const diffTarget = 2 * node.ms + parse.median;
  const rssMB = m.check.rssKB === undefined ? undefined : (m.check.rssKB * 1024) / MB;
  const timeStatus = judge ? judged(m.check.ms < TIME) : NOT_JUDGED;
  const rssStatus = judge ? (rssMB === undefined ? 'SKIP' : judged(rssMB < RSS_MB)) : NOT_JUDGED;
  const diffStatus = judge ? judged(m.diff.ms <= diffTarget) : NOT_JUDGED;
  const size = `${stacks} stacks × ${environments} envs × 2 layers × ${variables} vars`;
  const summary = m.check.warmup.stdout.trim().split('\n').find((l) => /environments drift|in step/i.test(l)) ?? '(no summary line)';
  return {
    id: 'layers',
    title: `general form: ${size}`,
    columns: ['command', 'files', 'input', 'figure', 'median', '÷ node -e 0', 'target', 'status'],
    rows: [
      { cells: ['check', String(layout.files.length), fmt.mb(bytes), 'time', fmt.ms(m.check.ms), fmt.ratio(m.check.ms / node.ms), `< ${fmt.ms(TIME)}`], status: timeStatus },
      { cells: ['check', String(layout.files.length), fmt.mb(bytes), 'peak RSS', fmt.rss(m.check.rssKB), '', `< ${RSS_MB} MB`], status: rssStatus },
      { cells: [`diff ${a} ${b} --stack ${stack}`, '5', '', 'time', fmt.ms(m.diff.ms), fmt.ratio(m.diff.ms / node.ms), `≤ ${fmt.ms(diffTarget)} (2 × ${fmt.ms(node.ms)} + ${fmt.ms(parse.median)})`], status: diffStatus },
    ],
    budget: [
      { row: `check, ${size}: time`, measured: fmt.ms(m.check.ms), target: `< ${fmt.ms(TIME)}`, status: timeStatus },
      { row: `check, ${size}: peak RSS`, measured: fmt.rss(m.check.rssKB), target: `< ${RSS_MB} MB`, status: rssStatus },
      { row: `diff A B --stack S there`, measured: fmt.ms(m.diff.ms), target: `≤ 2× node -e 0 + parse (${fmt.ms(diffTarget)})`, status: diffStatus },
    ],
    notes: [
      `Layout from bench/generate.mjs generateStacksLayout (seed 1, a tenth of the values drifting per file), written in ${fmt.ms(generation)}.`,
      `check runs: ${fmt.times(m.check.times)}; diff runs: ${fmt.times(m.diff.times)}; node -e 0: ${fmt.ms(node.ms)}; parsing diff's 5 files in-process: ${fmt.ms(parse.median)}.`,
      `What check said: ${summary}`,
      ...(QUICK ? ['--quick: a smaller layout than the budget\'s; not judged.'] : []),
    ],
  };
}

/** `tfsync promote A B --yes` on a 1,000-variable target, verification included: under 1 s. */
async function promoteLarge() {
  const TIME = 1000;
  const variables = QUICK ? 100 : 1000;
  const pristine = tmpDir('promote-pristine');
  const work = join(tmpDir('promote'), 'repo');
  const layout = generateLayout(pristine, { environments: 3, variables, seed: 1, driftShare: 0.1 });
  const [a, b] = layout.environments;
  const target = `environments/${b}/terraform.tfvars`;
  const node = baseline();
  const m = measureProcesses(
    [
      tfsync('tfsync', work, ['promote', a, b, '--yes'], {
        // A fresh copy for every run (not timed): otherwise every run after the first has nothing to write.
        prepare: () => {
          rmSync(work, { recursive: true, force: true });
          cpSync(pristine, work, { recursive: true });
        },
      }),
    ],
    { runs: runs(5) },
  ).tfsync;
  // The warm-up run was captured: it must have written both files; its repository must now agree.
  // tfsync reports its writes on stderr ("wrote FILE (previous contents in FILE.bak)").
  const wrote = (`${m.warmup.stdout}\n${m.warmup.stderr}`.match(/^wrote /gm) ?? []).length;
  const judge = !QUICK;
  const status = judge ? judged(m.ms < TIME) : NOT_JUDGED;
  return {
    id: 'promote',
    title: `tfsync promote on a ${variables}-variable target`,
    columns: ['variables', 'target file', 'files written', 'median', 'peak RSS', '÷ node -e 0', 'target', 'status'],
    rows: [{ cells: [String(variables), fmt.mb(statSync(join(pristine, target)).size), String(wrote), fmt.ms(m.ms), fmt.rss(m.rssKB), fmt.ratio(m.ms / node.ms), `< ${fmt.ms(TIME)}`], status }],
    budget: [{ row: `promote, ${variables}-variable target`, measured: fmt.ms(m.ms), target: `< ${fmt.ms(TIME)}`, status }],
    notes: [
      `\`tfsync promote ${a} ${b} --yes\` on a fresh copy of a generated layout (3 environments, seed 1) each run; the copy is not timed. Includes planning, the rewrite, the verification of every new text (tfsync's parser and the official WASM one) and the writes with their .bak files.`,
      `Runs: ${fmt.times(m.times)}; CPU time (median) ${fmt.cpu(m.cpuMs)}; node -e 0 in the same session: ${fmt.ms(node.ms)}.`,
      ...(wrote === 2 ? [] : [`Warning: the warm-up run reported ${wrote} written file(s), not 2 (shared file and target).`]),
      ...(QUICK ? ['--quick: a smaller target than the budget\'s; not judged.'] : []),
    ],
  };
}

/** Generated tfvars text of about `bytes` bytes (UTF-8), and its variable count. */
function tfvarsOfSize(bytes, seed = 1) {
  const probe = generateTfvars({ variables: 2000, seed });
  const perVariable = Buffer.byteLength(probe) / 2000;
  const variables = Math.max(1, Math.round(bytes / perVariable));
  const text = generateTfvars({ variables, seed });
  return { text, variables, bytes: Buffer.byteLength(text) };
}

/** Median wall time in ms of `runs` calls of fn, after `warmups` unmeasured ones. */
async function timeMedian(fn, { warmups, runs: count }) {
  for (let i = 0; i < warmups; i++) await fn();
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return { median: median(times), times };
}

/** The design's budget: the parser reads at least 30 MB/s of tfvars; the official WASM parser is the baseline. */
async function parseThroughput() {
  const TARGET = 30;
  const { parseTfvars } = await import('../dist/hcl/tfvars.js');

  const sizeMB = Number(args['size-mb'] ?? (QUICK ? 1 : 10));
  const { text, variables, bytes } = tfvarsOfSize(sizeMB * MB);

  // Correctness first: a benchmark of a parser that fails is meaningless. (In a block, so that the
  // document is not kept alive, and collected over and over, while the timed runs parse.)
  {
    const doc = parseTfvars(text);
    if (doc.diagnostics.length || doc.attributes.length !== variables) {
      throw new Error(`the generated input did not parse cleanly: ${doc.diagnostics.length} diagnostics, ${doc.attributes.length}/${variables} attributes`);
    }
  }

  const tfsyncRuns = runs(5);
  const tfsyncTime = await timeMedian(() => parseTfvars(text), { warmups: 2, runs: tfsyncRuns });

  // Loaded only now: requiring the package starts its Go runtime and V8 compiling its WASM on
  // background threads, which would compete with tfsync's timed runs for the two cores (a tfsync
  // process never has both at once). Its first call is measured apart.
  const { parse: officialParse } = await import('@cdktn/hcl2json');
  const startupStart = performance.now();
  await officialParse('startup.tfvars', 'a = 1\n');
  const startup = performance.now() - startupStart;
  const officialRuns = QUICK ? 1 : 3;
  const official = await timeMedian(() => officialParse('bench.tfvars', text), { warmups: 0, runs: officialRuns });

  const tfsyncRate = bytes / MB / (tfsyncTime.median / 1000);
  const officialRate = bytes / MB / (official.median / 1000);
  const judge = !QUICK || args['size-mb'] !== undefined;
  const status = judge ? judged(tfsyncRate >= TARGET) : NOT_JUDGED;
  return {
    id: 'parse',
    title: 'Parse throughput',
    columns: ['input', 'variables', 'tfsync', 'official', 'ratio', 'target', 'status'],
    rows: [
      {
        cells: [fmt.mb(bytes), String(variables), fmt.rate(tfsyncRate), fmt.rate(officialRate), `${(tfsyncRate / officialRate).toFixed(1)}×`, `≥ ${TARGET} MB/s`],
        status,
      },
    ],
    budget: [{ row: `parse throughput, ${fmt.mb(bytes)}`, measured: `${fmt.rate(tfsyncRate)} (official ${fmt.rate(officialRate)})`, target: `≥ ${TARGET} MB/s`, status }],
    notes: [
      `tfsync: parseTfvars from dist/hcl/tfvars.js, in this process, median of ${tfsyncRuns} runs after 2 warm-ups (${fmt.times(tfsyncTime.times)}).`,
      `official: @cdktn/hcl2json parse, median of ${officialRuns} run(s) (${fmt.times(official.times)}), after a start-up of ${fmt.ms(startup)} (WASM instantiation and first call, not included).`,
      'MB = 10^6 bytes of UTF-8 input, generated by bench/generate.mjs (seed 1).',
    ],
  };
}

/**
 * Generated `.tfvars.json` text of about `bytes` bytes: the values of a generated tfvars file
 * (every kind: strings, numbers, lists, maps), repeated under numbered names, pretty-printed as
 * Terraform's JSON files usually are.
 */
async function tfvarsJsonOfSize(bytes) {
  const { parseTfvars } = await import('../dist/hcl/tfvars.js');
  const unit = parseTfvars(generateTfvars({ variables: 1000, seed: 1 })).attributes.map((a) => [a.name, a.value]);
  const parts = [];
  let size = 2;
  let variables = 0;
  for (let copy = 0; size < bytes; copy++) {
    for (const [name, value] of unit) {
      const part = `  ${JSON.stringify(`${name}_${copy}`)}: ${JSON.stringify(value, null, 2).replace(/\n/g, '\n  ')}`;
      parts.push(part);
      size += Buffer.byteLength(part) + 2;
      variables++;
      if (size >= bytes) break;
    }
  }
  return { text: `{\n${parts.join(',\n')}\n}\n`, variables, last: JSON.parse(`{${parts[parts.length - 1]}}`) };
}

/**
 * Memory per byte of input on a large file (issue 15 item 16): generated `.tfvars.json` files of
 * tens of megabytes exist and Terraform reads them, so tfsync's default limit is 64 MiB; what it
 * costs to read one must stay a bounded multiple of its size. `tfsync get FILE NAME` parses the
 * whole file to find the last variable. Peak RSS less `node -e 0`'s, over the input's bytes.
 */
async function largeFile() {
  const TARGET = 32;
  const sizeMB = QUICK ? 4 : 40;
  const judge = !QUICK;
  const dir = tmpDir('large-file');
  const json = await tfvarsJsonOfSize(sizeMB * MB);
  writeFileSync(join(dir, 'generated.tfvars.json'), json.text);
  const hcl = tfvarsOfSize(sizeMB * MB);
  writeFileSync(join(dir, 'generated.tfvars'), hcl.text);
  const lastHcl = /^([A-Za-z_][\w-]*) =/m.exec(hcl.text.slice(hcl.text.lastIndexOf('\n', hcl.text.length - 2 - 4096)))?.[1];
  const node = baseline();
  const cases = [
    { file: 'generated.tfvars.json', name: Object.keys(json.last)[0], variables: json.variables },
    { file: 'generated.tfvars', name: lastHcl, variables: hcl.variables },
  ];
  const rows = [];
  const budget = [];
  const notes = [];
  for (const c of cases) {
    const m = measureProcesses([tfsync('tfsync', dir, ['get', c.file, c.name])], { runs: runs(3) }).tfsync;
    const bytes = statSync(join(dir, c.file)).size;
    const perByte = m.rssKB === undefined || node.rssKB === undefined ? undefined : ((m.rssKB - node.rssKB) * 1024) / bytes;
    const status = !judge ? NOT_JUDGED : perByte === undefined ? 'SKIP' : judged(perByte <= TARGET);
    const figure = perByte === undefined ? '—' : `${perByte.toFixed(1)} B/B`;
    rows.push({ cells: [c.file, fmt.mb(bytes), String(c.variables), fmt.ms(m.ms), fmt.rss(m.rssKB), figure, `≤ ${TARGET} B/B`], status });
    budget.push({ row: `memory per input byte, ${fmt.mb(bytes)} ${c.file.endsWith('.json') ? '.tfvars.json' : '.tfvars'}`, measured: figure, target: `≤ ${TARGET} B/B`, status });
    notes.push(`${c.file}: \`tfsync get ${c.file} ${c.name}\` (exit ${m.warmup.status ?? 0}); runs ${fmt.times(m.times)}.`);
  }
  return {
    id: 'large-file',
    title: 'Memory per input byte on a large file',
    columns: ['file', 'size', 'variables', 'median', 'peak RSS', '(RSS − node) / size', 'target', 'status'],
    rows,
    budget,
    notes: [
      `Files generated by bench/generate.mjs (seed 1): the JSON one holds a generated tfvars file's values repeated under numbered names. node -e 0's peak RSS in the same session: ${fmt.rss(node.rssKB)}.`,
      ...notes,
      ...(QUICK ? ["--quick: a smaller file than the budget's; not judged."] : []),
    ],
  };
}

const SECTIONS = [
  { id: 'diff-makefile', run: diffVsMakefile },
  { id: 'diff-demo', run: diffDemo },
  { id: 'check', run: checkLarge },
  { id: 'promote', run: promoteLarge },
  { id: 'layers', run: layersLarge },
  { id: 'parse', run: parseThroughput },
  { id: 'large-file', run: largeFile },
];

// --- output ------------------------------------------------------------------------------------------

function cellsOf(table) {
  return table.rows.map((row) => (table.columns.length > row.cells.length ? [...row.cells, row.status ?? ''] : row.cells));
}

function textTable(table) {
  const body = cellsOf(table);
  const rows = [table.columns, ...body];
  const widths = table.columns.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length)));
  const line = (r) => r.map((c, i) => String(c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [
    table.title,
    line(table.columns),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    ...(table.notes ?? []).map((n) => `  ${n}`),
  ].join('\n');
}

function markdownTable(table, level = '##') {
  const row = (cells) => `| ${cells.map((c) => String(c ?? '').replace(/\|/g, '\\|')).join(' | ')} |`;
  return [
    `${level} ${table.title}`,
    '',
    row(table.columns),
    row(table.columns.map(() => '---')),
    ...cellsOf(table).map(row),
    '',
    ...(table.notes ?? []).map((n) => `- ${n}`),
    '',
  ].join('\n');
}

function selectSections() {
  if (!args.only) return SECTIONS;
  const wanted = args.only.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  const selected = SECTIONS.filter((s) => wanted.some((w) => s.id === w)
    || wanted.some((w) => !SECTIONS.some((t) => t.id === w) && s.id.includes(w)));
  if (!selected.length) throw new Error(`no section matches --only ${args.only} (sections: ${SECTIONS.map((s) => s.id).join(', ')})`);
  return selected;
}

async function main() {
  const selected = selectSections();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm run bench does)`);
  const suiteStart = performance.now();
  const tables = [];
  for (const section of selected) {
    const started = performance.now();
    let table;
    try {
      table = await section.run();
    } catch (error) {
      const message = String(error?.stack ?? error).split('\n').slice(0, 6).join(' ⏎ ');
      table = {
        id: section.id, title: `${section.id}: error`, columns: ['section', 'status'],
        rows: [{ cells: [section.id], status: 'ERROR' }],
        budget: [{ row: section.id, measured: 'error', target: '', status: 'ERROR' }],
        notes: [message],
      };
    }
    table.notes = [...(table.notes ?? []), `Section time: ${fmt.ms(performance.now() - started)}.`];
    tables.push(table);
    console.log(`${textTable(table)}\n`);
  }
  const summary = {
    title: 'Budget',
    columns: ['row', 'measured', 'target', 'status'],
    rows: tables.flatMap((t) => t.budget ?? []).map((b) => ({ cells: [b.row, b.measured, b.target], status: b.status })),
    notes: [
      'PASS/FAIL against DESIGN.md "Performance budget"; "—": not judged (--quick sizes); SKIP: baseline unavailable.',
      'Ratios compare commands measured in the same session, interleaved; absolute figures depend on the machine below.',
      memoryMethod(),
      `Suite time: ${fmt.ms(performance.now() - suiteStart)}${QUICK ? ' (--quick)' : ''}.`,
    ],
  };
  console.log(textTable(summary));

  const busy = Number(machine.load.split(',')[0]) > machine.cores / 2 || os.loadavg()[0] > machine.cores / 2;
  if (busy) console.log(`\nnote: load average ${machine.load} at start on ${machine.cores} cores: other processes competed for the CPUs`);
  const header = [
    '# tfsync benchmark results',
    '',
    `- Date: ${machine.date}${QUICK ? ' (--quick: fewer runs, smaller sizes)' : ''}${args.only ? ` (--only ${args.only})` : ''}`,
    `- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memory}, ${machine.platform}`,
    `- Node: ${machine.node}`,
    `- Load average (1, 5, 15 min): ${machine.load} at start, ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} at the end${busy ? ' (busy: other processes shared the CPUs; expect noise)' : ''}`,
    `- Source: ${machine.source}`,
    '',
  ];
  const file = resolve(args.out ?? join(here, 'results', 'latest.md'));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${[...header, markdownTable(summary), ...tables.map((t) => markdownTable(t, '##'))].join('\n')}`);
  console.log(`\nwritten to ${file}`);
  const failed = summary.rows.filter((r) => r.status === 'FAIL' || r.status === 'ERROR').length;
  if (failed) console.log(`${failed} row(s) below target or in error`);
  if (failed && args.check) process.exitCode = 1;
}

main().then(
  // The official parser's WASM runtime keeps the event loop alive; end when done.
  () => {
    cleanUp();
    process.exit(process.exitCode ?? 0);
  },
  (error) => {
    cleanUp();
    console.error(error);
    process.exit(1);
  },
);
