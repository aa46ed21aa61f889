# dev: throwaway hub for infrastructure changes. Scaled to zero overnight.

# =============================================================================
# ENVIRONMENT-SPECIFIC SETTINGS (DO NOT SYNC)
# =============================================================================

# Core Settings - NEVER SYNC
environment        = "dev"
region             = "us-east-2"
cluster_name       = "jupyterhub-dev"
kubernetes_version = "1.31"
domain_name        = "hub.dev.example.com"
admin_email        = "admin@example.com"
owner_email        = "platform@example.com"
cost_center        = "platform-dev"

# Network - Environment Specific
vpc_cidr           = "10.2.0.0/16"
enable_nat_gateway = true
single_nat_gateway = true  # cost over availability

# Node Sizing - Environment Specific (small and spot-friendly)
system_node_instance_types = ["t3.medium"]
system_node_min_size       = 1
system_node_max_size       = 1

user_node_instance_types = ["t3.large"]
user_node_min_size       = 0
user_node_max_size       = 3

dask_node_instance_types = [
  "m5.large",
  "m5a.large",
]
dask_node_max_size = 10

# Safety - Environment Specific
deletion_protection = false
force_destroy_s3    = true
skip_final_snapshot = true

# Authentication
github_org_whitelist = ["example-org"]
github_client_id     = "Iv1.0dev000000000"
github_client_secret = "fake-dev-client-secret-do-not-use" # placeholder; CI injects the real one

# =============================================================================
# SYNCED FEATURES (from shared-features.tfvars)
# Last synced: 2024-12-02 from: englacial
# =============================================================================

# Container Images
singleuser_image_name = "pangeo/pangeo-notebook"
singleuser_image_tag  = "2024.11.28"

# Dask Configuration
dask_worker_cores_max  = 2
dask_worker_memory_max = 4
dask_cluster_max_cores = 40

# Timeouts
kernel_cull_timeout = 1200
server_cull_timeout = 3600

# Features
enable_profile_selection = false
use_three_node_groups    = true
github_enabled           = true
