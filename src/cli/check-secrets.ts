/**
 * `tfsync check`'s secrets, the shell side: while check goes through the environments one at a
 * time, this notes what each needs (secret-check.ts) and the sensitive values each file writes;
 * at the end it asks the stores whether the references exist (in parallel, existence only: a value
 * is never read) and git which files it tracks. The store modules load only when a reference is to
 * be asked about, so a check without secrets costs what it did.
 */
import { storeErrorCode } from '../io/secrets/backend.js';
import { trackedFiles } from '../io/tracked-files.js';
import { effectiveValues } from '../model/layers.js';
import { classificationOf, type Layer, type Repository } from '../model/repository.js';
import { parseSecretRef } from '../model/secret-ref.js';
import type { CheckResult, EnvironmentCheck } from '../sync/check.js';
import { answered, plaintextSecrets, secretsToCheck, withSecrets, type PlaintextSecret, type SecretCheck } from '../sync/secret-check.js';

export class SecretAudit {
  private readonly needs = new Map<EnvironmentCheck, SecretCheck[]>();
  /** Plain-text findings by absolute file path: a layer every environment reads is scanned once. */
  private readonly plaintext = new Map<string, PlaintextSecret[]>();

  /** Notes one environment: `layer` as parsed, `check` its result. */
  add(repo: Repository, layer: Layer, check: EnvironmentCheck): void {
    const docs = layer.sources
      ? layer.sources.filter((s) => s.exists && !s.unreadable).map((s) => ({ path: s.path, file: s.file, doc: s.doc }))
      : [{ path: layer.path, file: layer.file, doc: layer.doc }, ...(repo.shared.exists ? [{ path: repo.shared.path, file: repo.shared.file, doc: repo.shared.doc }] : [])];
    for (const { path, file, doc } of docs) {
      if (!this.plaintext.has(path)) this.plaintext.set(path, plaintextSecrets(doc, file, (name) => classificationOf(repo, name)));
    }
    // Without `secrets` the repository has not opted in: a required sensitive variable is then
    // whatever check always said of it (missing, when syncable), not a missing reference.
    if (Object.keys(repo.config.secrets).length === 0) return;
    const values = effectiveValues({ ...repo, environments: new Map([[layer.name, layer]]) }, layer.name);
    const found = secretsToCheck(values, repo.config.secrets, layer.name, repo.stack, repo.declarations);
    if (found.length > 0) this.needs.set(check, found);
  }

  /** The result with the stores' answers and the tracked plain-text values in. */
  async finish(result: CheckResult, options: { root: string; env: Record<string, string | undefined>; strict: boolean }): Promise<CheckResult> {
    const [answers, plaintext] = await Promise.all([this.ask(options), this.trackedPlaintext(options)]);
    const secrets = new Map([...this.needs].map(([check, found]) => [check, found.map((s) => (s.reference === undefined ? s : answered(s, answers.get(s.reference)!)))]));
    return withSecrets(result, secrets, plaintext, options.strict);
  }

  /** Each reference asked once, all at once; a failure is that reference's answer, not the check's. */
  private async ask({ root, env }: { root: string; env: Record<string, string | undefined> }): Promise<Map<string, { exists: boolean | undefined } | { code: string }>> {
    const texts = [...new Set([...this.needs.values()].flat().flatMap((s) => (s.reference === undefined ? [] : [s.reference])))];
    const answers = new Map<string, { exists: boolean | undefined } | { code: string }>();
    if (texts.length === 0) return answers;
    const { secretContext, secretExists } = await import('../io/secrets/stores.js');
    const ctx = secretContext(env, root);
    const settled = await Promise.allSettled(texts.map(async (text) => secretExists(parseSecretRef(text), ctx)));
    settled.forEach((r, i) => answers.set(texts[i]!, r.status === 'fulfilled' ? { exists: r.value } : { code: storeErrorCode(r.reason) }));
    return answers;
  }

  private async trackedPlaintext({ root, env }: { root: string; env: Record<string, string | undefined> }): Promise<PlaintextSecret[]> {
    const found = [...this.plaintext].filter(([, list]) => list.length > 0);
    if (found.length === 0) return [];
    const tracked = await trackedFiles(root, env);
    return found.filter(([path]) => tracked === undefined || tracked.has(path)).flatMap(([, list]) => list);
  }
}
