/**
 * `tfsync validate`: everything wrong with a repository, all at once, as findings with a file and
 * line each. Pure: the texts come in (see io/load-repository.ts), findings go out. Type checks
 * come in as a TypeChecker, because checking needs ajv, which only validate may load.
 *
 * No message carries a value: findings say where and what is wrong, and a sensitive value has
 * nothing to leak through. The two kinds of message that quote source text (syntax errors and the
 * official parser's) are scrubbed in validate-sources.ts.
 */
import type { JSONPath } from 'jsonc-parser';
import { evaluate, type JsonValue } from '../hcl/evaluate.js';
import { parseExpression } from '../hcl/parser.js';
import type { Expression } from '../hcl/syntax.js';
import { placeCarriers } from '../model/config.js';
import { SHARED } from '../model/environments.js';
import { effectiveValues } from '../model/layers.js';
import { entryMatchesName } from '../model/path-rules.js';
import { syncsAnyPart, variableClass } from '../model/classify.js';
import { matches } from '../model/patterns.js';
import { classificationOf, type Layer, type Repository, type SourceFile } from '../model/repository.js';
import { secretRefText } from '../model/secret-ref.js';
import { didYouMean } from '../model/suggest.js';
import type { PathStep } from '../model/type-schema.js';
import { equalityType, sameValue } from './value-equality.js';
import { secretFindings } from './validate-secrets.js';
import type { TypeChecker, TypeIssue } from './type-check.js';
import { configLocator, type ConfigLocator, type Finding, type FindingCode } from './findings.js';

// The library's and the tests' names for them, as before the split.
export type { Finding, FindingCode } from './findings.js';
export { sortFindings } from './findings.js';

export interface ValidateOptions {
  /** Checks values against declared types; without it, types are not checked. */
  typeCheck?: TypeChecker;
  /** tfsync.json as read, to point at the pattern or setting at fault. */
  config?: SourceFile;
  /** Files that could not be parsed are left out of the repository; what that leaves unknown. */
  incomplete?: { declarations?: boolean; shared?: boolean };
}

export interface RepositoryFindings {
  findings: Finding[];
  /** Values whose type was not checked: expressions tfsync does not evaluate. */
  notChecked: number;
}

/** What every rule reads, and where the findings go. */
interface Context {
  repo: Repository;
  at: ConfigLocator;
  typed: TypeChecks;
  /** Every variables file was read: a name none declares is undeclared. */
  declarationsKnown: boolean;
  /** The shared file was read (or does not exist). */
  sharedKnown: boolean;
  findings: Finding[];
}

/** Every rule that needs a parsed repository; findings in rule order (sortFindings orders them). */
export function validateRepository(repo: Repository, options: ValidateOptions = {}): RepositoryFindings {
  const ctx: Context = {
    repo,
    at: configLocator(repo, options.config),
    typed: typeChecks(repo, options.typeCheck),
    declarationsKnown: repo.declarations.size > 0 && !options.incomplete?.declarations,
    sharedKnown: !options.incomplete?.shared,
    findings: [],
  };
  modelProblems(ctx);
  unusedPatterns(ctx);
  for (const layer of valueLayers(repo)) layerRules(ctx, layer);
  declarationRules(ctx, options.typeCheck);
  requiredValues(ctx);
  unclassified(ctx);
  ctx.findings.push(...secretFindings(repo, ctx.at, ctx.declarationsKnown));
  return { findings: ctx.findings, notChecked: ctx.typed.notChecked() };
}

/**
 * The layers whose values the rules look at, each once: the shared file and the environments'
 * files (classic form), or every file of every layer (general form), where a file that several
 * environments read (a common layer) is one document.
 */
function valueLayers(repo: Repository): Layer[] {
  if (!repo.sharedLayers) return [repo.shared, ...repo.environments.values()];
  const docs = new Set<unknown>();
  const out: Layer[] = [];
  for (const env of [...repo.sharedLayers.values(), ...repo.environments.values()]) {
    for (const s of env.sources ?? []) {
      if (docs.has(s.doc) || !s.exists) continue;
      docs.add(s.doc);
      out.push({ name: s.layer, path: s.path, file: s.file, exists: s.exists, doc: s.doc });
    }
  }
  return out;
}

/** The problems buildRepository found that validate reports as they are. */
function modelProblems({ repo, at, findings }: Context): void {
  for (const p of repo.problems) {
    if (p.code === 'duplicate-declaration') {
      findings.push({ severity: 'error', code: p.code, message: p.message, file: p.file ?? at([]).file, line: p.line ?? 1, variable: p.variable });
    } else if (p.code === 'conflict') {
      // The fix is in tfsync.json: point at the first syncable pattern that claims the name.
      const pattern = repo.classification.get(p.variable)?.conflict?.syncable[0];
      const index = pattern === undefined ? -1 : repo.config.syncable.indexOf(pattern);
      findings.push({
        severity: 'error',
        code: 'conflict',
        message: p.message,
        ...at(index >= 0 ? ['syncable', index] : ['syncable']),
        variable: p.variable,
        hint: 'list the variable by its full name under the class it belongs to (an exact name beats a glob), or narrow a pattern',
      });
    }
  }
}

