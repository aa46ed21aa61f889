import { describe, expect, it } from 'vitest';
import { classify } from '../../src/model/classify.js';
import { loadConfig } from '../../src/model/config.js';
import { chooseLayout, chooseVariables, inferClassification, LAYOUTS, renderConfig, snippetGroups } from '../../src/model/infer-config.js';
import { readMakefileLists } from '../../src/model/makefile-vars.js';
import { environmentSpecificByNature, looksSecret, nameWords } from '../../src/model/name-nature.js';
import { repoOf } from '../helpers/repository.js';
import { extractSeedMakefile } from '../helpers/seed-makefile.js';
import { seedAbsent, titled } from '../helpers/shared-material.js';

describe('chooseLayout', () => {
  it('finds environments/*/terraform.tfvars and the shared file beside them', () => {
    const layout = chooseLayout([
      'environments/prod/terraform.tfvars',
      'environments/dev/terraform.tfvars',
      'environments/shared-features.tfvars',
      'environments/variables.tf',
      'main.tf',
    ]);
    expect(layout.environments).toBe('environments/*/terraform.tfvars');
    expect(layout.found).toEqual([
      { name: 'dev', path: 'environments/dev/terraform.tfvars' },
      { name: 'prod', path: 'environments/prod/terraform.tfvars' },
    ]);
    expect(layout.shared).toEqual({ path: 'environments/shared-features.tfvars', exists: true });
  });

  it('finds envs/*.tfvars, where the shared file matches the glob but is no environment', () => {
    const layout = chooseLayout(['envs/dev.tfvars', 'envs/prod.tfvars', 'envs/staging.tfvars', 'envs/shared.tfvars']);
    expect(layout.environments).toBe('envs/*.tfvars');
    expect(layout.found.map((e) => e.name)).toEqual(['dev', 'prod', 'staging']);
    expect(layout.shared).toEqual({ path: 'envs/shared.tfvars', exists: true });
  });

  it('finds env/*/terraform.tfvars and proposes a shared file beside them when there is none', () => {
    const layout = chooseLayout(['env/a/terraform.tfvars', 'env/b/terraform.tfvars']);
    expect(layout.environments).toBe('env/*/terraform.tfvars');
    expect(layout.shared).toEqual({ path: 'env/shared-features.tfvars', exists: false });
  });

  it('picks the layout with the most environments, and counts every layout', () => {
    const layout = chooseLayout(['environments/legacy/terraform.tfvars', 'tfvars/a.tfvars', 'tfvars/b.tfvars', 'tfvars/c.tfvars']);
    expect(layout.environments).toBe('tfvars/*.tfvars');
    expect(layout.counts).toContainEqual({ glob: 'environments/*/terraform.tfvars', count: 1 });
    expect(layout.counts).toHaveLength(LAYOUTS.length);
  });

  it('leaves out names tfsync would refuse', () => {
    const layout = chooseLayout(['envs/dev.tfvars', 'envs/.hidden.tfvars', 'envs/@odd.tfvars']);
    expect(layout.found.map((e) => e.name)).toEqual(['dev']);
  });

  it('refuses when nothing matches, saying where it looked', () => {
    expect(() => chooseLayout(['main.tf', 'terraform.tfvars'])).toThrow(/no environments found/);
    const error = (() => {
      try {
        chooseLayout([]);
      } catch (e) {
        return e as { hint: string };
      }
    })();
    expect(error?.hint).toContain('looked for environments/*/terraform.tfvars, envs/*/terraform.tfvars');
  });
});

