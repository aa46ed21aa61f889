/**
 * The Makefile block `tfsync init --makefile` prints: the old grep/sed "Environment Sync" targets,
 * same names and variables, each now a one-line tfsync call, with the repository's own
 * environments as SYNC_SOURCE/SYNC_TARGET defaults and one partial target per group of its
 * tfsync.json. The repository's own Makefile carries the block made for the demo (with TFSYNC
 * pinned); test/makefile-snippet.test.ts compares them target by target.
 *
 * Recipe lines start with a real tab (written as \t here so no editor can turn it into spaces).
 */

export interface SnippetOptions {
  /** SYNC_SOURCE's default: the environment changes usually start from. */
  source: string;
  /** SYNC_TARGET's default: the one they go to next. */
  target: string;
  /** Group names of tfsync.json, each a `sync-GROUP` target (`promote --only GROUP --no-shared`). */
  groups: readonly string[];
}

/**
 * The local install when there is one (npx adds about half a second to every run), else npx
 * without a network fallback: a bare `npx tfsync` would fetch whatever package of that name the
 * registry holds when tfsync is not installed.
 */
export const TFSYNC_DEFAULT = '$(if $(wildcard node_modules/.bin/tfsync),node_modules/.bin/tfsync,npx --no-install tfsync)';

/** A group name make can use in a target name and the shell can pass unquoted. */
export const MAKE_SAFE_GROUP = /^[A-Za-z0-9_.-]+$/;

export function makefileSnippet({ source, target, groups }: SnippetOptions): string {
  const usable = groups.filter((g) => MAKE_SAFE_GROUP.test(g));
  const skipped = groups.filter((g) => !MAKE_SAFE_GROUP.test(g));
  const rule = (name: string, help: string, command: string) => `${name}: ## ${help}\n\t$(TFSYNC) ${command} $(TFSYNC_FLAGS)\n`;
  const rules = [
    rule('sync-diff', 'Show differences between two environments (SYNC_SOURCE, SYNC_TARGET)', 'diff $(SYNC_SOURCE) $(SYNC_TARGET)'),
    rule('sync-features-from', 'Copy syncable features from SYNC_SOURCE into the shared file', 'promote $(SYNC_SOURCE) @shared --yes'),
    rule('sync-features-to', "Apply the shared file's features to SYNC_TARGET", 'promote @shared $(SYNC_TARGET) --yes'),
    rule('sync-promote', 'Promote features SYNC_SOURCE -> shared -> SYNC_TARGET (asks first)', 'promote $(SYNC_SOURCE) $(SYNC_TARGET)'),
    rule('sync-backport', 'Backport features, e.g. SYNC_SOURCE=prod SYNC_TARGET=dev (asks first)', 'backport $(SYNC_SOURCE) $(SYNC_TARGET)'),
    ...usable.map((g) => rule(`sync-${g}`, `Copy only the "${g}" group of tfsync.json, env to env`, `promote $(SYNC_SOURCE) $(SYNC_TARGET) --only ${g} --no-shared --yes`)),
    rule('sync-check', "Report every environment's drift from the shared file (exit 2 on drift)", 'check'),
    rule('sync-validate', 'Check tfsync.json, syntax, declarations, types and classification', 'validate'),
  ];
  const names = ['sync-diff', 'sync-features-from', 'sync-features-to', 'sync-promote', 'sync-backport', ...usable.map((g) => `sync-${g}`), 'sync-check', 'sync-validate'];
  return `##@ Environment Sync
#
# Written by \`tfsync init --makefile\`. These targets replace the grep/sed sync targets; the
# SYNCABLE_VARS / ENV_SPECIFIC_VARS lists and SHARED_FEATURES now live in tfsync.json.
# What changed besides:
#   - Values are read and written as HCL: multi-line lists and maps, block comments, name=value,
#     indented attributes and values holding |, & or backslashes are handled. Writes keep comments
#     and untouched lines byte for byte, are parsed again before they land, keep a .bak, and
#     write nothing when nothing changes. Sensitive values print as (sensitive).
#   - sync-features-from updates the shared file in place instead of overwriting it.
#   - sync-promote and sync-backport show the plan and a diff, then ask. Without a terminal they
#     refuse to write: pass TFSYNC_FLAGS=--yes in CI, or TFSYNC_FLAGS=--dry-run to only look.
#   - One sync-GROUP target per group of tfsync.json copies that group env to env without asking
#     (with a .bak), and creates a variable the target lacks instead of skipping it.
#   - sync-check (drift for CI, exit 2) and sync-validate are new.
${skipped.length > 0 ? `#   - No target for the group(s) ${skipped.map((g) => JSON.stringify(g)).join(', ')}: not a name make can use.\n` : ''}
SYNC_SOURCE ?= ${source}
SYNC_TARGET ?= ${target}
# The CLI: the local install (npm i -D tfsync), else npx without fetching anything; TFSYNC=tfsync for a global one.
TFSYNC ?= ${TFSYNC_DEFAULT}
# Extra flags for every command, e.g. TFSYNC_FLAGS=--dry-run or TFSYNC_FLAGS="--json".
TFSYNC_FLAGS ?=

${rules.join('\n')}
.PHONY: ${wrapNames(names)}
`;
}

/** The .PHONY list, continued with backslashes to stay under 100 columns. */
function wrapNames(names: readonly string[]): string {
  const lines: string[] = [];
  let line = '';
  for (const name of names) {
    if (line !== '' && line.length + name.length + 1 > 90) {
      lines.push(line);
      line = name;
    } else {
      line = line === '' ? name : `${line} ${name}`;
    }
  }
  lines.push(line);
  return lines.join(' \\\n\t');
}
