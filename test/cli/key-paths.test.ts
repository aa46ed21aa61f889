/**
 * Key paths beyond get/set/diff, end to end: validate of entries with key paths, check per leaf,
 * `show ENV NAME.path`, and promotion of single leaves, on a repository whose maps carry comments
 * inside their objects.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-keypaths-');

const VARIABLES = `variable "tags" {
  type    = map(string)
  default = {}
}

variable "databases" {
  type = map(object({
    engine_version = string
    instance_class = string
    password       = string
  }))
}

variable "node_pools" {
  type    = any
  default = {}
}

variable "domain" {
  type = string
}
`;

export const CONFIG = {
  variables: 'variables.tf',
  shared: 'envs/shared.tfvars',
  environments: 'envs/*/terraform.tfvars',
  syncable: ['tags.*', 'databases.*.engine_version', 'node_pools.*.image'],
  environmentSpecific: ['tags.Environment', 'domain', 'databases', 'node_pools'],
  sensitive: ['databases.*.password'],
  groups: { engines: ['databases.*.engine_version'] },
};

const SHARED = `# Shared features
tags = {
  Team  = "data" # who to call
  Owner = "ops"
}
`;

export const DEV = `domain = "dev.example"

tags = {
  # the environment's own name
  Environment = "dev"
  Team        = "data" # who to call
  Owner       = "platform"
}

databases = {
  account_api = {
    engine_version = "15.4" # bumped in dev first
    instance_class = "db.t3.small"
    password       = "dev-secret-do-not-print"
  }
  billing = {
    engine_version = "14.9"
    instance_class = "db.t3.micro"
    password       = "dev-billing-secret"
  }
}

node_pools = {
  gpu = {
    image = "gpu-2024.06" # new driver
    size  = 2
  }
}
`;

export const PROD = `domain = "prod.example"

tags = {
  Environment = "prod" # never synced
  Owner       = "ops"
}

databases = {
  account_api = {
    # pinned until the migration
    engine_version = "14.2"
    instance_class = "db.r6g.large" # prod sized
    password       = "prod-secret-do-not-print"
  }
}
`;

export async function keyPathRepo(name: string, overrides: Record<string, string | undefined> = {}): Promise<string> {
  return temp.fixture(name, {
    'tfsync.json': JSON.stringify(CONFIG, null, 2),
    'variables.tf': VARIABLES,
    'envs/shared.tfvars': SHARED,
    'envs/dev/terraform.tfvars': DEV,
    'envs/prod/terraform.tfvars': PROD,
    ...overrides,
  });
}

const SECRETS = ['dev-secret-do-not-print', 'prod-secret-do-not-print', 'dev-billing-secret'];

describe('validate with key paths', () => {
  it('passes a repository whose entries reach inside maps', async () => {
    const cwd = await keyPathRepo('validate-ok');
    const { code, out } = await run(['validate'], { cwd });
    expect(out).not.toMatch(/error/);
    expect(code).toBe(0);
  });

  it('reports entries of both lists that tie at file:line:col of the syncable one', async () => {
    const config = { ...CONFIG, syncable: [...CONFIG.syncable, 'databases.*.instance_class'], environmentSpecific: [...CONFIG.environmentSpecific, 'databases.account_api.*'] };
    const text = JSON.stringify(config, null, 2);
    const cwd = await keyPathRepo('validate-tie', { 'tfsync.json': text });
    const { code, out } = await run(['validate'], { cwd });
    expect(code).toBe(1);
    // databases.account_api.engine_version and .instance_class are each covered by two entries of
    // the same specificity (two steps, one wildcard): the error points at the first syncable one.
    const line = text.split('\n').findIndex((l) => l.includes('"databases.*.engine_version"')) + 1;
    expect(out).toContain(
      `tfsync.json:${line}:5: error: variable "databases" matches syncable "databases.*.engine_version", "databases.*.instance_class" and environmentSpecific "databases.account_api.*"`,
    );
    // Every other command refuses to guess.
    const check = await run(['check'], { cwd });
    expect(check.code).toBe(1);
    expect(check.err).toMatch(/variable "databases" matches syncable/);
  });

  it('refuses a bad key path in tfsync.json with its line and column', async () => {
    const text = JSON.stringify({ ...CONFIG, syncable: ['tags.*', 'node_pools.*.'] }, null, 2);
    const cwd = await keyPathRepo('validate-bad', { 'tfsync.json': text });
    const { code, out, err } = await run(['validate'], { cwd });
    expect(code).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('"node_pools.*."')) + 1;
    expect(out + err).toContain(`tfsync.json:${line}:5: error: tfsync.json: /syncable/1 is not a valid key path at column 14: expected a key after "."`);
  });

  it('never prints a sensitive leaf', async () => {
    const cwd = await keyPathRepo('validate-secrets');
    const { out, err } = await run(['validate', '--verbose'], { cwd });
    for (const secret of SECRETS) expect(out + err).not.toContain(secret);
  });
});

