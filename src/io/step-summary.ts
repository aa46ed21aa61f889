/**
 * The job summary of a GitHub Actions run: Markdown appended to the file `$GITHUB_STEP_SUMMARY`
 * names, which GitHub renders on the run's page. Outside Actions the variable is unset and
 * nothing is written.
 */
import { TfsyncError } from '../errors.js';
import { fsErrorReason, nodeFileSystem, type FileSystem } from './file-system.js';

/** Appends the Markdown (ending it with a newline) and says whether there was a summary to append to. */
export async function appendStepSummary(
  markdown: string,
  env: Record<string, string | undefined> = process.env,
  fs: FileSystem = nodeFileSystem,
): Promise<boolean> {
  const path = env.GITHUB_STEP_SUMMARY;
  if (path === undefined || path === '') return false;
  try {
    await fs.writeFile(path, markdown.endsWith('\n') ? markdown : `${markdown}\n`, { flag: 'a' });
  } catch (err) {
    throw new TfsyncError(`cannot append to the job summary ${path} (GITHUB_STEP_SUMMARY): ${fsErrorReason(err)}`, { code: 'write-failed' });
  }
  return true;
}
