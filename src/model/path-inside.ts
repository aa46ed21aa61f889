/**
 * The one answer to "is this path inside that folder?", for writes refused outside the repository,
 * tfsync.json's paths, and file names shortened for display. Decided on path segments: `..notes` is
 * a file inside, `../notes` is not, and on Windows a path on another drive (an absolute relative
 * path) is outside too. The folder itself is not inside itself.
 */
import { isAbsolute, parse, relative, sep } from 'node:path';

/** `path` relative to `root` with forward slashes when it lies strictly inside `root`, else undefined. */
export function pathInside(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return sep === '/' ? rel : rel.split(sep).join('/');
}

/** Whether `path` lies strictly inside `root`. */
export function isInside(root: string, path: string): boolean {
  return pathInside(root, path) !== undefined;
}

/**
 * Messages name files too ("cannot write /repo/envs/prod.tfvars: ..."): shorten absolute paths
 * under cwd where they start a word. Not from the root folder, where every path would qualify.
 */
export function relativizeText(text: string, cwd: string): string {
  if (!isAbsolute(cwd) || parse(cwd).root === cwd) return text;
  const prefix = cwd.endsWith(sep) ? cwd : cwd + sep;
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<=^|[\\s'"\`(\\[=,])${escaped}`, 'g'), '');
}
