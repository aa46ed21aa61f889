/**
 * The Makefile block `tfsync init --makefile` writes: the old grep/sed "Environment Sync" targets,
 * same names, variables and defaults, each now a one-line tfsync call. The repository's own
 * Makefile carries the same block (with TFSYNC pinned to the local build); keep the two in step,
 * test/makefile-snippet.test.ts compares them target by target.
 *
 * Recipe lines start with a real tab (written as \t here so no editor can turn it into spaces).
 */
export const MAKEFILE_SNIPPET = `##@ Environment Sync
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
#   - sync-images/-dask/-timeouts copy env to env without asking, as before (now with a .bak),
#     and create a variable the target lacks instead of skipping it.
#   - sync-check (drift for CI, exit 2) and sync-validate are new.

SYNC_SOURCE ?= englacial
SYNC_TARGET ?= dev
# The CLI; set TFSYNC=tfsync to use a global install.
TFSYNC ?= npx tfsync
# Extra flags for every command, e.g. TFSYNC_FLAGS=--dry-run or TFSYNC_FLAGS="--json".
TFSYNC_FLAGS ?=

sync-diff: ## Show differences between two environments (SYNC_SOURCE, SYNC_TARGET)
\t$(TFSYNC) diff $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-features-from: ## Copy syncable features from SYNC_SOURCE into the shared file
\t$(TFSYNC) promote $(SYNC_SOURCE) @shared --yes $(TFSYNC_FLAGS)

sync-features-to: ## Apply the shared file's features to SYNC_TARGET
\t$(TFSYNC) promote @shared $(SYNC_TARGET) --yes $(TFSYNC_FLAGS)

sync-promote: ## Promote features SYNC_SOURCE -> shared -> SYNC_TARGET (asks first)
\t$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-backport: ## Backport features, e.g. SYNC_SOURCE=prod SYNC_TARGET=dev (asks first)
\t$(TFSYNC) backport $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-images: ## Copy only the container image settings, env to env
\t$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only images --no-shared --yes $(TFSYNC_FLAGS)

sync-dask: ## Copy only the Dask settings, env to env
\t$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only dask --no-shared --yes $(TFSYNC_FLAGS)

sync-timeouts: ## Copy only the idle timeouts, env to env
\t$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only timeouts --no-shared --yes $(TFSYNC_FLAGS)

sync-check: ## Report every environment's drift from the shared file (exit 2 on drift)
\t$(TFSYNC) check $(TFSYNC_FLAGS)

sync-validate: ## Check tfsync.json, syntax, declarations, types and classification
\t$(TFSYNC) validate $(TFSYNC_FLAGS)

.PHONY: sync-diff sync-features-from sync-features-to sync-promote sync-backport \\
\tsync-images sync-dask sync-timeouts sync-check sync-validate
`;
