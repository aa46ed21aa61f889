/**
 * The words every format of `tfsync check` uses for its secret findings (secret-check.ts): a
 * reference and a status, never a value (check never reads one).
 */
import { environmentLabel, type CheckResult, type EnvironmentCheck } from '../../sync/check.js';
import { secretDrifts, type SecretCheck } from '../../sync/secret-check.js';

/** What is wrong with one finding, in a sentence without the environment's name. */
export function secretProblem(s: SecretCheck, env: Pick<EnvironmentCheck, 'environment'>): string {
  switch (s.status) {
    case 'missing-reference':
      return `Terraform needs it (sensitive, declared without a default, no file sets it) and "secrets" in tfsync.json has no reference for ${env.environment}`;
    case 'missing':
      return `its secret is not in the store: ${s.reference!}`;
    case 'error':
      return `its store could not be asked about ${s.reference!} (${s.code ?? 'secret-backend-failed'})`;
    case 'not-checked':
      return `${s.reference!} is not checked: its store cannot tell without reading the value`;
    case 'ok':
      return `${s.reference!} exists`;
  }
}

/** A short label: `no reference`, `secret missing`, `not checked (code)`. */
export function secretLabel(s: SecretCheck): string {
  switch (s.status) {
    case 'missing-reference':
      return 'no reference';
    case 'missing':
      return 'secret missing';
    case 'error':
      return `not checked (${s.code ?? 'secret-backend-failed'})`;
    case 'not-checked':
      return 'not checked';
    case 'ok':
      return 'ok';
  }
}

/** The findings that put the environment out of step. */
export function driftingSecrets(env: EnvironmentCheck): SecretCheck[] {
  return (env.secrets ?? []).filter(secretDrifts);
}

/** Every finding whose store could not be asked, with its environment. */
export function failedSecrets(result: CheckResult): Array<{ env: EnvironmentCheck; secret: SecretCheck; label: string }> {
  return result.environments.flatMap((env) => (env.secrets ?? []).filter((s) => s.status === 'error').map((secret) => ({ env, secret, label: environmentLabel(env) })));
}

/** How many findings are drift, over all environments. */
export function secretDriftCount(result: CheckResult): number {
  return result.environments.reduce((n, e) => n + driftingSecrets(e).length, 0);
}
