# =============================================================================
# ENVIRONMENT-SPECIFIC SETTINGS (DO NOT SYNC)
# =============================================================================

# Core Settings - NEVER SYNC
environment        = "prod"
region             = "us-west-2"
cluster_name       = "jupyterhub"
kubernetes_version = "1.30"
domain_name        = "hub.production.example.com"
admin_email        = "admin@example.com"
owner_email        = "platform@example.com"
cost_center        = "platform"

tags = {
  project    = "jupyterhub"
  compliance = "internal"
  oncall     = "platform-team"
}

# Network - Environment Specific
vpc_cidr                 = "10.1.0.0/16"
enable_nat_gateway       = true
single_nat_gateway       = false  # Multi-AZ for HA in prod
pin_main_nodes_single_az = false
pin_user_nodes_single_az = true

# TLS - ACM certificate covering the hub and its dashboards
enable_acm          = true
acm_enable_wildcard = true
acm_auto_validate   = true

# Node Sizing - Environment Specific
system_node_instance_types = ["r5.large"]
system_node_min_size       = 2
system_node_max_size       = 3

user_node_instance_types = ["r5.large", "r5.xlarge"]
user_node_min_size       = 0
user_node_max_size       = 20  # Higher for prod

dask_node_instance_types = [
  "m5.large", "m5.xlarge", "m5.2xlarge",
  "m5a.large", "m5a.xlarge", "m5a.2xlarge",
]
dask_node_min_size = 0
dask_node_max_size = 50

home_storage = {
  type            = "efs"
  throughput_mode = "elastic"
  backup          = true
}

# Safety - Environment Specific
deletion_protection = true   # Prod only
force_destroy_s3    = false  # Prod only
skip_final_snapshot = false

# Authentication - one GitHub OAuth app per hub
github_org_whitelist = ["example-org"]
github_client_id     = "Iv1.0prod00000000"
github_client_secret = "fake-prod-client-secret-do-not-use" # placeholder; CI injects the real one

# =============================================================================
# SYNCED FEATURES (from shared-features.tfvars)
# Last synced: 2025-01-10 from: englacial
# =============================================================================

# Container Images
singleuser_image_name = "pangeo/pangeo-notebook"
singleuser_image_tag  = "2025.01.10"

# Dask Configuration
dask_worker_cores_max  = 1
dask_worker_memory_max = 3
dask_cluster_max_cores = 40

dask_worker_extra_pip_packages = ["icepyx==1.3.0", "xarray-datatree"]

# Timeouts
kernel_cull_timeout = 1200
server_cull_timeout = 3600

# Features
enable_profile_selection = true
use_three_node_groups    = true
enable_lambda_invoke     = true
github_enabled           = true
