/**
 * check's secrets, gathered as environments stream by: what the files say (sync/secret-check.ts)
 * and, at the end, whether each reference exists in its store (asked in parallel, values never
 * read where the backend can answer without them). Backends load only when a reference exists.
 */
import { environmentRefs } from '../io/secrets/environment-secrets.js';
import type { NamedRef } from '../io/secrets/resolve.js';
import type { Layer, Repository } from '../model/repository.js';
import type { EnvironmentCheck } from '../sync/check.js';
import { secretFindings, sharedPlainText, type SecretFinding } from '../sync/secret-check.js';

export interface SecretReport {
  /** Drift (exit 2), and plain-text values under --strict (exit 1). */
  errors: SecretFinding[];
  warnings: SecretFinding[];
}

export class SecretsCheck {
  private readonly found: SecretFinding[] = [];
  private readonly refs: Array<NamedRef & { environment: string }> = [];

  constructor(private readonly repo: Repository) {}

  private refsOf(env: string): NamedRef[] {
    return environmentRefs(this.repo.config, env);
  }

  /** The drift check's result without "missing" for variables a reference gives a value. */
  withoutReferenced(env: string, check: EnvironmentCheck): EnvironmentCheck {
    const referenced = new Set(this.refsOf(env).map((r) => r.name));
    return referenced.size === 0 ? check : { ...check, missing: check.missing.filter((m) => !referenced.has(m.name)) };
  }

  add(layer: Layer): void {
    const refs = this.refsOf(layer.name);
    this.found.push(...secretFindings(this.repo, layer, new Set(refs.map((r) => r.name))));
    for (const r of refs) this.refs.push({ ...r, environment: layer.name });
  }

  async findings(env: Record<string, string | undefined>): Promise<SecretFinding[]> {
    const all = [...sharedPlainText(this.repo), ...this.found];
    if (this.refs.length === 0) return all;
    const { backendContext, checkPresence } = await import('../io/secrets/resolve.js');
    const presence = await checkPresence(this.refs, backendContext(env, this.repo.config.root));
    presence.forEach((p, i) => {
      const environment = this.refs[i]!.environment;
      const decl = this.repo.declarations.get(p.name);
      const where = decl ? { file: decl.file, line: decl.line } : {};
      if ('error' in p) all.push({ environment, name: p.name, kind: 'unreachable', reference: p.ref.text, ...where, message: `${environment}: ${p.error}` });
      else if (!p.exists) {
        all.push({ environment, name: p.name, kind: 'missing-secret', reference: p.ref.text, ...where, message: `${environment}: the secret of ${p.name} does not exist: ${p.ref.text}` });
      }
    });
    return all;
  }
}

export function secretReport(findings: SecretFinding[], strict: boolean): SecretReport {
  const isWarning = (f: SecretFinding) => f.kind === 'plain-text' && !strict;
  return { errors: findings.filter((f) => !isWarning(f)), warnings: findings.filter(isWarning) };
}
