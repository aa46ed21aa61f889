/**
 * Where tfsync.json is: the nearest one in the working directory or one of its ancestors, as git
 * finds .git. The one place the config is looked for on disk (the model parses what it is given).
 */
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE } from '../model/config.js';

/** The nearest tfsync.json in startDir or one of its ancestors, as an absolute path. */
export function findConfig(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (isFile(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    // An unreadable folder on the way up is not a reason to fail: there is no config we can use there.
    return false;
  }
}