/** Each value a layer sets: declared, allowed in its layer, of its type, not just the default again. */
function layerRules(ctx: Context, layer: Layer): void {
  const { repo, findings } = ctx;
  const declaredNames = [...repo.declarations.keys()];
  for (const a of layer.doc.attributes) {
    const position = layer.doc.lines.position(a.nameRange.start);
    const where: Location = { file: layer.file, line: position.line, column: position.col, variable: a.name };
    const decl = repo.declarations.get(a.name);
    const c = variableClass(classificationOf(repo, a.name));
    // The fields of a map entry (`"at": "environments.{env}"`) are no Terraform variables.
    const inMap = (layer.doc.place?.path.parts.length ?? 0) > 0;
    if (!decl && ctx.declarationsKnown && !inMap) {
      // Terraform warns ("Value for undeclared variable") and goes on; so does tfsync (--strict fails).
      findings.push({
        severity: 'warning',
        code: 'undeclared',
        message: `"${a.name}" is set but not declared in any variables file`,
        ...where,
        hint: didYouMean(a.name, declaredNames) ?? 'declare it with a variable block, or remove it (Terraform ignores it with a warning)',
      });
    }
    if (layer.name === SHARED && (c === 'environment-specific' || c === 'unclassified')) {
      findings.push({
        severity: 'error',
        code: 'shared-not-syncable',
        message: `"${a.name}" is ${c} but set in the shared file, so Terraform applies it to every environment`,
        ...where,
        hint: c === 'unclassified' ? 'add it to "syncable" in tfsync.json, or move it into the environments\' files' : 'move it into the environments\' files',
      });
    }
    if (!decl) continue;
    // Point at the item at fault where the syntax tree has it (JSON files: at the value).
    const locate = (steps: readonly PathStep[]): Location => {
      // Native syntax: parse the value again (documents keep no trees) to find the item's offset.
      const start = layer.doc.format === 'hcl'
        ? a.valueRange.start + expressionAt(parseExpression(a.source).expr, steps, a.source).range.start
        : a.valueRange.start;
      const { line, col } = layer.doc.lines.position(start);
      return { ...where, line, column: col };
    };
    ctx.typed.value(decl.name, a.value, locate, false, findings);
    if (overridesDefault(ctx, layer, a.name, a.value)) {
      findings.push({
        severity: 'note',
        code: 'default-override',
        message: `"${a.name}" is set to its default value (${decl.file}:${decl.line})`,
        ...where,
        hint: 'remove the line to follow the default',
      });
    }
  }
}

/** Each declaration: its default is of its type, and its type is one tfsync can check. */
function declarationRules(ctx: Context, checker: TypeChecker | undefined): void {
  for (const decl of ctx.repo.declarations.values()) {
    const where: Location = { file: decl.file, line: decl.line, variable: decl.name };
    if (decl.hasDefault) ctx.typed.value(decl.name, decl.default ?? null, () => where, true, ctx.findings);
    const problem = decl.type === undefined ? undefined : checker?.typeProblem(decl);
    if (problem === undefined) continue;
    ctx.findings.push({ severity: 'warning', code: 'unknown-type', message: `the values of "${decl.name}" are not type-checked: ${problem}`, ...where });
  }
}

/** Variables declared without a default that an environment leaves without a value. */
function requiredValues({ repo, sharedKnown, findings }: Context): void {
  for (const env of repo.environments.values()) {
    for (const v of effectiveValues(repo, env.name)) {
      // Without the shared file's values, a syncable variable it may set cannot be called missing.
      if (!v.required || (!sharedKnown && v.class === 'syncable')) continue;
      // A secret reference supplies it at run time (`tfsync exec`); `check` proves the secret is there.
      if (secretRefText(repo.config.secrets, v.name, env.name) !== undefined) continue;
      const decl = repo.declarations.get(v.name)!;
      findings.push({
        severity: 'error',
        code: 'required',
        message: `required variable "${v.name}" has no value in ${env.name} (${decl.file}:${decl.line} declares it without a default)`,
        file: env.file,
        line: 1,
        variable: v.name,
        hint: v.class === 'syncable' ? `set it in ${env.file} or the shared file, or give it a default` : `set it in ${env.file}, or give it a default`,
      });
    }
  }
}

