# Shared Features Configuration
# These settings sync across all environments.
# Edit with `tfsync promote <env> @shared`, not by hand; review with `tfsync check`.
# Last synced: 2025-01-10 from: englacial

# =============================================================================
# Container Image Configuration
# =============================================================================
singleuser_image_name = "pangeo/pangeo-notebook"
singleuser_image_tag  = "2025.01.10"

# =============================================================================
# Dask Gateway Configuration
# =============================================================================
dask_worker_cores_max  = 1     # 1 core per worker (optimized for CPU-bound)
dask_worker_memory_max = 3     # 3GB per worker
dask_cluster_max_cores = 40    # Max 40 cores per cluster

# Installed at worker start-up; keep in step with the notebook image's versions.
dask_worker_extra_pip_packages = [
  "icepyx==1.3.0",
  "xarray-datatree",
]

# =============================================================================
# Idle Timeouts
# =============================================================================
kernel_cull_timeout = 1200  # 20 minutes
server_cull_timeout = 3600  # 60 minutes

# =============================================================================
# Feature Flags
# =============================================================================
enable_profile_selection = true   # User selects instance size at login
use_three_node_groups    = true   # 3-node architecture (system, user, worker)
enable_lambda_invoke     = true   # Lambda for xagg processing

# =============================================================================
# Authentication
# =============================================================================
github_enabled = true
# Note: github_org_whitelist is environment-specific
