# =============================================================================
# Input variables for the JupyterHub + Dask Gateway stack (layer 1: defaults)
#
# Values are layered, last one wins:
#   1. the defaults below
#   2. environments/shared-features.tfvars   (features that sync across envs)
#   3. environments/<env>/terraform.tfvars   (one environment's values)
#
# Which variables may be synced between environments is declared in tfsync.json.
# =============================================================================

# -----------------------------------------------------------------------------
# Core settings (environment-specific)
# -----------------------------------------------------------------------------

variable "environment" {
  description = "Short name of the deployment; used in resource names and tags."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,20}$", var.environment))
    error_message = "The environment must be 2-21 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "us-west-2"
}

variable "cluster_name" {
  description = "Name of the EKS cluster."
  type        = string
  default     = "jupyterhub"
}

variable "kubernetes_version" {
  description = "EKS control plane version. Upgrade one minor version at a time."
  type        = string
  default     = "1.30"
}

variable "domain_name" {
  description = "Public hostname of the hub, e.g. hub.example.org."
  type        = string
}

variable "admin_email" {
  description = "Address that receives Let's Encrypt and AWS budget notifications."
  type        = string
}

variable "owner_email" {
  description = "Owner tag applied to every resource."
  type        = string
  default     = "platform@example.com"
}

variable "cost_center" {
  description = "Cost allocation tag."
  type        = string
  default     = "platform"
}

variable "tags" {
  description = "Extra tags merged into the default tags of every resource."
  type        = map(string)
  default     = {}
}

# -----------------------------------------------------------------------------
# Network (environment-specific)
# -----------------------------------------------------------------------------

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "The vpc_cidr must be a valid IPv4 CIDR block, e.g. 10.0.0.0/16."
  }
}

variable "enable_nat_gateway" {
  description = "Create NAT gateways so private subnets can reach the internet."
  type        = bool
  default     = true
}

variable "single_nat_gateway" {
  description = "Use one NAT gateway for all AZs (cheaper, not highly available)."
  type        = bool
  default     = true
}

variable "pin_main_nodes_single_az" {
  description = "Keep the system node group in the first AZ (avoids cross-AZ EBS attach failures)."
  type        = bool
  default     = false
}

variable "pin_user_nodes_single_az" {
  description = "Keep user notebook nodes in the first AZ, next to their home volumes."
  type        = bool
  default     = true
}

# -----------------------------------------------------------------------------
# TLS (environment-specific)
# -----------------------------------------------------------------------------

variable "enable_acm" {
  description = "Issue the hub's certificate with ACM instead of Let's Encrypt."
  type        = bool
  default     = false
}

variable "acm_enable_wildcard" {
  description = "Also cover *.domain_name with the ACM certificate."
  type        = bool
  default     = false
}

variable "acm_auto_validate" {
  description = "Create the Route 53 records that validate the ACM certificate."
  type        = bool
  default     = true
}

# -----------------------------------------------------------------------------
# Safety (environment-specific)
# -----------------------------------------------------------------------------

variable "deletion_protection" {
  description = "Refuse to destroy the cluster and its data stores."
  type        = bool
  default     = false
}

variable "force_destroy_s3" {
  description = "Allow terraform destroy to delete non-empty S3 buckets."
  type        = bool
  default     = false
}

variable "skip_final_snapshot" {
  description = "Skip the final snapshot of the hub database on destroy."
  type        = bool
  default     = true
}

# -----------------------------------------------------------------------------
# Node groups (environment-specific)
# -----------------------------------------------------------------------------

variable "system_node_instance_types" {
  description = "Instance types for the system node group (hub, proxy, ingress)."
  type        = list(string)
  default     = ["r5.large"]
}

variable "system_node_min_size" {
  type    = number
  default = 1
}

variable "system_node_max_size" {
  type    = number
  default = 1
}

variable "user_node_instance_types" {
  description = "Instance types users can pick from at login (see enable_profile_selection)."
  type        = list(string)
  default     = ["r5.large", "r5.xlarge"]
}

variable "user_node_min_size" {
  type    = number
  default = 0
}

variable "user_node_max_size" {
  type    = number
  default = 10
}

variable "dask_node_instance_types" {
  description = "Spot instance types for Dask workers; more types means fewer interruptions."
  type        = list(string)
  default     = ["m5.large", "m5.xlarge"]
}

variable "dask_node_min_size" {
  type    = number
  default = 0
}

variable "dask_node_max_size" {
  type    = number
  default = 50
}

variable "home_storage" {
  description = "Where user home directories live."
  type = object({
    type            = string                     # "efs" or "ebs"
    size_gb         = optional(number)           # ebs only
    throughput_mode = optional(string, "bursting")
    backup          = optional(bool, true)
  })
  default  = { type = "efs" }
  nullable = false

  validation {
    condition     = contains(["efs", "ebs"], var.home_storage.type)
    error_message = "The home_storage.type must be \"efs\" or \"ebs\"."
  }
}

# -----------------------------------------------------------------------------
# Authentication
# -----------------------------------------------------------------------------

variable "github_enabled" {
  description = "Log users in with GitHub OAuth (otherwise the dummy authenticator, dev only)."
  type        = bool
  default     = false
}

variable "github_org_whitelist" {
  description = "GitHub organisations whose members may log in."
  type        = list(string)
  default     = []
}

variable "github_client_id" {
  description = "Client ID of the GitHub OAuth app; one app per environment."
  type        = string
  default     = ""
}

variable "github_client_secret" {
  description = "Client secret of the GitHub OAuth app."
  type        = string
  sensitive   = true
}

# -----------------------------------------------------------------------------
# Features (synced across environments)
# -----------------------------------------------------------------------------

variable "singleuser_image_name" {
  description = "Notebook image for user servers."
  type        = string
  default     = "pangeo/pangeo-notebook"
}

variable "singleuser_image_tag" {
  description = "Tag of the notebook image; Dask workers use the same image."
  type        = string
  default     = "2024.11.28"
}

variable "dask_worker_cores_max" {
  description = "Largest number of cores a user may request per Dask worker."
  type        = number
  default     = 1
}

variable "dask_worker_memory_max" {
  description = "Largest memory (GiB) a user may request per Dask worker."
  type        = number
  default     = 3
}

variable "dask_worker_extra_pip_packages" {
  description = "Packages pip-installed into every Dask worker at start-up (EXTRA_PIP_PACKAGES)."
  type        = list(string)
  default     = []
}

variable "dask_cluster_max_cores" {
  description = "Cores one Dask cluster may use in total."
  type        = number
  default     = 40
}

variable "kernel_cull_timeout" {
  description = "Seconds an idle kernel lives before it is culled."
  type        = number
  default     = 1200

  validation {
    condition     = var.kernel_cull_timeout >= 300
    error_message = "Culling kernels idle for less than 5 minutes kills running work."
  }
}

variable "server_cull_timeout" {
  description = "Seconds an idle user server lives before it is stopped."
  type        = number
  default     = 3600
}

variable "enable_profile_selection" {
  description = "Let users pick an instance size at login."
  type        = bool
  default     = false
}

variable "use_three_node_groups" {
  description = "Separate node groups for system, user and Dask worker pods."
  type        = bool
  default     = true
}

variable "enable_lambda_invoke" {
  description = "Allow user pods to invoke the xagg processing Lambda."
  type        = bool
  default     = false
}
