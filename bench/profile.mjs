/**
 * Where a tfsync command spends its time: runs it once under `node --cpu-prof` and summarises the
 * profile (self and inclusive time by function, self time by file and package). Used to write
 * docs/performance.md; run it again after a change to see what moved.
 *
 *   node bench/profile.mjs [--layout <envs>x<vars>] [--top <n>] [--interval <us>] [--keep] -- <tfsync args>
 *
 *   node bench/profile.mjs -- diff englacial prod                     # the demo, cwd = repository root
 *   node bench/profile.mjs --layout 3x1000 -- diff staging prod
 *   node bench/profile.mjs --layout 200x1000 -- check
 *   node bench/profile.mjs --layout 3x1000 -- promote dev staging --yes
 *
 * --layout generates a repository with bench/generate.mjs (seed 1, a tenth of the syncable values
 * drifting) in a temporary directory and runs there. --keep leaves the directory and the
 * .cpuprofile for Chrome DevTools / speedscope.
 *
 * Also measures, in the same session, `node -e 0` and a process that only imports dist/cli/run.js,
 * so that start-up (module loading) can be told apart from the work.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateLayout } from './generate.mjs';
import { measureProcesses } from './measure.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(here, '..');
const CLI = join(REPO_ROOT, 'dist', 'cli', 'main.js');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    layout: { type: 'string' },
    top: { type: 'string', default: '25' },
    interval: { type: 'string', default: '100' },
    keep: { type: 'boolean', default: false },
  },
});
if (!positionals.length) {
  console.error('usage: node bench/profile.mjs [--layout <envs>x<vars>] [--top <n>] -- <tfsync args>');
  process.exit(64);
}
const top = Number(opts.top);

const work = mkdtempSync(join(os.tmpdir(), 'tfsync-profile-'));
let cwd = REPO_ROOT;
if (opts.layout) {
  const [environments, variables] = opts.layout.split('x').map(Number);
  cwd = join(work, 'repo');
  generateLayout(cwd, { environments, variables, seed: 1, driftShare: 0.1 });
}

// --- start-up next to the work -------------------------------------------------------------------------

const env = { ...process.env };
for (const name of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'FORCE_COLOR', 'NO_COLOR']) delete env[name];
const importOnly = `import(${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist', 'cli', 'run.js')).href)})`;
const mutates = ['promote', 'backport', 'restore', 'set', 'init'].includes(positionals[0]) && !positionals.includes('--dry-run');
const timing = measureProcesses(
  [
    { name: 'node -e 0', command: process.execPath, args: ['-e', '0'], cwd, env },
    { name: 'import dist/cli/run.js', command: process.execPath, args: ['-e', importOnly], cwd, env },
    // A command that writes would have nothing to write after the first run: time it once, below.
    ...(mutates ? [] : [{ name: `tfsync ${positionals.join(' ')}`, command: process.execPath, args: [CLI, ...positionals], cwd, env, accept: (r) => r.status !== null && r.status < 3 }]),
  ],
  { runs: 5 },
);

// --- the profile --------------------------------------------------------------------------------------

const profDir = join(work, 'prof');
const started = process.hrtime.bigint();
const run = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', opts.interval, CLI, ...positionals], {
  cwd,
  env,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
  maxBuffer: 512 * 1024 * 1024,
});
const profiledMs = Number(process.hrtime.bigint() - started) / 1e6;
if (run.status === null || run.status >= 3) {
  console.error(`the command failed (${run.status ?? run.signal}):\n${run.stderr}`);
  process.exit(1);
}
const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8'));

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

function where(url) {
  if (!url) return '';
  let path = url.startsWith('file://') ? fileURLToPath(url) : url;
  if (path.startsWith(REPO_ROOT)) path = relative(REPO_ROOT, path);
  return path;
}
/** The package or area a file belongs to: node_modules/<pkg>, dist/<dir>, node:internal, ... */
function area(url) {
  const path = where(url);
  if (!path) return '(native / VM)';
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  if (path.startsWith('node:')) return 'node:internal';
  if (path.startsWith('dist/')) return path.split('/').slice(0, 2).join('/');
  return path;
}
const keyOf = (n) => {
  const f = n.callFrame;
  const name = f.functionName || (f.url ? '(top level)' : n.callFrame.functionName || '(anonymous)');
  return f.url ? `${name}  ${where(f.url)}:${f.lineNumber + 1}` : name || '(anonymous)';
};

const self = new Map();
const total = new Map();
const byFile = new Map();
const byArea = new Map();
let sampled = 0;
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
for (let i = 0; i < profile.samples.length; i++) {
  const us = profile.timeDeltas[i] ?? 0;
  const leaf = nodes.get(profile.samples[i]);
  sampled += us;
  add(self, keyOf(leaf), us);
  add(byFile, leaf.callFrame.url ? where(leaf.callFrame.url) : leaf.callFrame.functionName || '(native / VM)', us);
  add(byArea, leaf.callFrame.url ? area(leaf.callFrame.url) : leaf.callFrame.functionName || '(native / VM)', us);
  // Inclusive: every distinct function on the sample's stack.
  const seen = new Set();
  for (let id = leaf.id; id !== undefined; id = parent.get(id)) {
    const key = keyOf(nodes.get(id));
    if (key === '(root)' || seen.has(key)) continue;
    seen.add(key);
    add(total, key, us);
  }
}

const ms = (us) => `${(us / 1000).toFixed(1)} ms`;
const pct = (us) => `${((100 * us) / sampled).toFixed(1)}%`;
function print(title, map, count = top) {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, count)) {
    console.log(`  ${ms(us).padStart(10)}  ${pct(us).padStart(6)}  ${key}`);
  }
}

console.log(`tfsync ${positionals.join(' ')}   (cwd ${cwd === REPO_ROOT ? 'repository root' : `layout ${opts.layout}`})`);
console.log('\nWall time, median of 5 (same session):');
for (const [name, r] of Object.entries(timing)) console.log(`  ${r.ms.toFixed(0).padStart(6)} ms  ${r.rssKB ? `${Math.round(r.rssKB / 1024)} MiB` : ''}  ${name}`);
console.log(`  ${profiledMs.toFixed(0).padStart(6)} ms  the profiled run (slower: the profiler samples every ${opts.interval} µs)`);
console.log(`\nSampled: ${ms(sampled)} of JavaScript-thread time (start-up before the profiler attaches and exit are not in it).`);
print('Self time by package / area', byArea, 15);
print('Self time by file', byFile, 20);
print('Self time by function', self);
print('Inclusive time by function', total);

if (opts.keep) {
  console.log(`\nkept: ${join(profDir, file)}${opts.layout ? ` and the layout in ${cwd}` : ''}`);
} else {
  rmSync(work, { recursive: true, force: true });
}
