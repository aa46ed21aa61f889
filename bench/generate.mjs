/**
 * Deterministic generators of realistic Terraform variable files and whole tfsync repositories,
 * for benchmarks and tests. Everything comes from a seeded PRNG (never Math.random), so the same
 * options always give the same bytes.
 *
 *   generateTfvars({ variables, seed, drift })  -> the text of one .tfvars file
 *   generateLayout(dir, { environments, variables, seed, driftShare })  -> a repository on disk
 *
 * Plain ESM JavaScript so that it runs without a build step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// --- randomness ----------------------------------------------------------------------------------

/** mulberry32: a small, fast, well-mixed 32-bit PRNG. Returns floats in [0, 1). */
export function createRandom(seed) {
  let a = hashSeed(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    next,
    /** An integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
  return random;
}

/** Any seed (number or string, several parts) to a 32-bit state, by FNV-1a. */
function hashSeed(...parts) {
  let h = 0x811c9dc5;
  for (const ch of parts.map(String).join('\u0000')) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A PRNG for one purpose, independent of every other purpose drawn from the same seed. */
function stream(seed, ...purpose) {
  return createRandom(hashSeed(seed, ...purpose));
}

// --- the variables ---------------------------------------------------------------------------------

const FAMILIES = [
  { prefix: 'singleuser_image', kinds: ['image_name', 'image_tag'] },
  { prefix: 'dask_worker', kinds: ['cores', 'memory', 'packages', 'flag'] },
  { prefix: 'kernel', kinds: ['timeout', 'flag'] },
  { prefix: 'server', kinds: ['timeout', 'count'] },
  { prefix: 'user_node', kinds: ['instance_types', 'count', 'count'] },
  { prefix: 'system_node', kinds: ['instance_types', 'count'] },
  { prefix: 'feature', kinds: ['flag', 'flag', 'ratio'] },
  { prefix: 'network', kinds: ['cidr', 'zones', 'flag'] },
  { prefix: 'dns', kinds: ['domain', 'email'] },
  { prefix: 'tags', kinds: ['map'] },
  { prefix: 'storage', kinds: ['object', 'size'] },
  { prefix: 'iam', kinds: ['policy', 'arn'] },
  { prefix: 'monitoring', kinds: ['retention', 'email', 'flag'] },
  { prefix: 'auth', kinds: ['client_id', 'password', 'orgs'] },
];

const SUFFIX = {
  image_name: 'name', image_tag: 'tag', cores: 'cores_max', memory: 'memory_max', packages: 'extra_pip_packages',
  flag: 'enabled', timeout: 'cull_timeout', count: 'max_size', instance_types: 'instance_types', ratio: 'ratio',
  cidr: 'cidr', zones: 'availability_zones', domain: 'domain_name', email: 'contact_email', map: 'extra',
  object: 'settings', size: 'size_gb', policy: 'policy_json', arn: 'role_arn', retention: 'retention_days',
  client_id: 'client_id', password: 'password', orgs: 'allowed_orgs',
};

const TYPE = {
  image_name: 'string', image_tag: 'string', cores: 'number', memory: 'number', packages: 'list(string)',
  flag: 'bool', timeout: 'number', count: 'number', instance_types: 'list(string)', ratio: 'number',
  cidr: 'string', zones: 'list(string)', domain: 'string', email: 'string', map: 'map(string)',
  object: 'object({\n    type       = string\n    throughput = optional(string, "elastic")\n    backup     = bool\n    tiers      = list(string)\n  })',
  size: 'number', policy: 'string', arn: 'string', retention: 'number', client_id: 'string', password: 'string',
  orgs: 'list(string)',
};

/**
 * The declared variables for a seed: names (unique, realistic), kinds and types. The i-th
 * variable is the same for every count of variables at or above i.
 */
export function variableSpecs({ variables, seed = 1 }) {
  const specs = [];
  for (let i = 0; i < variables; i++) {
    const random = stream(seed, 'spec', i);
    const family = random.pick(FAMILIES);
    const kind = random.pick(family.kinds);
    // Numbered past the first pass through the families, so that names stay unique at any size.
    const name = `${family.prefix}_${SUFFIX[kind]}${i < FAMILIES.length ? '' : `_${i}`}`;
    specs.push({ name, kind, type: TYPE[kind], section: family.prefix, sensitive: kind === 'password' });
  }
  // The first pass can repeat a family and kind; make every name unique.
  const seen = new Set();
  for (const [i, spec] of specs.entries()) {
    if (seen.has(spec.name)) spec.name = `${spec.name}_${i}`;
    seen.add(spec.name);
  }
  return specs;
}

// --- values ------------------------------------------------------------------------------------------

const IMAGES = ['pangeo/pangeo-notebook', 'jupyter/scipy-notebook', 'quay.io/2i2c/base', 'ghcr.io/org/hub-image'];
const INSTANCES = ['m5.large', 'm5.xlarge', 'm5.2xlarge', 'r5.large', 'r5.xlarge', 'c6i.4xlarge', 't3.medium'];
const PACKAGES = ['icepyx==1.3.0', 'xarray-datatree', 'dask-ml>=2024.1', 'zarr', 's3fs[boto3]', 'rioxarray'];
const WORDS = ['platform', 'science', 'glacier', 'hub', 'ocean', 'data', 'research', 'ops'];

function quote(s) {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * One variable's value as HCL source, with the line layout a person would write. `variant`
 * changes the value (drift, or another environment) while keeping its kind.
 */
function valueSource(spec, random) {
  switch (spec.kind) {
    case 'image_name':
      return quote(random.pick(IMAGES));
    case 'image_tag':
      return quote(`${random.int(2023, 2026)}.${String(random.int(1, 12)).padStart(2, '0')}.${String(random.int(1, 28)).padStart(2, '0')}`);
    case 'cores':
    case 'memory':
      return String(random.pick([1, 2, 4, 8, 16]));
    case 'count':
      return String(random.int(0, 200));
    case 'timeout':
      return String(random.int(5, 240) * 60);
    case 'retention':
    case 'size':
      return String(random.int(1, 400));
    case 'ratio':
      return `${random.int(0, 1)}.${random.int(0, 99)}`;
    case 'flag':
      return random.chance(0.5) ? 'true' : 'false';
    case 'cidr':
      return quote(`10.${random.int(0, 255)}.0.0/${random.pick([16, 20, 24])}`);
    case 'domain':
      return quote(`${random.pick(WORDS)}.${random.pick(['example.org', 'example.com', 'hub.example.net'])}`);
    case 'email':
      return quote(`${random.pick(WORDS)}-team@example.com`);
    case 'client_id':
      return quote(`Iv1.${random.int(100000, 999999)}abcdef`);
    case 'password':
      // Sed metacharacters and escapes, as real secrets have.
      return quote(`p|a&s\\s/${random.int(1000, 9999)}"x`);
    case 'arn':
      return quote(`arn:aws:iam::${random.int(100000000000, 999999999999)}:role/${random.pick(WORDS)}`);
    case 'packages':
    case 'instance_types':
    case 'zones':
    case 'orgs': {
      const pool = spec.kind === 'packages' ? PACKAGES : spec.kind === 'instance_types' ? INSTANCES
        : spec.kind === 'zones' ? ['us-west-2a', 'us-west-2b', 'us-west-2c', 'us-west-2d'] : ['example-org', 'partner-org', 'ops'];
      const shuffled = [...pool];
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = random.int(0, i);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      const items = shuffled.slice(0, random.int(1, Math.min(5, pool.length))).map(quote);
      if (items.length <= 2 && random.chance(0.5)) return `[${items.join(', ')}]`;
      const trailing = random.chance(0.7) ? ',' : '';
      return `[\n${items.map((item, i) => `  ${item}${i < items.length - 1 ? ',' : trailing}`).join('\n')}\n]`;
    }
    case 'map': {
      const keys = [...new Set(Array.from({ length: random.int(1, 4) }, () => random.pick(['project', 'owner', 'cost-center', 'team', 'env'])))];
      const width = Math.max(...keys.map((k) => (k.includes('-') ? k.length + 2 : k.length)));
      const lines = keys.map((k) => {
        const key = k.includes('-') ? quote(k) : k;
        return `  ${key.padEnd(width)} = ${quote(random.pick(WORDS))}`;
      });
      return `{\n${lines.join('\n')}\n}`;
    }
    case 'object':
      return [
        '{',
        `  type       = ${quote(random.pick(['efs', 'ebs', 'nfs']))}`,
        `  throughput = ${quote(random.pick(['elastic', 'bursting']))} # optional`,
        `  backup     = ${random.chance(0.5)}`,
        `  tiers      = [${quote(random.pick(WORDS))}, ${quote(random.pick(WORDS))}]`,
        '}',
      ].join('\n');
    case 'policy':
      return [
        '<<-EOT',
        '  {',
        '    "Version": "2012-10-17",',
        `    "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${random.pick(WORDS)}-${random.int(1, 99)}/*" }]`,
        '  }',
        '  EOT',
      ].join('\n');
    default:
      throw new Error(`unknown kind ${spec.kind}`);
  }
}

/** A value of the same kind that differs from `source` (tries a few draws, then gives up). */
function differentValue(spec, random, source) {
  for (let i = 0; i < 8; i++) {
    const next = valueSource(spec, random);
    if (next !== source) return next;
  }
  return source;
}

const TRAILING_COMMENTS = ['# tuned for cost', '# see runbook', '// set by platform team', '/* reviewed */', '# 20 minutes'];

function banner(title, lines = []) {
  const rule = `# ${'='.repeat(77)}`;
  return [rule, `# ${title}`, ...lines.map((l) => `# ${l}`), rule].join('\n');
}

/** Attributes of one section as text: lead comments, aligned `=`, trailing comments. */
function renderSection(title, entries, random) {
  const out = [`# ${'-'.repeat(77)}`, `# ${title}`, `# ${'-'.repeat(77)}`];
  // Align the `=` of consecutive single-line attributes, as terraform fmt does.
  const width = Math.max(0, ...entries.filter((e) => !e.source.includes('\n')).map((e) => e.name.length));
  for (const { name, source } of entries) {
    const multiline = source.includes('\n');
    if (random.chance(0.15)) out.push(random.chance(0.8) ? `# ${random.pick(WORDS)} setting for ${name}` : `/* ${random.pick(WORDS)}:\n   ${name} */`);
    const pad = multiline ? name : name.padEnd(width);
    const comment = !source.startsWith('<<') && random.chance(0.2) ? ` ${random.pick(TRAILING_COMMENTS)}` : '';
    out.push(`${pad} = ${source}${comment}`);
    if (multiline) out.push('');
  }
  while (out[out.length - 1] === '') out.pop();
  return out.join('\n');
}

/**
 * The text of one realistic .tfvars file: a banner, sections of attributes (strings, numbers,
 * bools, multi-line lists, maps, an object, a heredoc), comments of all three kinds.
 *
 * @param {{ variables: number, seed?: number, drift?: number, driftSeed?: number|string, specs?: object[], title?: string, notes?: string[] }} options
 *   `drift` (0..1) is the share of values that differ from the seed's base values; `driftSeed`
 *   picks which ones and how (a different driftSeed, a different drift). `specs` overrides the
 *   variables (see variableSpecs); `title` and `notes` are the banner's lines.
 */
export function generateTfvars({ variables, seed = 1, drift = 0, driftSeed = 'drift', specs, title = 'GENERATED VARIABLES', notes }) {
  const list = specs ?? variableSpecs({ variables, seed });
  const random = stream(seed, 'layout', driftSeed);
  const entries = list.map((spec) => {
    const base = valueSource(spec, stream(seed, 'value', spec.name));
    const drifted = drift > 0 && stream(seed, 'drift?', driftSeed, spec.name).chance(drift);
    return { spec, name: spec.name, source: drifted ? differentValue(spec, stream(seed, 'drift', driftSeed, spec.name), base) : base };
  });
  // Sections by family, in order of first appearance, at most a dozen attributes each.
  const byFamily = new Map();
  for (const entry of entries) {
    const family = byFamily.get(entry.spec.section) ?? [];
    family.push(entry);
    byFamily.set(entry.spec.section, family);
  }
  const sections = [];
  for (const [name, family] of byFamily) {
    for (let i = 0; i < family.length; i += 12) sections.push({ name, entries: family.slice(i, i + 12) });
  }
  const head = banner(title, notes ?? [`${list.length} variables, seed ${seed}`, 'Generated by bench/generate.mjs for benchmarks; not a real configuration.']);
  const body = sections.map((s) => renderSection(s.name.replace(/_/g, ' ').toUpperCase(), s.entries, random));
  return `${head}\n\n${body.join('\n\n')}\n`;
}

// --- a whole repository ----------------------------------------------------------------------------

function environmentNames(count) {
  const first = ['dev', 'staging', 'prod', 'englacial', 'sandbox'];
  return Array.from({ length: count }, (_, i) => (i < first.length ? first[i] : `env-${String(i).padStart(4, '0')}`));
}

function variablesTf(specs, seed) {
  const blocks = specs.map((spec) => {
    const lines = [
      `variable "${spec.name}" {`,
      `  description = ${quote(`${spec.section.replace(/_/g, ' ')}: ${SUFFIX[spec.kind].replace(/_/g, ' ')}`)}`,
      `  type        = ${spec.type}`,
    ];
    if (!spec.sensitive) {
      const value = valueSource(spec, stream(seed, 'default', spec.name)).replace(/\n/g, '\n  ');
      lines.push(`  default     = ${value}`);
    } else {
      lines.push('  sensitive   = true');
    }
    if (spec.kind === 'count') {
      lines.push('', '  validation {', `    condition     = var.${spec.name} >= 0`, '    error_message = "Must not be negative."', '  }');
    }
    lines.push('}');
    return lines.join('\n');
  });
  return `${banner('Input variables (layer 1: defaults)', ['Generated by bench/generate.mjs.'])}\n\n${blocks.join('\n\n')}\n`;
}

/**
 * Writes a full tfsync repository into `dir` (created if needed):
 *   tfsync.json                              half the variables syncable, by explicit name
 *   environments/variables.tf                every variable declared, with defaults
 *   environments/shared-features.tfvars      the syncable variables' shared values
 *   environments/<env>/terraform.tfvars      environment-specific values, then a SYNCED FEATURES
 *                                            section in which a `driftShare` of the syncable
 *                                            values differ from the shared file
 * Returns what it wrote: names, classes and paths.
 */
export function generateLayout(dir, { environments = 3, variables = 40, seed = 1, driftShare = 0.1 } = {}) {
  const specs = variableSpecs({ variables, seed });
  // Every other variable is syncable; secrets never are.
  const syncable = specs.filter((s, i) => i % 2 === 0 && !s.sensitive);
  const syncableNames = new Set(syncable.map((s) => s.name));
  const specific = specs.filter((s) => !syncableNames.has(s.name));
  const envs = environmentNames(environments);

  mkdirSync(join(dir, 'environments'), { recursive: true });
  const config = {
    $schema: './schemas/tfsync.schema.json',
    variables: 'environments/variables.tf',
    shared: 'environments/shared-features.tfvars',
    environments: 'environments/*/terraform.tfvars',
    syncable: syncable.map((s) => s.name),
    environmentSpecific: specific.map((s) => s.name),
    sensitive: ['*_password'],
  };
  const files = [];
  const write = (rel, text) => {
    writeFileSync(join(dir, rel), text);
    files.push(rel);
  };
  write('tfsync.json', `${JSON.stringify(config, null, 2)}\n`);
  write('environments/variables.tf', variablesTf(specs, seed));
  const synced = ['These settings sync across all environments.', 'Last synced: 2025-01-10 from: dev'];
  write('environments/shared-features.tfvars', generateTfvars({ variables: syncable.length, seed, specs: syncable, title: 'Shared Features Configuration', notes: synced }));
  for (const [index, env] of envs.entries()) {
    mkdirSync(join(dir, 'environments', env), { recursive: true });
    // Environment-specific values differ between environments: drift them all, per environment.
    const own = generateTfvars({
      variables: specific.length, seed, specs: specific, drift: index === 0 ? 0 : 0.8, driftSeed: `env:${env}`,
      title: `ENVIRONMENT-SPECIFIC SETTINGS: ${env} (DO NOT SYNC)`, notes: [`Environment ${env}.`],
    });
    const features = generateTfvars({
      variables: syncable.length, seed, specs: syncable, drift: driftShare, driftSeed: `sync:${env}`,
      title: 'SYNCED FEATURES (from shared-features.tfvars)', notes: ['Last synced: 2025-01-10 from: dev'],
    });
    write(join('environments', env, 'terraform.tfvars'), `${own}\n${features}`);
  }
  return {
    dir,
    environments: envs,
    variables: specs.map((s) => s.name),
    syncable: syncable.map((s) => s.name),
    environmentSpecific: specific.map((s) => s.name),
    files,
  };
}

/**
 * Writes a general-form repository (issue 11's size: 50 stacks × 10 environments × 2 layers × 200
 * variables by default):
 *   tfsync.json                          stacks, two layers, half the variables syncable
 *   stacks/<stack>/variables.tf          every variable declared, with defaults
 *   vars/<env>/common.tfvars             a fifth of the variables, read by every stack
 *   vars/<env>/<stack>.tfvars            the rest, a `driftShare` of them differing per environment
 * Returns the stack and environment names and the files written.
 */
export function generateStacksLayout(dir, { stacks = 50, environments = 10, variables = 200, seed = 1, driftShare = 0.1 } = {}) {
  const specs = variableSpecs({ variables, seed });
  const syncable = specs.filter((s, i) => i % 2 === 0 && !s.sensitive);
  const syncableNames = new Set(syncable.map((s) => s.name));
  const common = specs.filter((s, i) => i % 5 === 1);
  const commonNames = new Set(common.map((s) => s.name));
  const own = specs.filter((s) => !commonNames.has(s.name));
  const envs = environmentNames(environments);
  const stackNames = Array.from({ length: stacks }, (_, i) => `stack-${String(i).padStart(2, '0')}`);
  const files = [];
  const write = (rel, text) => {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
    files.push(rel);
  };
  write('tfsync.json', `${JSON.stringify({
    stacks: 'stacks/*',
    variables: 'stacks/{stack}/variables.tf',
    layers: [
      { name: 'common', files: 'vars/{env}/common.tfvars' },
      { name: 'stack', files: 'vars/{env}/{stack}.tfvars', optional: true },
    ],
    syncable: syncable.map((s) => s.name),
    environmentSpecific: specs.filter((s) => !syncableNames.has(s.name)).map((s) => s.name),
    sensitive: ['*_password'],
  }, null, 2)}\n`);
  const declarations = variablesTf(specs, seed);
  for (const stack of stackNames) write(`stacks/${stack}/variables.tf`, declarations);
  for (const env of envs) {
    write(`vars/${env}/common.tfvars`, generateTfvars({ variables: common.length, seed, specs: common, drift: driftShare, driftSeed: `${env}-common`, title: `${env}: every stack` }));
    for (const stack of stackNames) {
      write(`vars/${env}/${stack}.tfvars`, generateTfvars({ variables: own.length, seed, specs: own, drift: driftShare, driftSeed: `${env}-${stack}`, title: `${env}: ${stack}` }));
    }
  }
  return { stacks: stackNames, environments: envs, files };
}