describe('chooseVariables', () => {
  const decl = (name: string) => `variable "${name}" {\n  default = 1\n}\n`;

  it('reads every .tf file of the module: the root when it declares variables, else beside the environments', () => {
    const root = chooseVariables([{ path: 'variables.tf', text: decl('a') }, { path: 'environments/variables.tf', text: decl('b') }], 'environments');
    expect(root).toMatchObject({ variables: 'variables.tf', declaring: ['variables.tf'], reason: 'the only .tf file in the root module' });
    // A root with .tf files but no variable blocks is not the module that holds the declarations.
    const beside = chooseVariables([{ path: 'environments/variables.tf', text: decl('a') }, { path: 'main.tf', text: 'resource "x" "y" {}\n' }], 'environments');
    expect(beside).toMatchObject({ variables: 'environments/variables.tf', reason: 'the only .tf file beside the environments' });
    const several = chooseVariables([{ path: 'envs/variables.tf', text: decl('a') }, { path: 'envs/secrets.tf', text: decl('b') }, { path: 'envs/main.tf', text: '' }], 'envs');
    expect(several?.variables).toBe('envs/*.tf');
    expect(several?.files.map((f) => f.path)).toEqual(['envs/variables.tf', 'envs/secrets.tf', 'envs/main.tf']);
    expect(several?.declaring).toEqual(['envs/variables.tf', 'envs/secrets.tf']);
    expect(several?.reason).toBe('all 3 .tf files beside the environments; variable blocks in envs/variables.tf, envs/secrets.tf');
  });

  it('names every .tf file by glob when there are several, though only one declares variables', () => {
    const main = { path: 'main.tf', text: 'resource "x" "y" {}\n' };
    expect(chooseVariables([main, { path: 'inputs.tf', text: decl('a') }], 'envs')).toMatchObject({ variables: '*.tf', declaring: ['inputs.tf'] });
    const both = chooseVariables([main, { path: 'inputs.tf', text: decl('a') }, { path: 'more.tf', text: decl('b') }], 'envs');
    expect(both?.variables).toBe('*.tf');
    expect(both?.files.map((f) => f.path)).toEqual(['main.tf', 'inputs.tf', 'more.tf']);
    expect(chooseVariables([main], 'envs')).toBeUndefined();
  });
});

describe('environment-specific by nature', () => {
  it.each([
    ['region', 'a region or zone'],
    ['availability_zones', 'a region or zone'],
    ['domain_name', 'a domain, host name or URL'],
    ['api_url', 'a domain, host name or URL'],
    ['vpc_cidr', 'network layout'],
    ['allowed_ips', 'network layout'],
    ['aws_account_id', 'an account, project or resource id'],
    ['project', 'an account, project or resource id'],
    ['subscriptionId', 'an account, project or resource id'],
    ['admin_email', 'an email address'],
    ['user_node_max_size', 'node sizing (counts, sizes, replicas, instance types)'],
    ['node_count', 'node sizing (counts, sizes, replicas, instance types)'],
    ['machine_type', 'node sizing (counts, sizes, replicas, instance types)'],
    ['db_instance_class', 'node sizing (counts, sizes, replicas, instance types)'],
    ['replicas', 'node sizing (counts, sizes, replicas, instance types)'],
    ['deletion_protection', 'a safety switch'],
    ['environment', "the environment's own name"],
    ['env', "the environment's own name"],
    ['stage_name', "the environment's own name"],
    ['cluster_name', 'a cluster name'],
    ['tags', 'tags or labels'],
    ['cost_center', 'a cost center'],
    ['logs_bucket', 'a bucket'],
    ['db_password', 'a credential (and sensitive)'],
  ])('%s: %s', (name, reason) => {
    expect(environmentSpecificByNature(name)).toBe(reason);
  });

  it.each(['singleuser_image_tag', 'singleuser_image_name', 'dask_cluster_max_cores', 'dask_worker_memory_max', 'use_three_node_groups', 'kernel_cull_timeout', 'enable_profile_selection', 'dask_worker_env'])(
    '%s is not',
    (name) => {
      expect(environmentSpecificByNature(name)).toBeUndefined();
    },
  );

  it('splits names into words, whatever the case convention', () => {
    expect(nameWords('userNodeMaxSize')).toEqual(['user', 'node', 'max', 'size']);
    expect(nameWords('user-node__max_size')).toEqual(['user', 'node', 'max', 'size']);
    expect(looksSecret('github_client_secret')).toBe(true);
    expect(looksSecret('token_ttl')).toBe(true);
    expect(looksSecret('keyboard_layout')).toBe(false);
  });
});

