/**
 * `validate`'s rules for `secrets` in tfsync.json: each entry names a declared variable (a key path:
 * its variable), one that is sensitive (a reference stands in for a secret; a plain setting belongs
 * in a file), and only environments the repository has. Pure: the references were parsed when
 * tfsync.json loaded; here they are checked against the repository.
 */
import { parseKeyPath, type KeyPath } from '../hcl/key-path.js';
import { leafSensitive } from '../model/classify.js';
import { classificationOf, type Repository } from '../model/repository.js';
import { didYouMean, listNames } from '../model/suggest.js';
import type { Finding } from './findings.js';

type Locate = (path: Array<string | number>) => { file: string; line: number; column?: number };

export function secretFindings(repo: Repository, at: Locate, declarationsKnown: boolean): Finding[] {
  const findings: Finding[] = [];
  const declared = [...repo.declarations.keys()];
  const environments = [...repo.environments.keys()];
  for (const [entry, byEnv] of Object.entries(repo.config.secrets)) {
    const where = at(['secrets', entry]);
    let path: KeyPath;
    try {
      path = parseKeyPath(entry);
    } catch (error) {
      findings.push({ severity: 'error', code: 'secret-unknown-variable', message: `secrets: ${(error as Error).message}`, ...where, hint: 'a key of "secrets" is a variable name or a key path into one, e.g. databases.main.password' });
      continue;
    }
    if (path.parts.length > 0 && Object.hasOwn(repo.config.secrets, path.name)) {
      findings.push({
        severity: 'error',
        code: 'secret-overlap',
        message: `secrets: "${entry}" is inside "${path.name}", which has a reference of its own`,
        ...where,
        variable: path.name,
        hint: 'give either the whole variable or values inside it a reference, not both',
      });
    }
    const decl = repo.declarations.get(path.name);
    if (!decl) {
      // Without every declaration read (a variables file with a syntax error), "undeclared" may be wrong.
      if (declarationsKnown) {
        findings.push({
          severity: 'error',
          code: 'secret-unknown-variable',
          message: `secrets: "${entry}" names no declared variable${path.parts.length > 0 ? ` ("${path.name}" is not declared)` : ''}`,
          ...where,
          variable: path.name,
          hint: didYouMean(path.name, declared) ?? 'name a variable a variables file declares, or remove the entry',
        });
      }
    } else if (!leafSensitive(classificationOf(repo, path.name), path.parts)) {
      findings.push({
        severity: 'warning',
        code: 'secret-not-sensitive',
        message: `secrets: "${entry}" is not sensitive: secrets are for sensitive variables`,
        ...where,
        variable: path.name,
        hint: `mark it sensitive: \`sensitive = true\` in its declaration (${decl.file}:${decl.line}), or list "${entry}" under "sensitive" in tfsync.json`,
      });
    }
    for (const env of Object.keys(byEnv)) {
      if (env === '*' || repo.environments.has(env)) continue;
      findings.push({
        severity: 'error',
        code: 'secret-unknown-environment',
        message: `secrets: "${entry}" has a reference for "${env}", which is not an environment of this repository`,
        ...at(['secrets', entry, env]),
        variable: path.name,
        hint: didYouMean(env, environments) ?? `the environments are ${listNames(environments)}; "*" stands for every one without its own`,
      });
    }
  }
  return findings;
}
