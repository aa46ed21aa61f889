/**
 * diff's comparison of secrets: for each sensitive variable with a reference in either
 * environment, whether the two hold the same value, told by keyed fingerprints (the shell makes
 * the key fresh for each run, so a fingerprint means nothing outside it). Values go in, only
 * fingerprints and verdicts come out.
 */
export type SecretVerdict = 'same' | 'differs' | 'missing';

export interface SecretComparison {
  name: string;
  verdict: SecretVerdict;
  /** For `missing`: the environments without a value. */
  missingIn: string[];
  /** Each environment's fingerprint, undefined where it has no value. */
  fingerprints: Array<string | undefined>;
}

/** `values[name][i]` is environment i's value (undefined: none). */
export function compareSecrets(values: Map<string, Array<string | undefined>>, environments: readonly string[], fingerprint: (value: string) => string): SecretComparison[] {
  return [...values.keys()].sort().map((name) => {
    const row = values.get(name)!;
    const fingerprints = row.map((v) => (v === undefined ? undefined : fingerprint(v)));
    const missingIn = environments.filter((_, i) => row[i] === undefined);
    const verdict: SecretVerdict = missingIn.length > 0 ? 'missing' : fingerprints.every((f) => f === fingerprints[0]) ? 'same' : 'differs';
    return { name, verdict, missingIn, fingerprints };
  });
}
