/**
 * The variable lists of an old grep/sed Makefile (`SYNCABLE_VARS`, `ENV_SPECIFIC_VARS`), for
 * `tfsync init --from-makefile`. Reads make's assignment syntax, not make: `=`, `:=`, `::=`, `?=`
 * and `+=`, `export`/`override` in front, `\` line continuations, `#` comments, and references to
 * other variables of the same file (`$(IMAGE_VARS)`, `${DASK_VARS}`). Anything that needs make
 * itself to expand (functions, shell calls) is refused rather than guessed at.
 */
import { TfsyncError } from '../errors.js';

export const SYNCABLE_LIST = 'SYNCABLE_VARS';
export const ENV_SPECIFIC_LIST = 'ENV_SPECIFIC_VARS';

export interface MakefileLists {
  syncable: string[];
  environmentSpecific: string[];
}

interface Assignment {
  value: string;
  line: number;
}

const ASSIGNMENT = /^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_.-]*)\s*(::=|:=|\?=|\+=|=)\s*(.*)$/;
/** `$(NAME)`, `${NAME}` or `$X`; `$(fn args)` matches too, and fails to expand. */
const REFERENCE = /\$(?:\([^()]*\)|\{[^{}]*\}|.)/g;
/** What Terraform accepts as a variable name. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The two lists out of a Makefile's text; `file` names it in errors. */
export function readMakefileLists(text: string, file: string): MakefileLists {
  const assignments = readAssignments(text);
  const syncable = assignments.get(SYNCABLE_LIST);
  const specific = assignments.get(ENV_SPECIFIC_LIST);
  if (!syncable && !specific) {
    throw new TfsyncError(`${file} assigns neither ${SYNCABLE_LIST} nor ${ENV_SPECIFIC_LIST}`, { code: 'makefile-invalid',
      hint: `--from-makefile reads the lists of the old sync targets, e.g. \`${SYNCABLE_LIST} := image_tag worker_cores\``,
    });
  }
  const lists = {
    syncable: syncable ? words(syncable, SYNCABLE_LIST, assignments, file) : [],
    environmentSpecific: specific ? words(specific, ENV_SPECIFIC_LIST, assignments, file) : [],
  };
  const both = lists.syncable.filter((name) => lists.environmentSpecific.includes(name));
  if (both.length > 0) {
    throw new TfsyncError(`${file} lists ${both.map((n) => `"${n}"`).join(', ')} in both ${SYNCABLE_LIST} and ${ENV_SPECIFIC_LIST}`, { code: 'makefile-invalid',
      hint: 'remove each from the list it does not belong to, then run init again',
    });
  }
  return lists;
}

/**
 * Every variable assignment outside recipes, continuations joined and comments dropped. A later
 * `=`/`:=` replaces an earlier one, `+=` appends, `?=` only sets what is unset: as make does when
 * no conditional is involved (conditionals are not evaluated; their lines count like any other).
 */
function readAssignments(text: string): Map<string, Assignment> {
  const assignments = new Map<string, Assignment>();
  for (const { text: line, line: number } of logicalLines(text)) {
    const match = ASSIGNMENT.exec(line);
    if (!match) continue;
    const [, name, op, value = ''] = match as unknown as [string, string, string, string];
    const earlier = assignments.get(name);
    if (op === '?=' && earlier) continue;
    const joined = op === '+=' && earlier ? `${earlier.value} ${value}` : value;
    assignments.set(name, { value: joined.trim(), line: earlier && op === '+=' ? earlier.line : number });
  }
  return assignments;
}

/**
 * Lines as make reads them: a backslash-newline joins two lines into one, with the whitespace
 * around the break squeezed to a single space; a `#` not escaped as `\#` starts a comment.
 * Recipe lines (starting with a tab) are skipped, and with them the continuations of a recipe;
 * so are `define` blocks.
 */
function logicalLines(text: string): Array<{ text: string; line: number }> {
  const physical = text.split(/\r?\n/);
  const out: Array<{ text: string; line: number }> = [];
  let inDefine = false;
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let line = physical[i]!;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      line = `${line.slice(0, -1).trimEnd()} ${physical[++i]!.trimStart()}`;
    }
    if (line.startsWith('\t')) continue;
    // The body of `define NAME ... endef` is a value, not assignments.
    if (inDefine) {
      inDefine = !/^\s*endef\b/.test(line);
      continue;
    }
    if (/^\s*(?:(?:export|override)\s+)*define\s/.test(line)) {
      inDefine = true;
      continue;
    }
    out.push({ text: stripComment(line).trim(), line: start + 1 });
  }
  return out;
}

function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '#') return line.slice(0, i);
  }
  return line;
}

/** The names of a list in order, its references to other variables of the file expanded in place. */
function words(assignment: Assignment, name: string, assignments: Map<string, Assignment>, file: string, seen: string[] = []): string[] {
  if (seen.includes(name)) throw new TfsyncError(`${file}:${assignment.line}: ${[...seen, name].join(' → ')} refers to itself`, { code: 'makefile-invalid' });
  // Each reference becomes a word of its own (NUL cannot occur in a Makefile line), so that the
  // split on whitespace keeps `$(call f, a b)` whole and the names keep their order.
  const references: string[] = [];
  const marked = assignment.value.replace(REFERENCE, (whole) => ` \0${references.push(whole) - 1}\0 `);
  const names: string[] = [];
  for (const word of marked.split(/\s+/).filter(Boolean)) {
    const ref = /^\0(\d+)\0$/.exec(word);
    if (ref) {
      names.push(...expand(references[Number(ref[1])]!, assignment, name, assignments, file, seen));
    } else if (VARIABLE_NAME.test(word)) {
      names.push(word);
    } else {
      const shown = word.replace(/\0(\d+)\0/g, (_, i: string) => references[Number(i)]!);
      throw new TfsyncError(`${file}:${assignment.line}: ${name} holds ${JSON.stringify(shown)}, which is not a Terraform variable name`, { code: 'makefile-invalid' });
    }
  }
  // The JSON schema refuses repeated names; the first occurrence keeps its place.
  return [...new Set(names)];
}

function expand(reference: string, assignment: Assignment, name: string, assignments: Map<string, Assignment>, file: string, seen: string[]): string[] {
  const ref = reference.slice(1).replace(/^[({]([^]*)[)}]$/, '$1');
  const target = assignments.get(ref);
  if (!target) {
    throw new TfsyncError(`${file}:${assignment.line}: ${name} uses ${reference}, which tfsync cannot expand`, { code: 'makefile-invalid',
      hint: `write the variable names into ${name} itself, or assign ${ref} in the same Makefile`,
    });
  }
  return words(target, ref, assignments, file, [...seen, name]);
}
