# tfsync: development targets, and a drop-in replacement for the grep/sed "Environment Sync"
# targets that tfsync was written to retire. `make help` lists everything.

.DEFAULT_GOAL := help

##@ Development

help: ## List the targets with their descriptions
	@awk 'BEGIN { FS = ":.*## " } \
		/^##@/ { printf "\n%s\n", substr($$0, 5) } \
		/^[a-zA-Z0-9_-]+:.*## / { printf "  %-20s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

build: ## Compile TypeScript to dist/
	npm run build

test: ## Build, then run the test suite
	npm test

bench: ## Build, then run the benchmarks
	npm run bench

.PHONY: help build test bench

# -----------------------------------------------------------------------------
# Everything from here to the end of the file is also shipped as MAKEFILE_SNIPPET in
# src/cli/makefile-snippet.ts (what `tfsync init --makefile` writes for this demo). Keep the two
# in step; test/makefile-snippet.test.ts checks that every target below runs the same tfsync
# command there.
#
# Same target names, variables and defaults as the old Makefile, so `make sync-promote
# SYNC_SOURCE=englacial SYNC_TARGET=prod` keeps working. Deliberate differences:
#   - SYNCABLE_VARS, ENV_SPECIFIC_VARS and SHARED_FEATURES moved to tfsync.json (`tfsync init`
#     reads them out of an old Makefile); globs replace the hand-kept lists.
#   - Values are read and written as HCL: multi-line lists and maps, block comments, `name=value`,
#     indented attributes and values holding `|`, `&` or `\` are handled; every write keeps
#     comments and untouched lines byte for byte, is parsed again before it lands, keeps a .bak,
#     and writes nothing when nothing changes. Sensitive values print as (sensitive).
#   - sync-features-from updates the shared file in place instead of overwriting it, so its
#     banners and comments survive.
#   - sync-promote and sync-backport show the plan and a diff before asking (the old target asked
#     "Press Enter" first and showed the diff after writing). Without a terminal they refuse to
#     write: pass TFSYNC_FLAGS=--yes in CI, or TFSYNC_FLAGS=--dry-run to only look.
#   - sync-images/-dask/-timeouts (one per group of tfsync.json) still copy env to env without
#     asking (now with a .bak), and create a variable the target lacks instead of skipping it.
#   - sync-check and sync-validate are new: drift for CI (exit 2) and a full consistency check.
# -----------------------------------------------------------------------------

##@ Environment Sync

SYNC_SOURCE ?= englacial
SYNC_TARGET ?= dev
# The CLI; --no-install keeps npx from fetching tfsync from the registry behind your back.
TFSYNC ?= npx --no-install tfsync
# Extra flags for every command, e.g. TFSYNC_FLAGS=--dry-run or TFSYNC_FLAGS="--json".
TFSYNC_FLAGS ?=

sync-diff: ## Show differences between two environments (SYNC_SOURCE, SYNC_TARGET)
	$(TFSYNC) diff $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-features-from: ## Copy syncable features from SYNC_SOURCE into the shared file
	$(TFSYNC) promote $(SYNC_SOURCE) @shared --yes $(TFSYNC_FLAGS)

sync-features-to: ## Apply the shared file's features to SYNC_TARGET
	$(TFSYNC) promote @shared $(SYNC_TARGET) --yes $(TFSYNC_FLAGS)

sync-promote: ## Promote features SYNC_SOURCE -> shared -> SYNC_TARGET (asks first)
	$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-backport: ## Backport features, e.g. SYNC_SOURCE=prod SYNC_TARGET=dev (asks first)
	$(TFSYNC) backport $(SYNC_SOURCE) $(SYNC_TARGET) $(TFSYNC_FLAGS)

sync-images: ## Copy only the "images" group of tfsync.json, env to env
	$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only images --no-shared --yes $(TFSYNC_FLAGS)

sync-dask: ## Copy only the "dask" group of tfsync.json, env to env
	$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only dask --no-shared --yes $(TFSYNC_FLAGS)

sync-timeouts: ## Copy only the "timeouts" group of tfsync.json, env to env
	$(TFSYNC) promote $(SYNC_SOURCE) $(SYNC_TARGET) --only timeouts --no-shared --yes $(TFSYNC_FLAGS)

sync-check: ## Report every environment's drift from the shared file (exit 2 on drift)
	$(TFSYNC) check $(TFSYNC_FLAGS)

sync-validate: ## Check tfsync.json, syntax, declarations, types and classification
	$(TFSYNC) validate $(TFSYNC_FLAGS)

.PHONY: sync-diff sync-features-from sync-features-to sync-promote sync-backport \
	sync-images sync-dask sync-timeouts sync-check sync-validate
