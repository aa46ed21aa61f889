/** The pure core of promote: the plan (src/sync/plan.ts) and its rewrite (src/sync/rewrite.ts). */
import { describe, expect, it } from 'vitest';
import { parseTfvars } from '../../src/hcl/tfvars.js';
import { buildRepository } from '../../src/model/repository.js';
import { planChanges, planPromotion, type Plan, type PromoteOptions } from '../../src/sync/plan.js';
import { headerStamp, rewritePlan } from '../../src/sync/rewrite.js';
import { hclForm, plainForm } from '../../src/sync/value-forms.js';
import { repoOf, testConfig } from '../helpers/repository.js';

const CONFIG = { syncable: ['image', 'workers', 'zones', 'flag', 'extra', 'secret_token'], environmentSpecific: ['domain'], sensitive: ['*_token'], groups: { img: ['image'] } };
const VARIABLES = 'variable "image" {}\nvariable "workers" {\n  default = 1\n}\nvariable "zones" {}\nvariable "flag" {\n  default = false\n}\nvariable "domain" {}\n';

function plan(envs: Record<string, string>, options: Partial<PromoteOptions> = {}, shared?: string): Plan {
  const repo = repoOf({ variables: VARIABLES, shared, envs, config: CONFIG });
  return planPromotion(repo, { source: 'test', target: 'prod', ...options });
}

const ops = (p: Plan) => p.files.map((f) => [f.layer.name, f.changes.map((c) => `${c.op} ${c.name}`)]);
const texts = (p: Plan) => rewritePlan(p, { date: '2025-01-27', source: p.source }).map((r) => r.after);

describe('planPromotion', () => {
  it('targets the shared file and DST; SRC values come from its file, else from the shared file', () => {
    const p = plan({ test: 'image = "v2"\n', prod: 'image = "v1"\nworkers = 3\n' }, {}, 'workers = 5\n');
    expect(ops(p)).toEqual([
      ['@shared', ['create image', 'noop workers']],
      ['prod', ['update image', 'update workers']],
    ]);
    expect(p.files[1]!.changes[1]).toMatchObject({ from: 3, to: 5, exprText: '5' });
  });

  it('with --no-shared or a @shared side, only one file is written', () => {
    const envs = { test: 'image = "v2"\n', prod: 'image = "v1"\n' };
    expect(ops(plan(envs, { shared: false }))).toEqual([['prod', ['update image']]]);
    expect(ops(plan(envs, { target: '@shared' }))).toEqual([['@shared', ['create image']]]);
    expect(ops(plan(envs, { source: '@shared' }, 'image = "v0"\n'))).toEqual([['prod', ['update image']]]);
  });

  it('reports overrides SRC has no value for, and deletes them with --prune', () => {
    const envs = { test: 'image = "v2"\n', prod: 'image = "v2"\nflag = true\nextra = 1\ndomain = "x"\n' };
    const kept = plan(envs);
    expect(ops(kept)).toEqual([['@shared', ['create image']], ['prod', ['noop image']]]);
    expect(kept.overrides.map((o) => [o.name, o.sourceUsesDefault, o.pruned])).toEqual([
      ['flag', true, false],
      ['extra', false, false],
    ]);
    expect(ops(plan(envs, { prune: true }))[1]).toEqual(['prod', ['noop image', 'delete flag', 'delete extra']]);
  });

  it('equal JSON is a noop whatever the layout, and leaves the bytes', () => {
    const p = plan({ test: 'zones = [\n  "a",\n  "b",\n]\n', prod: 'zones = ["a", "b"] # same\n' }, { shared: false });
    expect(ops(p)).toEqual([['prod', ['noop zones']]]);
    expect(planChanges(p)).toBe(false);
    expect(texts(p)).toEqual(['zones = ["a", "b"] # same\n']);
  });

  it('selects with --only and --var, and refuses non-syncable or unknown names', () => {
    const envs = { test: 'image = "v2"\nworkers = 2\nzones = []\ndomain = "t"\nodd = 1\n', prod: '' };
    expect(plan(envs, { only: ['img'], vars: ['zones'], shared: false }).variables).toEqual(['image', 'zones']);
    expect(() => plan(envs, { vars: ['domain'] })).toThrow(/"domain" is environment-specific/);
    expect(() => plan(envs, { vars: ['odd'] })).toThrow(/"odd" is unclassified/);
    expect(() => plan(envs, { vars: ['imag'] })).toThrow(/unknown variable "imag"/);
    expect(() => plan(envs, { only: ['nope'] })).toThrow(/unknown group "nope"/);
    expect(() => plan(envs, { target: 'test' })).toThrow(/source and target are the same/);
  });

  it('never selects environment-specific variables', () => {
    const p = plan({ test: 'domain = "t"\nimage = "1"\n', prod: 'domain = "p"\n' });
    expect(p.variables).toEqual(['image', 'flag', 'workers', 'zones']);
    expect(p.files.flatMap((f) => f.changes.map((c) => c.name))).not.toContain('domain');
  });
});

