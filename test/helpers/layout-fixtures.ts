/**
 * Repositories in the layouts the general form describes (docs/layouts.md), written for these
 * tests: common plus per-stack files over several stacks, `<env>/<env>.tfvars` beside a template,
 * `app-<env>` folders with an encrypted secrets file, files at the root and `.tfvars.json` ones.
 */
export type Files = Record<string, string>;

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** terraform/variables/<env>/common.tfvars then terraform/variables/<env>/<stack>.tfvars, per stack. */
export const commonPlusStack: Files = {
  'tfsync.json': json({
    stacks: 'terraform/deployments/*',
    variables: 'terraform/deployments/{stack}/*.tf',
    layers: [
      { name: 'common', files: 'terraform/variables/{env}/common.tfvars' },
      { name: 'stack', files: 'terraform/variables/{env}/{stack}.tfvars', optional: true },
    ],
    syncable: ['image_tag', 'replicas', 'feature_*'],
    environmentSpecific: ['region', 'domain', 'db_password'],
    sensitive: ['*_password'],
  }),
  'terraform/deployments/api/variables.tf': `variable "image_tag" {\n  type    = string\n  default = "v1"\n}\nvariable "replicas" {\n  default = 1\n}\nvariable "region" {}\nvariable "feature_flags" {\n  default = { beta = false }\n}\n`,
  'terraform/deployments/api/main.tf': `variable "db_password" {\n  sensitive = true\n}\n`,
  'terraform/deployments/web/variables.tf': `variable "image_tag" {\n  default = "w1"\n}\nvariable "domain" {}\nvariable "region" {}\n`,
  'terraform/variables/dev/common.tfvars': `# dev, every stack\nregion = "eu-west-1"\nimage_tag = "v2"\n`,
  'terraform/variables/dev/api.tfvars': `image_tag = "v3" # api runs ahead\nreplicas = 2\nfeature_flags = { beta = true }\ndb_password = "dev-secret"\n`,
  'terraform/variables/dev/web.tfvars': `domain = "dev.example.com"\n`,
  'terraform/variables/prod/common.tfvars': `region = "us-east-1"\n`,
  'terraform/variables/prod/api.tfvars': `replicas = 5\ndb_password = "prod-secret"\n`,
  // prod has no web.tfvars: the stack layer is optional.
  'terraform/variables/staging/common.tfvars': `region = "eu-central-1"\nimage_tag = "v3"\nreplicas = 2\n`,
};

/** environments/<env>/<env>.tfvars over a shared file, with a Jinja template that is no environment. */
export const envTwice: Files = {
  'tfsync.json': json({
    variables: 'variables.tf',
    layers: [
      { name: 'shared', files: 'environments/shared.tfvars', optional: true },
      { name: 'env', files: 'environments/{env}/{env}.tfvars' },
    ],
    exclude: ['**/template.tfvars'],
    external: ['state_*'],
    syncable: ['image_tag', 'replicas'],
    environmentSpecific: ['region', 'state_bucket'],
  }),
  'variables.tf': `variable "image_tag" {}\nvariable "replicas" {\n  default = 1\n}\nvariable "region" {}\nvariable "state_bucket" {}\n`,
  'environments/shared.tfvars': `image_tag = "v7"\nregion = "nowhere" # overridden everywhere\n`,
  'environments/dev/dev.tfvars': `region = "eu-west-1"\nreplicas = 2\n`,
  'environments/prod/prod.tfvars': `region = "us-east-1"\nimage_tag = "v6"\n`,
  // Not an environment: `dev/prod.tfvars` does not repeat the name, and the template is excluded.
  'environments/dev/prod.tfvars': `region = "wrong"\n`,
  'environments/template/template.tfvars': `region = "{{ region }}"\n`,
};

/** accounts/app-<env>/values.tfvars, then an optional secrets file (encrypted in prod). */
export const appSegments: Files = {
  'tfsync.json': json({
    variables: 'modules/app/*.tf',
    layers: [
      { name: 'values', files: 'accounts/app-{env}/values.tfvars' },
      { name: 'secrets', files: 'accounts/app-{env}/secrets.tfvars', optional: true },
    ],
    syncable: ['image_tag'],
    environmentSpecific: ['api_key', 'account_id'],
    sensitive: ['api_key'],
  }),
  'modules/app/variables.tf': `variable "image_tag" {}\nvariable "api_key" {}\nvariable "account_id" {}\n`,
  'accounts/app-dev/values.tfvars': `image_tag = "v1"\naccount_id = "111"\n`,
  'accounts/app-dev/secrets.tfvars': `api_key = "dev-key"\n`,
  'accounts/app-prod/values.tfvars': `image_tag = "v1"\naccount_id = "222"\n`,
  'accounts/app-prod/secrets.tfvars': '\u0000GITCRYPT\u0000\u0001\u0002 binary',
};