describe('check per key path', () => {
  it('reports only the syncable leaves that drift, each with its path and line', async () => {
    const cwd = await keyPathRepo('check-text');
    const { code, out } = await run(['check'], { cwd });
    expect(code).toBe(2);
    expect(out).toContain('  tags.Owner                            shared: "ops" → dev: "platform"  (envs/dev/terraform.tfvars:7)');
    expect(out).toContain('  databases.account_api.engine_version  shared: (not set) → dev: "15.4"  (envs/dev/terraform.tfvars:12)');
    expect(out).toContain('  node_pools.gpu.image                  shared: (not set) → dev: "gpu-2024.06"  (envs/dev/terraform.tfvars:25)');
    // A leaf the environment lacks points at the object that lacks it.
    expect(out).toContain('  tags.Team                             shared: "data" → prod: (not set)  (envs/prod/terraform.tfvars:3)');
    // Environment-specific leaves never drift: tags.Environment, instance classes, passwords, pool sizes.
    expect(out).not.toMatch(/Environment|instance_class|password|size/);
    for (const secret of SECRETS) expect(out).not.toContain(secret);
  });

  it('is in step when only environment-specific leaves differ', async () => {
    const prod = PROD.replace('"prod" # never synced', '"production" # never synced');
    const cwd = await keyPathRepo('check-in-step', {
      'envs/shared.tfvars': 'tags = {\n  Owner = "ops"\n}\ndatabases = {\n  account_api = { engine_version = "14.2" }\n}\n',
      'envs/prod/terraform.tfvars': prod,
    });
    const { code, out } = await run(['check', 'prod'], { cwd });
    expect(out).toMatch(/prod is in step with @shared/);
    expect(code).toBe(0);
  });

  it('--json lists the leaves with their paths and lines; --format github annotates each line', async () => {
    const cwd = await keyPathRepo('check-json');
    const { out } = await run(['check', 'dev', '--json'], { cwd });
    const doc = JSON.parse(out) as { environments: Array<{ drift: Array<{ name: string; paths?: unknown[] }> }> };
    const tags = doc.environments[0]!.drift.find((d) => d.name === 'tags')!;
    expect(tags.paths).toEqual([
      { path: 'tags.Owner', status: 'different', sensitive: false, shared: { value: 'ops' }, value: { value: 'platform', origin: { file: 'envs/dev/terraform.tfvars', line: 7 } } },
    ]);
    const github = await run(['check', 'dev', '--format', 'github'], { cwd, env: { GITHUB_WORKSPACE: cwd } });
    expect(github.out).toContain('::warning file=envs/dev/terraform.tfvars,line=7,title=Drift in dev%3A tags.Owner::dev sets tags.Owner = "platform"; @shared has "ops".');
    expect(github.out).toContain('line=25,title=Drift in dev%3A node_pools.gpu.image::');
    for (const secret of SECRETS) expect(out + github.out).not.toContain(secret);
  });

  it('masks a sensitive leaf that drifts, and only it', async () => {
    const config = { ...CONFIG, syncable: [...CONFIG.syncable, 'databases.*.password'], sensitive: ['databases.*.password'] };
    const cwd = await keyPathRepo('check-sensitive', { 'tfsync.json': JSON.stringify(config) });
    const { out } = await run(['check', 'dev'], { cwd });
    expect(out).toMatch(/databases\.account_api\.password +shared: \(not set\) → dev: \(sensitive\)/);
    expect(out).toContain('dev: "15.4"');
    const json = await run(['check', 'dev', '--json'], { cwd });
    const markdown = await run(['check', 'dev', '--format', 'markdown'], { cwd });
    for (const secret of SECRETS) expect(out + json.out + markdown.out).not.toContain(secret);
    expect(markdown.out).toContain('| `databases.account_api.password` | _(not set)_ | _(sensitive)_ | `envs/dev/terraform.tfvars:14` |');
  });

  it('names the one leaf where two 40-entry maps differ, with long values cut to the width', async () => {
    const long = 'x'.repeat(300);
    const entries = (owner: string) => Array.from({ length: 40 }, (_, i) => `  key_${i} = "${i === 17 ? owner : `${long}-${i}`}"`).join('\n');
    const cwd = await keyPathRepo('check-forty', {
      'envs/shared.tfvars': `tags = {\n${entries(`${long}-shared`)}\n}\n`,
      'envs/dev/terraform.tfvars': `domain = "d"\ntags = {\n${entries(`${long}-dev`)}\n}\n`,
    });
    const { out } = await run(['check', 'dev'], { cwd });
    // (databases is reported too: required, and neither file sets it.)
    const lines = out.split('\n').filter((l) => l.startsWith('  tags'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^  tags\.key_17  shared: "x+… → dev: "x+…  \(envs\/dev\/terraform\.tfvars:20\)$/);
    expect(lines[0]!.length).toBeLessThanOrEqual(110);
    const full = await run(['check', 'dev', '--full'], { cwd });
    expect(full.out).toContain(`"${long}-dev"`);
  });
});

describe('show ENV NAME.path', () => {
  it('shows one leaf with the file and line that set it', async () => {
    const cwd = await keyPathRepo('show');
    const { code, out } = await run(['show', 'prod', 'databases.account_api.engine_version'], { cwd });
    expect(code).toBe(0);
    expect(out).toBe('databases.account_api.engine_version = "14.2"  # prod:11\n\nprod: envs/prod/terraform.tfvars\n');
    // A leaf of a map the environment sets itself, and an object as a leaf.
    const shared = await run(['show', 'prod', 'tags.Owner', 'tags.Environment'], { cwd });
    expect(shared.out).toContain('tags.Owner       = "ops"  # prod:5');
    const inherited = await run(['show', 'dev', 'node_pools.gpu'], { cwd });
    expect(inherited.out).toContain('node_pools.gpu = { image = "gpu-2024.06", size = 2 }  # dev:24');
  });

  it('--json gives the leaf, its class and its origin', async () => {
    const cwd = await keyPathRepo('show-json', { 'envs/prod/terraform.tfvars': 'domain = "p"\n' });
    const { out } = await run(['show', 'prod', 'tags.Team', '--json'], { cwd });
    expect(JSON.parse(out)).toEqual({
      environment: 'prod',
      variables: [{ name: 'tags', path: 'tags.Team', class: 'syncable', sensitive: false, value: 'data', origin: { layer: 'shared', file: 'envs/shared.tfvars', line: 3 } }],
    });
  });

  it('masks a sensitive leaf, and names the first part that does not exist', async () => {
    const cwd = await keyPathRepo('show-errors');
    const secret = await run(['show', 'dev', 'databases.account_api.password', 'databases.account_api.instance_class'], { cwd });
    expect(secret.out).toContain('databases.account_api.password       = (sensitive)  # dev:14');
    expect(secret.out).toContain('databases.account_api.instance_class = "db.t3.small"  # dev:13');
    for (const s of SECRETS) expect(secret.out + secret.err).not.toContain(s);
    const missing = await run(['show', 'prod', 'databases.billing.engine_version'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('databases has no key billing (in databases.billing.engine_version)');
  });
});

describe('promotion on key paths', () => {
  const read = (cwd: string, file: string) => readFile(join(cwd, file), 'utf8');

  it('promotes only the syncable leaves, in place, keeping every comment and the environment-specific leaves', async () => {
    const cwd = await keyPathRepo('promote');
    const { code, out, err } = await run(['promote', 'dev', 'prod', '--yes'], { cwd, env: { SOURCE_DATE_EPOCH: '0' } });
    expect(err).not.toMatch(/error/i);
    expect(code).toBe(0);
    expect(out).toContain('~ update databases.account_api.engine_version: "14.2" → "15.4"');
    expect(out).toContain('+ create tags.Team: "data"');
    for (const secret of SECRETS) expect(out + err).not.toContain(secret);
    expect(await read(cwd, 'envs/prod/terraform.tfvars')).toBe(`domain = "prod.example"

tags = {
  Environment = "prod" # never synced
  Owner       = "platform"
  Team        = "data"
}

databases = {
  account_api = {
    # pinned until the migration
    engine_version = "15.4"
    instance_class = "db.r6g.large" # prod sized
    password       = "prod-secret-do-not-print"
  }
  billing = {
    engine_version = "14.9"
  }
}

# ====================================================================
# SYNCED FEATURES (managed by tfsync)
# Last synced: 1970-01-01 from: dev
# ====================================================================
node_pools = {
  gpu = {
    image = "gpu-2024.06"
  }
}
`);
    expect(await read(cwd, 'envs/shared.tfvars')).toBe(`# Shared features
tags = {
  Team  = "data" # who to call
  Owner = "platform"
}
databases = {
  account_api = {
    engine_version = "15.4"
  }
  billing = {
    engine_version = "14.9"
  }
}
node_pools = {
  gpu = {
    image = "gpu-2024.06"
  }
}
`);
    // Promoting again changes nothing, and every environment is in step.
    const again = await run(['promote', 'dev', 'prod', '--dry-run', '--detailed-exitcode'], { cwd });
    expect(again.code).toBe(0);
    expect((await run(['check'], { cwd })).code).toBe(0);
  });

  it('--var NAME.path promotes that leaf alone; an environment-specific leaf is refused', async () => {
    const cwd = await keyPathRepo('promote-var');
    const before = await read(cwd, 'envs/prod/terraform.tfvars');
    const { code, out } = await run(['promote', 'dev', 'prod', '--var', 'databases.account_api.engine_version', '--no-shared', '--yes'], { cwd });
    expect(code).toBe(0);
    expect(out).toMatch(/Plan: 1 file to change; 0 to create, 1 to update/);
    expect(await read(cwd, 'envs/prod/terraform.tfvars')).toBe(before.replace('engine_version = "14.2"', 'engine_version = "15.4"'));
    const refused = await run(['promote', 'dev', 'prod', '--var', 'databases.account_api.instance_class', '--dry-run'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--var databases.account_api.instance_class: databases.account_api.instance_class is environment-specific');
  });

  it('--only GROUP with key paths promotes just those leaves; --json names each leaf', async () => {
    const cwd = await keyPathRepo('promote-group');
    const { code, out } = await run(['promote', 'dev', 'prod', '--only', 'engines', '--no-shared', '--dry-run', '--json'], { cwd });
    expect(code).toBe(0);
    const plan = JSON.parse(out) as { files: Array<{ changes: Array<{ name: string; path?: string; op: string; from: unknown; to: unknown }> }> };
    expect(plan.files[0]!.changes).toEqual([
      { name: 'databases', path: 'databases.account_api.engine_version', op: 'update', from: '14.2', to: '15.4' },
      { name: 'databases', path: 'databases.billing.engine_version', op: 'create', from: null, to: '14.9' },
    ]);
  });

  it('masks a sensitive leaf in the plan, and creates the variable where DST lacks it', async () => {
    const config = { ...CONFIG, syncable: [...CONFIG.syncable, 'databases.*.password'] };
    const cwd = await keyPathRepo('promote-sensitive', { 'tfsync.json': JSON.stringify(config), 'envs/prod/terraform.tfvars': 'domain = "prod.example"\n' });
    const { code, out, err } = await run(['promote', 'dev', 'prod', '--var', 'databases', '--no-shared', '--yes'], { cwd });
    expect(code).toBe(0);
    expect(out).toContain('+ create databases.account_api.password: (sensitive)');
    expect(out).toContain('+ create databases.account_api.engine_version: "15.4"');
    for (const secret of SECRETS) expect(out + err).not.toContain(secret);
    const prod = await read(cwd, 'envs/prod/terraform.tfvars');
    expect(prod).toContain('databases = {\n  account_api = {\n    engine_version = "15.4"\n    password = "dev-secret-do-not-print"\n  }\n  billing = {\n');
    expect(prod).not.toContain('instance_class');
  });

  it('backport writes the same leaves the other way, into .tfvars.json files too', async () => {
    const json = await keyPathRepo('backport-json', {
      'tfsync.json': JSON.stringify({ ...CONFIG, environments: 'envs/*/terraform.tfvars.json' }),
      'envs/dev/terraform.tfvars.json': `{\n  "domain": "dev.example",\n  "tags": {\n    "Environment": "dev",\n    "Owner": "platform"\n  }\n}\n`,
      'envs/prod/terraform.tfvars.json': `{\n  "domain": "prod.example",\n  "tags": {\n    "Environment": "prod",\n    "Owner": "ops"\n  }\n}\n`,
    });
    const { code } = await run(['backport', 'prod', 'dev', '--no-shared', '--yes'], { cwd: json });
    expect(code).toBe(0);
    expect(JSON.parse(await read(json, 'envs/dev/terraform.tfvars.json'))).toEqual({ domain: 'dev.example', tags: { Environment: 'dev', Owner: 'ops' } });
  });
});

describe('diff of maps classified in parts', () => {
  it('marks each leaf with its class and counts only syncable leaves as a difference to promote', async () => {
    const prod = PROD.replace('Owner       = "ops"', 'Owner       = "platform"').replace('"14.2"', '"15.4"');
    const cwd = await keyPathRepo('diff', { 'envs/prod/terraform.tfvars': prod, 'envs/dev/terraform.tfvars': DEV.replace(/\nnode_pools = \{[^]*$/, '\n').replace('  Team        = "data" # who to call\n', '').replace(/ {2}billing = \{[^}]*\}\n/, '') });
    const { out } = await run(['diff', 'dev', 'prod'], { cwd });
    expect(out).toMatch(/tags\.Environment \(environment-specific\)\n +dev: +"dev"\n +prod: +"prod"/);
    expect(out).toContain('dev and prod are in step: no syncable variable differs.');
    const json = JSON.parse((await run(['diff', 'dev', 'prod', '--json'], { cwd })).out) as { variables: Array<{ name: string; paths: Array<{ path: string; class?: string }> }> };
    const tags = json.variables.find((v) => v.name === 'tags')!;
    expect(tags.paths).toEqual([expect.objectContaining({ path: 'tags.Environment', class: 'environment-specific' })]);
    const detailed = await run(['diff', 'dev', 'prod', '--detailed-exitcode'], { cwd });
    expect(detailed.code).toBe(0);
  });
});

describe('key paths with the general form (layers)', () => {
  const layered = () =>
    keyPathRepo('layers', {
      'tfsync.json': JSON.stringify({
        variables: 'variables.tf',
        layers: [
          { name: 'shared', files: 'envs/shared.tfvars' },
          { name: 'env', files: 'envs/{env}/terraform.tfvars' },
        ],
        syncable: CONFIG.syncable,
        environmentSpecific: CONFIG.environmentSpecific,
        sensitive: CONFIG.sensitive,
      }),
    });

  it('check reports the syncable leaves that drift, with their lines', async () => {
    const { code, out } = await run(['check', 'dev'], { cwd: await layered() });
    expect(code).toBe(2);
    expect(out).toMatch(/tags\.Owner +shared: "ops" → dev: "platform" +\(envs\/dev\/terraform\.tfvars:7\)/);
    expect(out).not.toMatch(/Environment|instance_class|password/);
  });

  it('promotion goes leaf by leaf: syncable leaves flow, environment-specific ones and every comment stay', async () => {
    const cwd = await layered();
    const { code, out, err } = await run(['promote', 'dev', 'prod', '--yes'], { cwd });
    expect(code).toBe(0);
    const prod = await readFile(join(cwd, 'envs/prod/terraform.tfvars'), 'utf8');
    expect(prod).toContain('  Environment = "prod" # never synced\n  Owner       = "platform"\n');
    expect(prod).toContain('    # pinned until the migration\n    engine_version = "15.4"\n    instance_class = "db.r6g.large" # prod sized\n    password       = "prod-secret-do-not-print"\n');
    expect(prod).toMatch(/billing = \{\s+engine_version = "14\.9"\s+\}/);
    expect(prod).not.toMatch(/db\.t3|dev-secret|dev-billing-secret|Environment = "dev"/);
    for (const secret of SECRETS) expect(out + err).not.toContain(secret);
    expect((await run(['promote', 'dev', 'prod', '--yes'], { cwd })).err).toContain('nothing to change');
  });
});
