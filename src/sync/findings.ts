/**
 * What `validate` reports, as data: a finding (severity, code, message, place), the locator that
 * turns a tfsync.json setting into its file:line, the findings about config paths that match
 * nothing, and the order and summary the renderer shows them in.
 */
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { LineCounter } from '../hcl/line-counter.js';
import { pathInside } from '../model/path-inside.js';
import { compare, type Repository, type SourceFile } from '../model/repository.js';

export type FindingCode =
  | 'config'
  | 'syntax'
  | 'official-parser'
  | 'duplicate-declaration'
  | 'conflict'
  | 'unused-pattern'
  | 'no-variables-file'
  | 'no-environments'
  | 'skipped-environment'
  | 'undeclared'
  | 'shared-not-syncable'
  | 'required'
  | 'type'
  | 'dropped-attribute'
  | 'unknown-type'
  | 'unclassified'
  | 'default-override'
  | 'secret-unknown-variable'
  | 'secret-not-sensitive'
  | 'secret-unknown-environment'
  | 'secret-overlap';

export interface Finding {
  /** A note is advice (a value equal to its default): shown, never a failure, not even with --strict. */
  severity: 'error' | 'warning' | 'note';
  code: FindingCode;
  message: string;
  /** As users see it (relative to the working directory). */
  file: string;
  /** 1-based. A finding about a whole file points at its first line. */
  line: number;
  /** 1-based, in characters; absent when only the line is known. */
  column?: number;
  variable?: string;
  hint?: string;
  /** General form with `stacks`: the stacks the finding concerns (a common file can concern several). */
  stacks?: string[];
}

export type ConfigLocator = (path: JSONPath) => { file: string; line: number; column?: number };

/** Where a setting of tfsync.json is: the value at `path`, else the nearest parent, else line 1. */
export function configLocator(repo: Pick<Repository, 'config'>, config: SourceFile | undefined): ConfigLocator {
  const file = config?.file ?? repo.config.path;
  const root = config ? parseTree(config.text) : undefined;
  const lines = config ? new LineCounter(config.text) : undefined;
  return (path) => {
    for (let n = path.length; root && lines && n > 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n));
      if (!node) continue;
      const { line, col } = lines.position(node.offset);
      return { file, line, column: col };
    }
    return { file, line: 1 };
  };
}

/**
 * "variables" or the environments' pattern matching no file: errors, not warnings, since a typo
 * there makes every other check pass vacuously (issue 15 item 11). Patterns as tfsync.json has
 * them (relative to its folder); `layers` for the general form, whose {env} layers find none.
 */
export function unmatchedPathFindings(
  config: Pick<Repository['config'], 'root' | 'variables' | 'environments'>,
  found: { variables: number; environments: number },
  at: ConfigLocator,
  form: 'classic' | 'layers',
): Finding[] {
  const written = (path: string) => JSON.stringify(pathInside(config.root, path) ?? path);
  const findings: Finding[] = [];
  if (found.variables === 0) {
    findings.push({
      severity: 'error',
      code: 'no-variables-file',
      message: `"variables" (${written(config.variables)}) matches no file: no declarations, defaults or types are known`,
      hint: 'give the path of the module\'s variables.tf, relative to tfsync.json, or a glob of its .tf files such as "*.tf"',
      ...at(['variables']),
    });
  }
  if (found.environments === 0) {
    const [what, hint, key] =
      form === 'classic'
        ? [`"environments" (${written(config.environments)}) matches`, 'give a glob relative to tfsync.json with one "*" for the environment\'s name, e.g. "environments/*/terraform.tfvars"', 'environments']
        : [`the layers with {env} (the last: ${written(config.environments.replaceAll('*', '{env}'))}) match`, 'check the "files" of the layers with {env}, relative to tfsync.json', 'layers'];
    findings.push({ severity: 'error', code: 'no-environments', message: `${what} no file: there is nothing to validate`, hint, ...at([key]) });
  }
  return findings;
}

/** Findings in the order users read them: by file (in `files` order), then line and column. */
export function sortFindings(findings: readonly Finding[], files: readonly string[]): Finding[] {
  const rank = (file: string) => {
    const i = files.indexOf(file);
    return i < 0 ? files.length : i;
  };
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f.file) - rank(b.f.file) || compare(a.f.file, b.f.file) || a.f.line - b.f.line
      || (a.f.column ?? 0) - (b.f.column ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

/**
 * The notes of each file folded into one line at the file's first note (`--verbose` keeps them
 * all): on a real repository "set to its default value" came 95 times, burying what mattered.
 */
export function summarizeNotes(findings: readonly Finding[]): Finding[] {
  const notesByFile = new Map<string, Finding[]>();
  for (const f of findings) if (f.severity === 'note') notesByFile.set(f.file, [...(notesByFile.get(f.file) ?? []), f]);
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.severity !== 'note') out.push(f);
    else {
      const notes = notesByFile.get(f.file)!;
      if (notes[0] !== f) continue;
      if (notes.length === 1) out.push(f);
      else {
        out.push({
          severity: 'note',
          code: f.code,
          message: `${notes.length} variables are set to their default values: ${namesOf(notes)}`,
          file: f.file,
          line: f.line,
          ...(f.column === undefined ? {} : { column: f.column }),
          hint: 'remove the lines to follow the defaults (--verbose lists each one)',
        });
      }
    }
  }
  return out;
}

function namesOf(notes: readonly Finding[]): string {
  const names = notes.map((n) => n.variable);
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