/** Variables in neither list of tfsync.json, once each, where they are declared (or first set). */
function unclassified({ repo, at, declarationsKnown, findings }: Context): void {
  const layers = [repo.shared, ...repo.environments.values()];
  const carriers = placeCarriers(repo.config);
  for (const [name, c] of repo.classification) {
    if (carriers.has(name)) continue;
    const decl = repo.declarations.get(name);
    // An undeclared name is reported already; classifying it would not help.
    if (c.class !== 'unclassified' || c.paths || (!decl && declarationsKnown)) continue;
    findings.push({
      severity: 'warning',
      code: 'unclassified',
      message: `"${name}" is neither syncable nor environment-specific, so tfsync never syncs it`,
      ...(decl ? { file: decl.file, line: decl.line } : firstSetting(layers, name)),
      variable: name,
      hint: `add it to "syncable" or "environmentSpecific" in ${at([]).file}`,
    });
  }
}

/**
 * A value equal to the default is redundant only where the default is what it overrides: in the
 * shared file, or in an environment whose variable the shared file does not set. (An environment
 * that repeats the shared value is the synced section by design.)
 */
function overridesDefault({ repo, sharedKnown }: Context, layer: Layer, name: string, value: JsonValue): boolean {
  const decl = repo.declarations.get(name);
  if (!decl?.hasDefault || !sameValue(value, decl.default ?? null, equalityType(decl))) return false;
  // The shared file records the features environments share, defaults included (promote writes
  // them there); a value equal to the default is the record, not a redundant override.
  if (layer.name === SHARED) return false;
  if (!syncsAnyPart(classificationOf(repo, name))) return true;
  return sharedKnown && !repo.shared.doc.byName.has(name);
}

type TypeChecks = ReturnType<typeof typeChecks>;

/** Type checks of values, counting the ones that cannot be checked. */
function typeChecks(repo: Repository, checker: TypeChecker | undefined) {
  let notChecked = 0;
  return {
    notChecked: () => notChecked,
    value(name: string, value: JsonValue, locate: (steps: readonly PathStep[]) => Location, isDefault: boolean, out: Finding[]) {
      const decl = repo.declarations.get(name);
      if (!checker || !decl) return;
      const result = checker.check(decl, value, { sensitive: classificationOf(repo, name).sensitive, isDefault });
      if (result.status === 'expression') notChecked++;
      // An unknown type is reported once, at the declaration.
      if (result.status !== 'checked') return;
      const what = isDefault ? 'default: ' : '';
      const finding = (severity: Finding['severity'], code: FindingCode, issue: TypeIssue): Finding =>
        ({ severity, code, ...locate(issue.steps), message: `${what}${issue.message}`, ...(issue.hint ? { hint: issue.hint } : {}) });
      for (const e of result.errors) out.push(finding('error', 'type', e));
      for (const w of result.warnings) out.push(finding('warning', 'dropped-attribute', w));
    },
  };
}

/** Where a finding is, without what it says. */
type Location = Omit<Finding, 'severity' | 'code' | 'message'>;

/** The item of an expression that a path leads to, as far as the expression's literal structure goes. */
function expressionAt(expr: Expression, steps: readonly PathStep[], text: string): Expression {
  let current = expr;
  for (const step of steps) {
    let next: Expression | undefined;
    if ('index' in step && current.type === 'tuple') next = current.items[step.index];
    if ('key' in step && current.type === 'object') {
      next = current.items.find((item) => (item.key.type === 'traversal' ? text.slice(item.key.range.start, item.key.range.end) : evaluate(item.key, text)) === step.key)?.value;
    }
    if (!next) break;
    current = next;
  }
  return current;
}

function firstSetting(layers: Layer[], name: string): { file: string; line: number } {
  for (const layer of layers) {
    const a = layer.doc.byName.get(name);
    if (a) return { file: layer.file, line: a.line };
  }
  return { file: layers[0]!.file, line: 1 };
}

/** Patterns of tfsync.json that match no variable: a misspelt name classifies nothing. */
function unusedPatterns({ repo, at, findings }: Context): void {
  const names = [...repo.classification.keys()];
  const check = (patterns: readonly string[], path: JSONPath, what: string) => {
    patterns.forEach((pattern, index) => {
      if (names.some((name) => entryMatchesName(pattern, name))) return;
      const suggestion = didYouMean(pattern, names);
      findings.push({
        severity: 'warning',
        code: 'unused-pattern',
        message: `${what} pattern "${pattern}" matches no variable`,
        ...at([...path, index]),
        ...(suggestion ? { hint: suggestion } : {}),
      });
    });
  };
  check(repo.config.syncable, ['syncable'], 'syncable');
  check(repo.config.environmentSpecific, ['environmentSpecific'], 'environmentSpecific');
  for (const [group, patterns] of Object.entries(repo.config.groups)) check(patterns, ['groups', group], `group "${group}"`);
}