describe('rewritePlan', () => {
  it('stamps Last synced only in files that change otherwise', () => {
    const prod = '# SYNCED FEATURES\n# Last synced: 2024-01-01 from: dev\nimage = "v1"\n';
    const shared = '# header\n# Last synced: 2024-01-01 from: dev\n\nimage = "v1"\n';
    expect(texts(plan({ test: 'image = "v1"\n', prod }, {}, shared))).toEqual([shared, prod]);
    expect(texts(plan({ test: 'image = "v2"\n', prod }, {}, shared))).toEqual([
      '# header\n# Last synced: 2025-01-27 from: test\n\nimage = "v2"\n',
      '# SYNCED FEATURES\n# Last synced: 2025-01-27 from: test\nimage = "v2"\n',
    ]);
  });

  it('creates a missing shared file with a header, in the line ending it is given', () => {
    const p = plan({ test: 'image = "v2"\r\nzones = [\r\n  "a",\r\n]\r\n', prod: '' }, { target: '@shared' });
    const [rewrite] = rewritePlan(p, { date: '2025-01-27', source: 'test', newFileEol: '\r\n' });
    expect(rewrite!.created).toBe(true);
    expect(rewrite!.after).toMatch(/^# Shared features: .*\r\n/);
    expect(rewrite!.after.endsWith('# Last synced: 2025-01-27 from: test\r\n\r\nimage = "v2"\r\nzones = [\r\n  "a",\r\n]\r\n')).toBe(true);
  });

  it('a missing shared file with nothing to create stays missing', () => {
    const [rewrite] = rewritePlan(plan({ test: '', prod: 'flag = true\n' }, { target: '@shared' }), { date: 'd', source: 'test' });
    expect(rewrite).toMatchObject({ changed: false, created: false, after: '' });
  });

  it('headerStamp looks only at one-line comments before the first attribute', () => {
    const doc = parseTfvars('/* Last synced: a from: b */\n# Last synced: 2024-01-01 from: x\nv = 1\n# Last synced: c from: d\n');
    expect(headerStamp(doc, '2025-01-27', 'test').map((e) => e.text)).toEqual(['2025-01-27', 'test']);
    expect(headerStamp(parseTfvars('v = 1\n# Last synced: c from: d\n'), 'x', 'y')).toEqual([]);
  });
});

describe('across formats', () => {
  function jsonRepo(prodText: string, testText: string) {
    return buildRepository({
      config: { ...testConfig(CONFIG), environments: '/repo/environments/*.tfvars*' },
      variables: [],
      shared: { path: '/repo/environments/shared-features.tfvars', file: 'shared-features.tfvars' },
      environments: [
        { name: 'prod', path: '/repo/environments/prod.tfvars.json', file: 'prod.tfvars.json', text: prodText },
        { name: 'test', path: '/repo/environments/test.tfvars', file: 'test.tfvars', text: testText },
      ],
    });
  }

  it('native syntax into .tfvars.json: plain values, literal ${ unescaped', () => {
    const repo = jsonRepo('{\n  "image": "v1",\n  "workers": 2\n}\n', 'image = "a$${b}"\nzones = ["x", "y"]\nworkers = 2\n');
    const p = planPromotion(repo, { source: 'test', target: 'prod', shared: false });
    expect(ops(p)).toEqual([['prod', ['update image', 'create zones', 'noop workers']]]);
    const [rewrite] = rewritePlan(p, { date: 'd', source: 'test' });
    expect(JSON.parse(rewrite!.after)).toEqual({ image: 'a${b}', workers: 2, zones: ['x', 'y'] });
    expect(rewrite!.after).toBe('{\n  "image": "a${b}",\n  "workers": 2,\n  "zones": [\n    "x",\n    "y"\n  ]\n}\n');
  });

  it('refuses a computed value for a .tfvars.json', () => {
    // A for expression is valid Terraform that tfsync does not evaluate (references are refused on reading).
    const repo = jsonRepo('{}\n', 'image = [for s in ["a"] : upper(s)]\n');
    expect(() => planPromotion(repo, { source: 'test', target: 'prod', shared: false })).toThrow(/image .* must be computed/);
  });

  it('.tfvars.json into native syntax: formatted HCL', () => {
    const repo = jsonRepo('{"image": "a${b}", "zones": ["x"]}\n', 'image = "old" # keep\n');
    const p = planPromotion(repo, { source: 'prod', target: 'test', shared: false });
    const [rewrite] = rewritePlan(p, { date: 'd', source: 'prod' });
    expect(rewrite!.after).toBe('image = "a$${b}" # keep\n\n# ' + '='.repeat(68) + '\n# SYNCED FEATURES (managed by tfsync)\n# Last synced: d from: prod\n# ' + '='.repeat(68) + '\nzones = ["x"]\n');
  });

  it('value forms round-trip', () => {
    expect(plainForm({ 'k$${x}': ['a$${b}', 'c%%{d}'] })).toEqual({ 'k${x}': ['a${b}', 'c%{d}'] });
    expect(hclForm({ 'k${x}': ['a${b}', 'c%{d}'] })).toEqual({ 'k$${x}': ['a$${b}', 'c%%{d}'] });
    expect(plainForm('${var.x}')).toBeUndefined();
    expect(plainForm(['ok', '%{ if x }'])).toBeUndefined();
  });
});
