# englacial: the test hub. New images and Dask settings land here first and
# are promoted to prod with `tfsync promote englacial prod`.

# =============================================================================
# ENVIRONMENT-SPECIFIC SETTINGS (DO NOT SYNC)
# =============================================================================

# Core Settings - NEVER SYNC
environment        = "englacial"
region             = "us-west-2"
cluster_name       = "englacial-hub"
kubernetes_version = "1.31"  # testing the upgrade here before prod
domain_name        = "hub.englacial.org"
admin_email        = "admin@englacial.org"
owner_email        = "glaciology-lab@example.com"
cost_center        = "research-englacial"

tags = {
  project  = "englacial"
  funding  = "NSF-2149001"
  lifetime = "until-2026-06"
}

# Network - Environment Specific
vpc_cidr                 = "10.4.0.0/16"
enable_nat_gateway       = true
single_nat_gateway       = true  # one NAT is enough for a test hub
pin_main_nodes_single_az = true
pin_user_nodes_single_az = true

# TLS - Let's Encrypt via the ingress controller
enable_acm = false

# Node Sizing - Environment Specific
system_node_instance_types = ["t3.large"]
system_node_min_size       = 1
system_node_max_size       = 1

user_node_instance_types = ["r5.large", "r5.xlarge", "r5.2xlarge"]
user_node_min_size       = 0
user_node_max_size       = 8

dask_node_instance_types = [
  "m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge",
  "m5a.large", "m5a.xlarge", "m5a.2xlarge", "m5a.4xlarge"
]
dask_node_min_size = 0
dask_node_max_size = 100

home_storage = {
  type    = "ebs"
  size_gb = 200
  backup  = false # scratch data only; users are told so at login
}

# Safety - Environment Specific
deletion_protection = false
force_destroy_s3    = true
skip_final_snapshot = true

# Authentication - one GitHub OAuth app per hub
github_org_whitelist = ["englacial", "ICESat-2HackWeek"]
github_client_id     = "Iv1.0englacial0000"
github_client_secret = "fake-englacial-client-secret-do-not-use" # placeholder; CI injects the real one

# =============================================================================
# SYNCED FEATURES (from shared-features.tfvars)
# Last synced: 2024-11-29 from: prod
# =============================================================================

# Container Images
singleuser_image_name = "pangeo/pangeo-notebook"
singleuser_image_tag  = "2025.01.24" # new icepyx + xarray 2025.01

# Dask Configuration
dask_worker_cores_max  = 1
dask_worker_memory_max = 3
/* Tried 400 for the hackweek; too many spot interruptions, back to 200.
dask_cluster_max_cores = 400
*/
dask_cluster_max_cores = 200

dask_worker_extra_pip_packages = [
  "icepyx==1.3.0",
  "xarray-datatree",
  "sliderule==4.7.1", # ICESat-2 on-demand processing
]

# Timeouts
kernel_cull_timeout = 1800 # 30 minutes: long-running sliderule requests
server_cull_timeout = 3600

# Features
enable_profile_selection = true
use_three_node_groups    = true
enable_lambda_invoke     = true
github_enabled           = true