/** hub-<env>.tfvars at the root, and envs/<env>.tfvars.json files. */
export const rootAndJson: Files = {
  'tfsync.json': json({
    variables: '*.tf',
    layers: [
      { name: 'hub', files: 'hub-{env}.tfvars', optional: true },
      { name: 'json', files: 'envs/{env}.tfvars.json', optional: true },
    ],
    syncable: ['size', 'tags'],
    environmentSpecific: ['name'],
  }),
  'variables.tf': `variable "size" {\n  default = "s"\n}\nvariable "name" {}\nvariable "tags" {\n  default = {}\n}\n`,
  'hub-east.tfvars': `name = "east"\nsize = "m"\n`,
  'hub-west.tfvars': `name = "west"\n`,
  'envs/west.tfvars.json': json({ size: 'l', tags: { team: 'a' } }),
  'envs/north.tfvars.json': json({ name: 'north' }),
};

const unit = (env: string, stack: string, inputs: string) => `# ${env} ${stack}: Terragrunt unit
include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../modules//${stack}"
}

dependency "vpc" {
  config_path = "../vpc"

  mock_outputs = {
    vpc_id = "vpc-mock"
  }
}

locals {
  team = "payments"
}

# The module's values
inputs = {
${inputs}}
`;

/** Terragrunt: accounts/app-<env>/<stack>/terragrunt.hcl, whose `inputs` are the values, over a shared common.hcl. */
export const terragrunt: Files = {
  'tfsync.json': json({
    stacks: 'modules/*',
    variables: 'modules/{stack}/*.tf',
    layers: [
      { name: 'common', files: 'accounts/common.hcl', at: 'inputs', optional: true },
      { name: 'unit', files: 'accounts/app-{env}/{stack}/terragrunt.hcl', at: 'inputs' },
    ],
    syncable: ['image_tag', 'replicas', 'log_level', 'flow_logs'],
    environmentSpecific: ['vpc_id', 'team', 'cidr', 'tags'],
  }),
  'modules/app/variables.tf': `variable "image_tag" {}
variable "replicas" {
  default = 1
}
variable "vpc_id" {}
variable "team" {}
variable "log_level" {
  default = "info"
}
variable "tags" {
  default = {}
}
`,
  'modules/vpc/variables.tf': `variable "cidr" {}
variable "flow_logs" {
  default = false
}
variable "log_level" {
  default = "info"
}
`,
  'accounts/root.hcl': `remote_state {
  backend = "s3"
  config = {
    bucket = "state"
  }
}
`,
  'accounts/common.hcl': `inputs = {
  log_level = "warn"
}
`,
  'accounts/app-dev/app/terragrunt.hcl': unit('dev', 'app', `  image_tag = "v1.4.0" # running in dev
  replicas  = 2
  vpc_id    = dependency.vpc.outputs.vpc_id
  team      = local.team
  tags = {
    Environment = "dev"
  }
`),
  'accounts/app-prod/app/terragrunt.hcl': unit('prod', 'app', `  image_tag = "v1.3.0"
  replicas  = 6
  vpc_id    = dependency.vpc.outputs.vpc_id
  team      = local.team
  log_level = upper("error")
`),
  'accounts/app-dev/vpc/terragrunt.hcl': `terraform {
  source = "../../../modules//vpc"
}

inputs = {
  cidr      = "10.0.0.0/16"
  flow_logs = true
}
`,
  'accounts/app-prod/vpc/terragrunt.hcl': `terraform {
  source = "../../../modules//vpc"
}

inputs = {
  cidr = "10.1.0.0/16"
}
`,
};

/** Workspaces: one variable maps each environment to its settings, in a .tfvars.json and a .tfvars. */
export const workspaces: Files = {
  'tfsync.json': json({
    variables: 'variables.tf',
    environments: ['development', 'staging', 'production'],
    layers: [
      { name: 'base', files: 'settings.tfvars.json', at: 'environments.{env}' },
      { name: 'overrides', files: 'overrides.tfvars', at: 'environments.{env}', optional: true },
    ],
    syncable: ['image', 'min_size', 'features'],
    environmentSpecific: ['instance_type', 'domain'],
  }),
  'variables.tf': `variable "environments" {
  type = map(any)
}
`,
  'settings.tfvars.json': json({
    environments: {
      development: { instance_type: 't3.small', image: 'app:2', min_size: 1, features: { search: true } },
      staging: { instance_type: 't3.medium', image: 'app:2', min_size: 2 },
      production: { instance_type: 'm5.large', image: 'app:1', min_size: 3, features: { search: false } },
    },
  }),
  'overrides.tfvars': `# Hand-kept overrides per environment
environments = {
  production = {
    domain = "example.com" # the real one
    min_size = 4
  }
  development = {}
}
`,
};

export const LAYOUTS: Record<string, Files> = { commonPlusStack, envTwice, appSegments, rootAndJson, terragrunt, workspaces };