describe('inferClassification', () => {
  const repo = repoOf({
    variables: 'variable "image" {\n  default = "v1"\n}\nvariable "timeout" {\n  default = 60\n}\nvariable "license" {}\nvariable "db_password" {\n  sensitive = true\n}\n',
    shared: 'timeout = 90\n',
    envs: {
      dev: 'image = "v2"\nregion = "eu-west-1"\nworkers = 2\nlist = ["a", "b"]\nbeta = true\napi_token = "x"\n',
      prod: 'image = "v2"\nregion = "eu-west-1"\nworkers = 8\nlist = [\n  "a",\n  "b",\n]\ntimeout = 30\n',
      test: 'region = "us-east-1"\n',
    },
  });
  const byName = Object.fromEntries(inferClassification(repo).decisions.map((d) => [d.name, `${d.class}: ${d.reason}`]));

  it('decides every variable declared or set, with a reason', () => {
    const undeclared = 'unclassified: declared in no .tf file: Terraform ignores it (with a warning), so init does not guess';
    expect(byName).toEqual({
      api_token: undeclared,
      beta: undeclared,
      db_password: 'environment-specific: by nature: a credential (and sensitive)',
      image: 'syncable: by nature: a container image (name or tag); the same value in the 2 environments that set it',
      license: 'unclassified: required, yet no environment sets it: nothing to compare',
      list: undeclared,
      region: undeclared,
      timeout: 'syncable: the shared file sets it (environments/shared-features.tfvars:1)',
      workers: undeclared,
    });
  });

  it('without declarations, classifies by name and values', () => {
    const r = repoOf({
      envs: {
        dev: 'image = "v2"\nregion = "eu-west-1"\nworkers = 2\nlist = ["a", "b"]\nbeta = true\n',
        prod: 'image = "v2"\nregion = "eu-west-1"\nworkers = 8\nlist = [\n  "a",\n  "b",\n]\n',
      },
    });
    const found = Object.fromEntries(inferClassification(r).decisions.map((d) => [d.name, `${d.class}: ${d.reason}`]));
    expect(found).toEqual({
      beta: 'unclassified: only dev sets it: nothing to compare it with',
      image: 'syncable: by nature: a container image (name or tag); the same value in the 2 environments that set it',
      list: 'syncable: the same value in all 2 environments',
      region: 'environment-specific: by nature: a region or zone',
      workers: 'environment-specific: 2 different values in all 2 environments (no name rule applies; if they are drift, list it as syncable)',
    });
  });

  it('weighs the name above drifted values: images, versions, timeouts, flags and worker resources stay syncable', () => {
    const names = ['app_image_tag', 'api_version', 'idle_timeout', 'enable_beta_ui', 'search_enabled', 'dask_worker_memory', 'kubernetes_version', 'node_count'];
    const declarations = names.map((n) => `variable "${n}" {}\n`).join('');
    const r = repoOf({
      variables: declarations,
      envs: Object.fromEntries(['dev', 'staging', 'prod'].map((env, i) => [env, names.map((n) => `${n} = "${env}-${i}"\n`).join('')])),
    });
    const found = Object.fromEntries(inferClassification(r).decisions.map((d) => [d.name, `${d.class}: ${d.reason}`]));
    const drift = '; 3 different values across 3 environments: drift to promote';
    expect(found).toEqual({
      api_version: `syncable: by nature: an application version${drift}`,
      app_image_tag: `syncable: by nature: a container image (name or tag)${drift}`,
      dask_worker_memory: `syncable: by nature: worker resources (what the workload needs, unlike node sizing)${drift}`,
      enable_beta_ui: `syncable: by nature: a feature flag${drift}`,
      idle_timeout: `syncable: by nature: a timeout or interval${drift}`,
      // The platform's own version is upgraded one environment at a time: the values decide.
      kubernetes_version: 'environment-specific: 3 different values in all 3 environments (no name rule applies; if they are drift, list it as syncable)',
      node_count: 'environment-specific: by nature: node sizing (counts, sizes, replicas, instance types)',
      search_enabled: `syncable: by nature: a feature flag${drift}`,
    });
  });

  it('lists the secret-looking names that are not declared sensitive (declared or not: masking costs nothing)', () => {
    expect(inferClassification(repo).sensitive).toEqual(['api_token']);
  });

  it('calls a variable no environment sets but that has a default unclassified', () => {
    const r = repoOf({ variables: 'variable "x" {\n  default = 1\n}\n', envs: { a: '', b: '' } });
    expect(inferClassification(r).decisions).toEqual([{ name: 'x', class: 'unclassified', reason: 'no environment sets it (all use the default): nothing to compare' }]);
  });

  it('follows a Makefile: its lists decide, the rest stays unclassified with what inference would say', () => {
    const decisions = inferClassification(repo, { syncable: ['image', 'workers', 'gone'], environmentSpecific: ['region'] }).decisions;
    const find = (name: string) => decisions.find((d) => d.name === name);
    expect(find('workers')).toEqual({ name: 'workers', class: 'syncable', reason: 'listed in SYNCABLE_VARS' });
    expect(find('region')?.class).toBe('environment-specific');
    expect(find('gone')?.reason).toBe('listed in SYNCABLE_VARS; nothing declares or sets it here');
    expect(find('timeout')).toEqual({
      name: 'timeout',
      class: 'unclassified',
      reason: 'in neither list of the Makefile, which never synced it (init alone would say syncable: the shared file sets it (environments/shared-features.tfvars:1))',
    });
    expect(find('beta')?.reason).toBe('in neither list of the Makefile, which never synced it');
  });
});

