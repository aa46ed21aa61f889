/**
 * `promote`/`backport` and secrets, the shell side: ask the stores about the copies the plan calls
 * for (secret-plan.ts), render them in the plan, and make them once the promotion is confirmed.
 *
 * What is read when. `--dry-run` asks existence only (SRC's and DST's), never a value. Otherwise
 * both secrets are read to compare their keyed fingerprints (each value hashed and dropped), the
 * plan is shown, and after the confirmation each copy reads SRC's secret again and writes it to
 * DST's store: no value is held while the user is asked.
 *
 * Order: secrets first, then files. The copies are the step that fails in practice (credentials,
 * a store's permissions); made first, a failed copy stops the promotion before any file is
 * written, and the error names each copy made and each that failed. A copy is idempotent, so
 * running the promotion again finishes it. The files are then written all-or-nothing by the one
 * writer; secrets never go through it (no .bak, no temp file holds a value).
 */
import { TfsyncError } from '../errors.js';
import { storeErrorCode } from '../io/secrets/backend.js';
import { effectiveValues } from '../model/layers.js';
import type { Repository } from '../model/repository.js';
import { parseSecretRef } from '../model/secret-ref.js';
import type { Plan } from '../sync/plan.js';
import { copyAction, manualCopyHint, plannedCopies, type SecretCopy } from '../sync/secret-plan.js';
import type { Colors } from './colors.js';
import { plural } from './render/labels.js';

/** The copies of `plan`, before any store is asked (no store module is loaded when there are none). */
export function copiesOf(repo: Repository, plan: Plan): SecretCopy[] {
  if (Object.keys(repo.config.secrets).length === 0 || plan.source.startsWith('@') || plan.target.startsWith('@')) return [];
  return plannedCopies(plan, repo.config.secrets, effectiveValues(repo, plan.source), repo.stack);
}

/** Each copy with what the stores say: existence with `dryRun`, else fingerprints; all at once. */
export async function assessCopies(copies: readonly SecretCopy[], options: { dryRun: boolean; env: Record<string, string | undefined>; root: string }): Promise<SecretCopy[]> {
  if (copies.length === 0) return [];
  const { secretContext, secretExists, secretWritable, Fingerprinter } = await import('../io/secrets/stores.js');
  const ctx = secretContext(options.env, options.root);
  const fingerprinter = new Fingerprinter();
  return Promise.all(
    copies.map(async (copy): Promise<SecretCopy> => {
      try {
        const [from, to] = [parseSecretRef(copy.from), parseSecretRef(copy.to)];
        const writable = await secretWritable(to, ctx);
        if (options.dryRun) {
          const [source, target] = await Promise.all([secretExists(from, ctx), secretExists(to, ctx)]);
          return { ...copy, writable, state: source === false ? 'missing-in-source' : target === false ? 'missing-in-target' : 'not-compared' };
        }
        const [source, target] = await Promise.all([fingerprinter.ofReference(copy.from, ctx), fingerprinter.ofReference(copy.to, ctx)]);
        if ('code' in source || 'code' in target) return { ...copy, writable, state: 'error', code: 'code' in source ? source.code : (target as { code: string }).code };
        if ('missing' in source) return { ...copy, writable, state: 'missing-in-source' };
        if ('missing' in target) return { ...copy, writable, state: 'missing-in-target' };
        return { ...copy, writable, state: 'hmac' in source && 'hmac' in target && source.hmac === target.hmac ? 'same' : 'differs' };
      } catch (err) {
        return { ...copy, state: 'error', code: storeErrorCode(err) };
      }
    }),
  );
}

/** How many copies tfsync would make. */
export function pendingCopies(copies: readonly SecretCopy[]): SecretCopy[] {
  return copies.filter((c) => copyAction(c) === 'copy');
}

/**
 * Makes the pending copies (in parallel). Throws, before any file is written, when one fails:
 * the message names the copies made and the ones that failed (references and codes only).
 */
export async function makeCopies(copies: readonly SecretCopy[], options: { env: Record<string, string | undefined>; root: string }): Promise<SecretCopy[]> {
  const pending = pendingCopies(copies);
  if (pending.length === 0) return [];
  const { secretContext, copySecret } = await import('../io/secrets/stores.js');
  const ctx = secretContext(options.env, options.root);
  const settled = await Promise.allSettled(pending.map((c) => copySecret(parseSecretRef(c.from), parseSecretRef(c.to), ctx)));
  const failed = settled.flatMap((r, i) => (r.status === 'rejected' ? [{ copy: pending[i]!, error: r.reason as unknown }] : []));
  if (failed.length === 0) return pending;
  const made = pending.filter((_, i) => settled[i]!.status === 'fulfilled');
  const first = failed[0]!.error;
  const lines = failed.map(({ copy, error }) => `${copy.variable}: ${error instanceof TfsyncError ? `${error.message} (${error.code})` : `${copy.to}: the copy failed`}`);
  throw new TfsyncError(`${plural(failed.length, 'secret copy', 'secret copies')} failed, so no file was written: ${lines.join('; ')}`, {
    code: storeErrorCode(first),
    hint: `${made.length > 0 ? `copied already: ${made.map((c) => `${c.variable} to ${c.to}`).join(', ')}; ` : ''}a copy can be made again: fix the store's access and run the promotion again`,
  });
}

/** The plan's lines for the secrets: references and states, never a value nor a fingerprint. */
export function renderSecretPlan(copies: readonly SecretCopy[], target: string, colors: Colors): string {
  if (copies.length === 0) return '';
  const lines = [colors.bold('Secrets')];
  for (const c of copies) {
    const head = `secret ${c.variable}`;
    switch (copyAction(c)) {
      case 'copy':
        lines.push(`  ${colors.yellow(`~ ${head}`)}: copy from ${c.from} to ${c.to} (${stateText(c, target)})`);
        break;
      case 'manual':
        lines.push(`  ${colors.cyan(`! ${head}`)}: tfsync cannot write ${c.to}; by hand: ${manualCopyHint(c, target)} (${stateText(c, target)})`);
        break;
      case 'none':
        lines.push(`  ${colors.dim(`= ${head}: ${stateText(c, target)}; not copied`)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function stateText(c: SecretCopy, target: string): string {
  switch (c.state) {
    case 'differs':
      return 'differs';
    case 'same':
      return 'same';
    case 'missing-in-target':
      return `missing in ${target}`;
    case 'missing-in-source':
      return `${c.from} does not exist`;
    case 'not-compared':
      return 'not compared: --dry-run reads no value';
    case 'error':
      return `the stores could not be asked (${c.code ?? 'secret-backend-failed'})`;
  }
}
