/**
 * What `check` says about secrets, from the parsed files alone (the shell adds what the stores
 * answer): sensitive variables Terraform needs that nothing gives a value, and sensitive values
 * written in plain text in a tfvars file. Findings carry file:line and names, never a value.
 */
import { SHARED } from '../model/environments.js';
import type { Layer, Repository } from '../model/repository.js';
import { classificationOf } from '../model/repository.js';

export type SecretFindingKind = 'no-reference' | 'missing-secret' | 'unreachable' | 'plain-text';

export interface SecretFinding {
  environment: string;
  name: string;
  kind: SecretFindingKind;
  /** The reference (no value in it), for missing-secret and unreachable. */
  reference?: string;
  /** Where to point: the tfvars line (plain-text) or the declaration (no-reference). */
  file?: string;
  line?: number;
  message: string;
}

/**
 * The findings of one environment that need no store: `referenced` holds the names with a
 * reference there. The shared file's plain-text values are reported under `@shared`, once, by
 * sharedPlainText.
 */
export function secretFindings(repo: Repository, env: Layer, referenced: ReadonlySet<string>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const [name, decl] of repo.declarations) {
    const c = classificationOf(repo, name);
    if (!c.sensitive || decl.hasDefault || referenced.has(name) || env.doc.byName.has(name)) continue;
    if (c.class === 'syncable' && repo.shared.doc.byName.has(name)) continue;
    findings.push({
      environment: env.name,
      name,
      kind: 'no-reference',
      file: decl.file,
      line: decl.line,
      message: `${env.name} has no value for sensitive ${name}: no file sets it and tfsync.json "secrets" gives it no reference there`,
    });
  }
  findings.push(...plainText(repo, env));
  return findings;
}

/** Sensitive values written in the shared file. */
export function sharedPlainText(repo: Repository): SecretFinding[] {
  return repo.shared.exists ? plainText(repo, repo.shared) : [];
}

function plainText(repo: Repository, layer: Layer): SecretFinding[] {
  return layer.doc.attributes
    .filter((a) => classificationOf(repo, a.name).sensitive)
    .map((a) => ({
      environment: layer.name === SHARED ? SHARED : layer.name,
      name: a.name,
      kind: 'plain-text' as const,
      file: layer.file,
      line: a.line,
      message: `sensitive ${a.name} is written in plain text in ${layer.file}:${a.line}; keep it in a secret store and give it a reference in tfsync.json "secrets"`,
    }));
}