describe('renderConfig', () => {
  it('writes exact names that load and classify without conflicts, with the snippet groups', () => {
    const decisions = [
      { name: 'singleuser_image_tag', class: 'syncable' as const, reason: '' },
      { name: 'dask_workers', class: 'syncable' as const, reason: '' },
      { name: 'cull_timeout', class: 'syncable' as const, reason: '' },
      { name: 'region', class: 'environment-specific' as const, reason: '' },
      { name: 'beta', class: 'unclassified' as const, reason: '' },
    ];
    const text = renderConfig({
      schema: './node_modules/tfsync/schemas/tfsync.schema.json',
      variables: 'variables.tf',
      shared: 'envs/shared.tfvars',
      environments: 'envs/*.tfvars',
      decisions,
      sensitive: ['api_token'],
    });
    expect(JSON.parse(text)).toEqual({
      $schema: './node_modules/tfsync/schemas/tfsync.schema.json',
      variables: 'variables.tf',
      shared: 'envs/shared.tfvars',
      environments: 'envs/*.tfvars',
      syncable: ['singleuser_image_tag', 'dask_workers', 'cull_timeout'],
      environmentSpecific: ['region'],
      groups: { images: ['singleuser_image_tag'], dask: ['dask_workers'], timeouts: ['cull_timeout'] },
      sensitive: ['api_token'],
    });
    expect(text.endsWith('}\n')).toBe(true);
    const config = loadConfig('/repo/tfsync.json', text);
    const classes = classify(decisions.map((d) => d.name), config);
    expect([...classes.values()].map((c) => c.class)).toEqual(['syncable', 'syncable', 'syncable', 'environment-specific', 'unclassified']);
  });

  it('leaves out groups nothing fits', () => {
    expect(snippetGroups(['feature_x'])).toEqual({});
  });
});

