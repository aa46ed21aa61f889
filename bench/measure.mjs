/**
 * Measuring whole processes for the benchmarks: wall time with process.hrtime around spawnSync,
 * peak resident memory with GNU time (`/usr/bin/time -f %M`) when it is there, otherwise, for
 * node commands only, with a preload (bench/maxrss-preload.mjs) that records
 * process.resourceUsage().maxRSS at exit. Also the description of the machine a run happened on.
 *
 * Plain ESM JavaScript so that it runs without a build step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = pathToFileURL(join(here, 'maxrss-preload.mjs')).href;

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A fresh path for one memory file; the caller removes it once read (no directory to leak). */
let fileCounter = 0;
function scratchFile(name) {
  return join(os.tmpdir(), `tfsync-bench-${name}-${process.pid}-${++fileCounter}`);
}

let gnuTime;
/** Peak RSS in KB, then user and system CPU seconds (the process and the children it waited for). */
const FORMAT = 'tfsync-bench %M %U %S';
const LINE = /^tfsync-bench (\d+) ([\d.]+) ([\d.]+)\s*$/m;
/** '/usr/bin/time' when it is GNU time (it understands -f %M and -o), else undefined. */
export function gnuTimePath() {
  if (gnuTime !== undefined) return gnuTime || undefined;
  gnuTime = '';
  const bin = '/usr/bin/time';
  if (existsSync(bin)) {
    const out = scratchFile('probe');
    const probe = spawnSync(bin, ['-f', FORMAT, '-o', out, 'true'], { stdio: 'ignore' });
    if (probe.status === 0 && existsSync(out) && LINE.test(readFileSync(out, 'utf8'))) gnuTime = bin;
    rmSync(out, { force: true });
  }
  return gnuTime || undefined;
}

/** How peak memory is measured in this run, for the notes. */
export function memoryMethod() {
  return gnuTimePath()
    ? 'peak RSS and CPU time: `/usr/bin/time -f "%M %U %S"` (for make: the largest single process of the recipe, and the CPU time of all of them)'
    : 'peak RSS and CPU time: a --import preload recording process.resourceUsage() at exit (node commands only; GNU time is absent)';
}

/**
 * Runs `command args` once to completion. Returns { ms, rssKB, cpuMs, status, signal, stdout, stderr }.
 * cpuMs (user + system, the process and its children; 10 ms resolution with GNU time) hardly
 * depends on what else the machine runs, unlike ms: it tells a slower tfsync from a busier machine.
 * stdout goes to /dev/null unless `capture`; stderr is always captured (for error messages).
 * `ms` is the wall time of the whole process, start-up and exit included; the GNU time wrapper,
 * when used, is inside the measured span for every command alike (a fork and an exec).
 */
export function runProcess(command, args, { cwd, env = process.env, capture = false, memory = true } = {}) {
  let argv = [command, ...args];
  let rssFile;
  let childEnv = env;
  const isNode = command === process.execPath || command === 'node';
  if (memory) {
    rssFile = scratchFile('rss');
    if (gnuTimePath()) {
      argv = [gnuTimePath(), '-f', FORMAT, '-o', rssFile, ...argv];
    } else if (isNode) {
      argv = [command, '--import', PRELOAD, ...args];
      childEnv = { ...env, TFSYNC_BENCH_MAXRSS_FILE: rssFile };
    } else {
      rssFile = undefined;
    }
  }
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), {
    cwd,
    env: childEnv,
    stdio: ['ignore', capture ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  let rssKB;
  let cpuMs;
  if (rssFile && existsSync(rssFile)) {
    // GNU time writes "Command exited with non-zero status N" before its line when N != 0.
    const match = LINE.exec(readFileSync(rssFile, 'utf8'));
    if (match) {
      rssKB = Number(match[1]);
      cpuMs = (Number(match[2]) + Number(match[3])) * 1000;
    }
  }
  if (rssFile) rmSync(rssFile, { force: true });
  return { ms, rssKB, cpuMs, status: result.status, signal: result.signal, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/**
 * Measures one or more commands, `runs` times each after `warmups` unmeasured runs, interleaved
 * (A B A B ...) so that a change in the machine's load touches every command alike.
 *
 * Each command: { name, command, args, cwd, env, prepare?(), accept?(result) }. `prepare` runs
 * untimed before every run (e.g. a fresh copy of a directory); `accept` (default: exit status 0)
 * rejects a run that failed, and so the whole measurement. The warm-up run's output is captured
 * and returned as `warmup`, for sanity checks on what the command did.
 *
 * Returns, per command name: { ms, rssKB, cpuMs (medians), times, rss, cpu, warmup }.
 */
export function measureProcesses(commands, { warmups = 1, runs = 5 } = {}) {
  const results = new Map(commands.map((c) => [c.name, { times: [], rss: [], cpu: [], warmup: undefined }]));
  const once = (c, capture) => {
    c.prepare?.();
    const result = runProcess(c.command, c.args, { cwd: c.cwd, env: c.env, capture });
    const accept = c.accept ?? ((r) => r.status === 0);
    if (!accept(result)) {
      const why = result.signal ? `signal ${result.signal}` : `exit status ${result.status}`;
      throw new Error(`${c.name}: ${[c.command, ...c.args].join(' ').slice(0, 300)} failed (${why}) in ${c.cwd}\n${result.stderr.slice(0, 2000)}`);
    }
    return result;
  };
  for (let i = 0; i < Math.max(1, warmups); i++) {
    for (const c of commands) {
      const result = once(c, i === 0);
      if (i === 0) results.get(c.name).warmup = result;
    }
  }
  for (let i = 0; i < runs; i++) {
    for (const c of commands) {
      const result = once(c, false);
      const r = results.get(c.name);
      r.times.push(result.ms);
      if (result.rssKB !== undefined) r.rss.push(result.rssKB);
      if (result.cpuMs !== undefined) r.cpu.push(result.cpuMs);
    }
  }
  for (const r of results.values()) {
    r.ms = median(r.times);
    r.rssKB = r.rss.length ? median(r.rss) : undefined;
    r.cpuMs = r.cpu.length ? median(r.cpu) : undefined;
  }
  return Object.fromEntries(results);
}

// --- the machine -------------------------------------------------------------------------------------

function firstLine(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** What the results depend on, taken once at the start of a run (before any load of our own). */
export function describeMachine(repoRoot) {
  const cpus = os.cpus();
  const load = os.loadavg().map((l) => l.toFixed(2)).join(', ');
  const head = firstLine('git', ['rev-parse', '--short', 'HEAD'], repoRoot);
  const dirty = firstLine('git', ['status', '--porcelain', '--', 'src'], repoRoot);
  const changed = dirty ? dirty.split('\n').length : 0;
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model?.trim() || 'unknown',
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    platform: `${process.platform}/${process.arch} (${os.release()})`,
    load,
    source: head ? `${head}${changed ? ` + ${changed} modified file(s) under src/ (dist/ built from the working tree)` : ''}` : 'unknown (not a git checkout)',
  };
}
