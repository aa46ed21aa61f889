/**
 * Marks the package's `bin` files executable after `tsc` writes them. tsc creates new files with
 * mode 0644, and npm's own chmod of the bin can run before the `prepare` build has written it, so
 * on a fresh clone `npx tfsync` would fail with "Permission denied". Each file gets an execute bit
 * wherever it has a read bit.
 */
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { bin } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const file of typeof bin === 'string' ? [bin] : Object.values(bin)) {
  const path = join(root, file);
  const mode = statSync(path).mode & 0o777;
  chmodSync(path, mode | ((mode & 0o444) >> 2));
}
