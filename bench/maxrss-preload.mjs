/**
 * Preloaded (`node --import`) into benchmarked node processes when GNU time is absent: writes the
 * process's peak resident set size (KB) and CPU time to $TFSYNC_BENCH_MAXRSS_FILE at exit.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.TFSYNC_BENCH_MAXRSS_FILE;
if (file) {
  process.on('exit', () => {
    try {
      const usage = process.resourceUsage();
      // The same line as GNU time's in bench/measure.mjs: peak RSS in KB, user and system CPU seconds.
      writeFileSync(file, `tfsync-bench ${usage.maxRSS} ${usage.userCPUTime / 1e6} ${usage.systemCPUTime / 1e6}\n`);
    } catch {
      // A benchmark without a memory figure, never a failed command.
    }
  });
}