/** The seed's lists, as its Makefile spells them (a copy, for when the seed document is absent). */
const SEED_LISTS_COPY = `# Define which variables are "syncable" (features) vs "environment-specific"
SYNCABLE_VARS := singleuser_image_name singleuser_image_tag \\
                 dask_worker_cores_max dask_worker_memory_max dask_cluster_max_cores \\
                 kernel_cull_timeout server_cull_timeout \\
                 enable_profile_selection use_three_node_groups enable_lambda_invoke \\
                 github_enabled

ENV_SPECIFIC_VARS := environment region cluster_name domain_name admin_email owner_email \\
                     cost_center vpc_cidr enable_nat_gateway single_nat_gateway \\
                     deletion_protection force_destroy_s3 skip_final_snapshot \\
                     system_node_instance_types system_node_min_size system_node_max_size \\
                     user_node_instance_types user_node_min_size user_node_max_size \\
                     dask_node_instance_types dask_node_min_size dask_node_max_size \\
                     kubernetes_version enable_acm acm_enable_wildcard acm_auto_validate \\
                     github_org_whitelist pin_main_nodes_single_az pin_user_nodes_single_az
`;

const SEED_SYNCABLE = [
  'singleuser_image_name', 'singleuser_image_tag', 'dask_worker_cores_max', 'dask_worker_memory_max', 'dask_cluster_max_cores',
  'kernel_cull_timeout', 'server_cull_timeout', 'enable_profile_selection', 'use_three_node_groups', 'enable_lambda_invoke', 'github_enabled',
];

describe('readMakefileLists', () => {
  const seed = extractSeedMakefile();
  const readsTheSeedLists = (text: string) => {
    const lists = readMakefileLists(text, 'Makefile');
    expect(lists.syncable).toEqual(SEED_SYNCABLE);
    expect(lists.environmentSpecific).toHaveLength(29);
    expect(lists.environmentSpecific.slice(0, 3)).toEqual(['environment', 'region', 'cluster_name']);
    expect(lists.environmentSpecific.at(-1)).toBe('pin_user_nodes_single_az');
  };

  it('reads a copy of the seed lists, continuations and all', () => readsTheSeedLists(SEED_LISTS_COPY));

  it.skipIf(seed === undefined)(titled('reads the seed Makefile itself, continuations and all', seedAbsent), () => readsTheSeedLists(seed!));

  it('reads =, ?=, += and export, drops comments, skips recipes and define blocks, expands references', () => {
    const text = [
      'IMAGES = image_name image_tag # the notebook image',
      'export SYNCABLE_VARS ?= $(IMAGES) \\',
      '\tworkers  # tab-indented continuation',
      'SYNCABLE_VARS ?= ignored',
      'SYNCABLE_VARS += ${EXTRA} timeout',
      'EXTRA := extra_one',
      'ENV_SPECIFIC_VARS = region',
      'define ENV_SPECIFIC_VARS',
      'not_a_name',
      'endef',
      'sync:',
      '\tENV_SPECIFIC_VARS=zzz echo recipe',
    ].join('\n');
    expect(readMakefileLists(text, 'Makefile')).toEqual({
      syncable: ['image_name', 'image_tag', 'workers', 'extra_one', 'timeout'],
      environmentSpecific: ['region'],
    });
  });

  it('refuses what it cannot read: no list, a name in both, a function, a bad name, a cycle', () => {
    expect(() => readMakefileLists('FOO := bar\n', 'Makefile')).toThrow('Makefile assigns neither SYNCABLE_VARS nor ENV_SPECIFIC_VARS');
    expect(() => readMakefileLists('SYNCABLE_VARS := a b\nENV_SPECIFIC_VARS := b\n', 'Makefile')).toThrow('lists "b" in both');
    expect(() => readMakefileLists('SYNCABLE_VARS := $(shell cat vars.txt)\n', 'Makefile')).toThrow('Makefile:1: SYNCABLE_VARS uses $(shell cat vars.txt), which tfsync cannot expand');
    expect(() => readMakefileLists('SYNCABLE_VARS := a/b\n', 'Makefile')).toThrow('"a/b", which is not a Terraform variable name');
    expect(() => readMakefileLists('SYNCABLE_VARS := $(A)\nA := $(SYNCABLE_VARS)\n', 'Makefile')).toThrow('refers to itself');
  });
});
