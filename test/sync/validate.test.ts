import { beforeAll, describe, expect, it } from 'vitest';
import { TfsyncError } from '../../src/errors.js';
import { crossCheck, type OfficialParse } from '../../src/sync/cross-check.js';
import { loadTypeChecker, type TypeChecker } from '../../src/sync/type-check.js';
import { sortFindings, validateRepository, type Finding } from '../../src/sync/validate.js';
import { scrub, secretsOfText, validateSources, type ValidationInput } from '../../src/sync/validate-sources.js';
import { officialValues } from '../../src/io/official-parser.js';
import { repoOf, testConfig, type RepoSpec } from '../helpers/repository.js';

let typeCheck: TypeChecker;
beforeAll(async () => {
  typeCheck = await loadTypeChecker();
});

const CONFIG_TEXT = `{
  "syncable": ["image_*", "workers"],
  "environmentSpecific": ["domain", "*_size"],
  "sensitive": ["*_token"]
}
`;
const CONFIG = { path: '/repo/tfsync.json', file: 'tfsync.json', text: CONFIG_TEXT };
const CLASSES = { syncable: ['image_*', 'workers'], environmentSpecific: ['domain', '*_size'], sensitive: ['*_token'] };

const VARIABLES = `variable "image_tag" {
  type    = string
  default = "v1"
}
variable "workers" {
  type    = number
  default = 2
}
variable "domain" {
  type = string
}
variable "node_size" {
  type    = list(string)
  default = ["m5.large"]
}
variable "api_token" {
  type      = map(number)
  default   = {}
}
`;

function findings(spec: Partial<RepoSpec>, options: { typeCheck?: boolean } = {}): Finding[] {
  const repo = repoOf({ variables: VARIABLES, envs: {}, ...spec, config: { ...CLASSES, ...spec.config } });
  return validateRepository(repo, { config: CONFIG, ...(options.typeCheck === false ? {} : { typeCheck }) }).findings;
}

const codes = (list: Finding[]) => list.map((f) => f.code);
const only = (list: Finding[], code: Finding['code']) => list.filter((f) => f.code === code);

describe('validateRepository: declarations', () => {
  it('reports a value set but not declared, with did-you-mean', () => {
    const list = findings({ envs: { prod: 'domain = "p"\nimage_tagg = "v2"\n' } });
    // A warning, as Terraform's "Value for undeclared variable" is (validate --strict fails on it).
    expect(only(list, 'undeclared')).toEqual([{
      severity: 'warning',
      code: 'undeclared',
      message: '"image_tagg" is set but not declared in any variables file',
      file: 'environments/prod/terraform.tfvars',
      line: 2,
      column: 1,
      variable: 'image_tagg',
      hint: 'did you mean "image_tag"?',
    }]);
  });

  it('says nothing about undeclared names when no variables file exists, or one could not be read', () => {
    expect(only(findings({ variables: [], envs: { prod: 'x = 1\n' } }), 'undeclared')).toEqual([]);
    const repo = repoOf({ variables: VARIABLES, envs: { prod: 'domain = "p"\nx = 1\n' }, config: CLASSES });
    const result = validateRepository(repo, { incomplete: { declarations: true } });
    expect(codes(result.findings)).not.toContain('undeclared');
  });

  it('reports a variable declared twice', () => {
    const list = findings({ variables: [VARIABLES, 'variable "workers" {}\n'], envs: {} });
    expect(only(list, 'duplicate-declaration')).toMatchObject([{ severity: 'error', file: 'variables1.tf', line: 1, variable: 'workers' }]);
  });

  it('reports a required variable an environment leaves without a value', () => {
    const list = findings({ envs: { prod: 'workers = 3\n', dev: 'domain = "d"\n' } });
    expect(only(list, 'required')).toEqual([{
      severity: 'error',
      code: 'required',
      message: 'required variable "domain" has no value in prod (variables.tf:9 declares it without a default)',
      file: 'environments/prod/terraform.tfvars',
      line: 1,
      variable: 'domain',
      hint: 'set it in environments/prod/terraform.tfvars, or give it a default',
    }]);
  });

  it('counts a syncable value from the shared file, and does not guess when the shared file was unreadable', () => {
    const variables = `${VARIABLES}variable "image_name" {\n  type = string\n}\n`;
    expect(only(findings({ variables, shared: 'image_name = "x"\n', envs: { prod: 'domain = "p"\n' } }), 'required')).toEqual([]);
    const repo = repoOf({ variables, envs: { prod: 'domain = "p"\n' }, config: CLASSES });
    expect(codes(validateRepository(repo, {}).findings)).toContain('required');
    expect(codes(validateRepository(repo, { incomplete: { shared: true } }).findings)).not.toContain('required');
  });
});

describe('validateRepository: classification', () => {
  it('reports a conflict as an error at the syncable pattern in tfsync.json', () => {
    const list = findings({ envs: {}, config: { syncable: ['image_*', 'workers', 'node_*'] } });
    const conflict = only(list, 'conflict');
    expect(conflict).toHaveLength(1);
    expect(conflict[0]).toMatchObject({ severity: 'error', file: 'tfsync.json', line: 2, variable: 'node_size' });
    expect(conflict[0]!.message).toBe('variable "node_size" matches syncable "node_*" and environmentSpecific "*_size"');
  });

  it('warns about unclassified variables once, where they are declared', () => {
    const list = findings({ envs: { prod: 'domain = "p"\napi_token = {}\n', dev: 'domain = "d"\napi_token = {}\n' } });
    expect(only(list, 'unclassified')).toEqual([{
      severity: 'warning',
      code: 'unclassified',
      message: '"api_token" is neither syncable nor environment-specific, so tfsync never syncs it',
      file: 'variables.tf',
      line: 16,
      variable: 'api_token',
      hint: 'add it to "syncable" or "environmentSpecific" in tfsync.json',
    }]);
  });

  it('places an unclassified variable without declarations where it is first set', () => {
    const list = findings({ variables: [], envs: { prod: 'domain = "p"\n\nlonely = 1\n' } });
    expect(only(list, 'unclassified')).toMatchObject([{ file: 'environments/prod/terraform.tfvars', line: 3, variable: 'lonely' }]);
  });

  it('reports environment-specific and unclassified variables set in the shared file', () => {
    const list = findings({ shared: 'image_tag = "v2"\ndomain = "all"\napi_token = {}\n', envs: {} });
    expect(only(list, 'shared-not-syncable').map((f) => [f.line, f.message, f.hint])).toEqual([
      [2, '"domain" is environment-specific but set in the shared file, so Terraform applies it to every environment', "move it into the environments' files"],
      [3, '"api_token" is unclassified but set in the shared file, so Terraform applies it to every environment', 'add it to "syncable" in tfsync.json, or move it into the environments\' files'],
    ]);
    expect(only(list, 'shared-not-syncable').every((f) => f.severity === 'error')).toBe(true);
  });

  it('warns about patterns that match no variable, at the pattern, with did-you-mean', () => {
    const list = findings({ envs: {}, config: { syncable: ['image_*', 'workers', 'wrokers'], groups: { images: ['image_*', 'imgae_tag'] } } });
    expect(only(list, 'unused-pattern').map((f) => [f.message, f.line, f.hint])).toEqual([
      ['syncable pattern "wrokers" matches no variable', 2, 'did you mean "workers"?'],
      ['group "images" pattern "imgae_tag" matches no variable', 1, 'did you mean "image_tag"?'],
    ]);
  });
});

describe('validateRepository: values', () => {
  it('reports a value of the wrong type at the item at fault', () => {
    const list = findings({ envs: { prod: 'domain = "p"\nnode_size = [\n  "a",\n  ["b"],\n]\nworkers = "many"\n' } });
    expect(only(list, 'type').map((f) => [f.line, f.column, f.message, f.hint])).toEqual([
      [4, 3, 'node_size[1] must be a string', 'the declared type is list(string)'],
      [6, 11, 'workers must be a number', 'the declared type is number'],
    ]);
  });

  it('checks defaults, where null needs nullable', () => {
    const variables = 'variable "a" {\n  type = number\n  default = "x"\n}\nvariable "b" {\n  type = string\n  nullable = false\n  default = null\n}\n';
    const list = findings({ variables, envs: {}, config: { syncable: ['a', 'b'] } });
    expect(only(list, 'type').map((f) => [f.file, f.line, f.message])).toEqual([
      ['variables.tf', 1, 'default: a must be a number'],
      ['variables.tf', 5, 'default: b must not be null'],
    ]);
  });

  it('accepts null for a non-nullable variable with a default (Terraform uses the default)', () => {
    const variables = 'variable "b" {\n  type = string\n  nullable = false\n  default = "x"\n}\nvariable "c" {\n  type = string\n  nullable = false\n}\n';
    const list = findings({ variables, envs: { prod: 'b = null\nc = null\n' }, config: { syncable: ['b', 'c'] } });
    expect(only(list, 'type').map((f) => f.message)).toEqual(['c must not be null']);
  });

  it('does not check expressions, and counts them', () => {
    const repo = repoOf({ variables: VARIABLES, envs: { prod: 'domain = "p"\nworkers = [for n in [1] : n * 2][0]\nnode_size = ["a", "%{ if true }b%{ endif }"]\n' }, config: CLASSES });
    const result = validateRepository(repo, { typeCheck });
    expect(codes(result.findings)).not.toContain('type');
    expect(result.notChecked).toBe(1);
  });

  it('warns once about a type it does not understand', () => {
    const variables = 'variable "x" {\n  type = lst(string)\n  default = []\n}\n';
    const list = findings({ variables, envs: { a: 'x = [1]\n', b: 'x = 2\n' }, config: { syncable: ['x'] } });
    expect(only(list, 'unknown-type')).toEqual([{
      severity: 'warning',
      code: 'unknown-type',
      message: 'the values of "x" are not type-checked: lst(...) is not a type constructor tfsync knows',
      file: 'variables.tf',
      line: 1,
      variable: 'x',
    }]);
    expect(codes(list)).not.toContain('type');
  });

  it('warns about object attributes Terraform would drop', () => {
    const variables = 'variable "storage" {\n  type = object({ type = string, size_gb = optional(number) })\n}\n';
    const list = findings({ variables, envs: { prod: 'storage = { type = "ebs", sise_gb = 3 }\n' }, config: { environmentSpecific: ['storage'] } });
    expect(only(list, 'dropped-attribute')).toMatchObject([{
      severity: 'warning',
      message: 'storage has the attribute "sise_gb", which its object type does not declare; Terraform drops it',
      line: 1,
      column: 37,
      hint: 'did you mean "size_gb"?',
    }]);
  });

  it('skips type checks without a checker', () => {
    expect(codes(findings({ envs: { prod: 'domain = "p"\nworkers = "many"\n' } }, { typeCheck: false }))).not.toContain('type');
  });

  it('warns about a value equal to the default only where the default is what it overrides', () => {
    const list = findings({
      shared: 'workers = 2\nimage_tag = "v2"\n',
      envs: {
        a: 'domain = "a"\nnode_size = ["m5.large"]\nworkers = 2\n',
        b: 'domain = "b"\nimage_tag = "v1"\n',
        c: 'domain = "c"\nnode_size = ["m5.xlarge"]\n',
      },
    });
    // Not the shared file's workers = 2: the shared file records shared features, defaults included.
    expect(only(list, 'default-override').map((f) => [f.file, f.line, f.message])).toEqual([
      ['environments/a/terraform.tfvars', 2, '"node_size" is set to its default value (variables.tf:12)'],
    ]);
  });

  it('never puts a sensitive value, or a sensitive map key, into a message', () => {
    const list = findings({ envs: { prod: 'domain = "p"\napi_token = { "hunter2-key" = "hunter2-value" }\n' } });
    const type = only(list, 'type');
    expect(type.map((f) => f.message)).toEqual(['api_token[…] must be a number']);
    expect(JSON.stringify(list)).not.toMatch(/hunter2/);
  });
});

function input(files: { variables?: string[]; shared?: string; envs?: Record<string, string>; json?: string[] }): ValidationInput {
  const config = testConfig(CLASSES);
  return {
    config: CONFIG,
    skipped: [],
    repository: {
      config,
      variables: (files.variables ?? [VARIABLES]).map((text, i) => ({ path: `/repo/v${i}.tf`, file: `v${i}.tf`, text })),
      shared: { path: config.shared, file: 'shared.tfvars', ...(files.shared === undefined ? {} : { text: files.shared }) },
      environments: Object.entries(files.envs ?? {}).map(([name, text]) => {
        const ext = files.json?.includes(name) ? 'tfvars.json' : 'tfvars';
        return { name, path: `/repo/${name}.${ext}`, file: `${name}.${ext}`, text };
      }),
    },
  };
}

describe('validateSources', () => {
  it('reports every syntax error of every file and checks the rest', () => {
    const report = validateSources(input({
      variables: [VARIABLES, 'variable "x" {\n  default = [1,\n}\n'],
      envs: { a: 'domain = "a"\nworkers = = 1\n', b: '{ "domain": 1,, }', c: 'domain = "c"\nimage_tagg = "v"\n' },
      json: ['b'],
    }), { typeCheck });
    expect(report.files).toEqual(['tfsync.json', 'v0.tf', 'v1.tf', 'a.tfvars', 'b.tfvars.json', 'c.tfvars']);
    const syntax = only(report.findings, 'syntax');
    expect([...new Set(syntax.map((f) => f.file))]).toEqual(['v1.tf', 'a.tfvars', 'b.tfvars.json']);
    expect(syntax.find((f) => f.file === 'a.tfvars')).toMatchObject({ severity: 'error', line: 2, column: 11 });
    // c is checked; with v1.tf unreadable, an unknown name may be declared there: not "undeclared".
    expect(codes(report.findings)).not.toContain('undeclared');
    expect(report.repo?.environments.has('c')).toBe(true);
    expect(report.repo?.environments.has('a')).toBe(false);
  });

  it('keeps sensitive values out of syntax messages', () => {
    const report = validateSources(input({ envs: { a: 'domain = "a"\nmy_token = [hunter2 swordfish]\n' } }));
    const syntax = only(report.findings, 'syntax');
    expect(syntax).toHaveLength(1);
    expect(syntax[0]!.message).toContain('"(sensitive)"');
    expect(JSON.stringify(report.findings)).not.toMatch(/swordfish|hunter2/);
  });

  it('turns an invalid tfsync.json into findings at their place', () => {
    const text = '{\n  "syncable": "image_*",\n  "colour": true\n}\n';
    const error = new TfsyncError('tfsync.json: /syncable must be array', {
      location: { file: '/repo/tfsync.json', text, range: { start: 16, end: 25 } },
      more: [new TfsyncError('tfsync.json: unknown key "colour"', { hint: 'did you mean "color"?' })],
    });
    const report = validateSources({ config: { ...CONFIG, text }, configError: error, skipped: [] });
    expect(report.files).toEqual(['tfsync.json']);
    expect(report.findings).toEqual([
      { severity: 'error', code: 'config', message: 'tfsync.json: /syncable must be array', file: 'tfsync.json', line: 2, column: 15 },
      { severity: 'error', code: 'config', message: 'tfsync.json: unknown key "colour"', file: 'tfsync.json', line: 1, hint: 'did you mean "color"?' },
    ]);
  });

  it('fails on no variables file and no environments (a typo must not pass), warns about skipped environment files', () => {
    const report = validateSources({ ...input({ variables: [] }), skipped: [{ file: 'envs/.hidden.tfvars', message: 'invalid name' }] });
    expect(report.findings.filter((f) => f.code !== 'unused-pattern').map((f) => [f.code, f.severity, f.file])).toEqual([
      ['no-variables-file', 'error', 'tfsync.json'],
      ['no-environments', 'error', 'tfsync.json'],
      ['skipped-environment', 'warning', 'envs/.hidden.tfvars'],
    ]);
    for (const f of report.findings.filter((f) => f.code.startsWith('no-'))) expect(f.hint).toBeTruthy();
  });
});

describe('finding helpers', () => {
  it('sorts findings by file order, line and column, keeping the rest stable', () => {
    const f = (file: string, line: number, column?: number, message = '') =>
      ({ severity: 'error', code: 'type', file, line, ...(column ? { column } : {}), message }) as Finding;
    const sorted = sortFindings([f('b', 1), f('z', 1), f('a', 3, 2), f('a', 3, 1), f('a', 1), f('b', 1, undefined, 'second')], ['a', 'b']);
    expect(sorted.map((x) => `${x.file}:${x.line}:${x.column ?? ''}${x.message}`)).toEqual(['a:1:', 'a:3:1', 'a:3:2', 'b:1:', 'b:1:second', 'z:1:']);
  });

  it('scrubs quoted fragments of secrets from a message, and nothing else', () => {
    const secrets = secretsOfText('a = 1\nmy_token = hunter2 x\n"db_token": "abc"\n', (n) => n.endsWith('_token'));
    expect(secrets).toEqual(['hunter2 x', '"abc"']);
    expect(scrub('found "x" after "=" near "q"', secrets)).toBe('found "(sensitive)" after "=" near "q"');
    expect(scrub('Expected a newline, but found "hunter2".', secrets)).toBe('Expected a newline, but found "(sensitive)".');
    expect(scrub('found "hunter2"', [])).toBe('found "hunter2"');
  });
});

describe('crossCheck', () => {
  const source = (files: Parameters<typeof input>[0]) => input(files).repository!;

  it('finds nothing where both parsers agree (the real official parser)', async () => {
    const repo = source({
      shared: 'image_tag = "v2" # comment\n',
      envs: { a: 'domain = "a"\nnode_size = [\n  "x",\n]\napi_token = { k = 1 }\nb { }\n', b: '{"domain": "b"}' },
      json: ['b'],
    });
    expect(await crossCheck(repo, officialValues)).toEqual([]);
  });

  it('reports a file the official parser rejects, at its position, scrubbed of secrets', async () => {
    const reject: OfficialParse = async (file, text) => {
      throw new TfsyncError('Invalid thing; "hunter2" is wrong', { location: { file, text, range: { start: 13, end: 14 } } });
    };
    const repo = source({ envs: { a: 'domain = "a"\nmy_token = "hunter2"\n' } });
    const list = await crossCheck({ ...repo, variables: [] }, reject);
    expect(list).toEqual([{
      severity: 'error',
      code: 'official-parser',
      message: 'the official HCL parser rejects this file, which tfsync reads: Invalid thing; "(sensitive)" is wrong',
      file: 'a.tfvars',
      line: 2,
      column: 1,
      hint: 'tfsync may be misreading this file: please report it, with a copy of the file (secrets removed)',
    }]);
  });

  it('reports a file the official parser reads and tfsync rejects; agrees when both reject', async () => {
    const accept: OfficialParse = async () => ({});
    const list = await crossCheck({ ...source({ envs: { a: 'x = = 1\n', b: 'y = {\n' } }), variables: [] }, accept);
    expect(list.map((f) => [f.file, f.message])).toEqual([
      ['a.tfvars', 'the official HCL parser reads this file, which tfsync rejects'],
      ['b.tfvars', 'the official HCL parser reads this file, which tfsync rejects'],
    ]);
    const reject: OfficialParse = async () => {
      throw new Error('no');
    };
    expect(await crossCheck({ ...source({ envs: { a: 'x = = 1\n' } }), variables: [] }, reject)).toEqual([]);
  });

  it('reports values and defaults read differently, masking sensitive ones', async () => {
    const skewed: OfficialParse = async (file, text) => {
      const values = await officialValues(file, text);
      if (file === 'v0.tf') (values.variable as Record<string, Array<Record<string, unknown>>>).workers![0]!.default = 3;
      return { ...values, ...(file === 'a.tfvars' ? { domain: 'other', my_token: 'leak?' } : {}) };
    };
    const list = await crossCheck(source({ envs: { a: 'domain = "a"\nmy_token = "hunter2"\n' } }), skewed);
    expect(list.map((f) => [f.file, f.line, f.message])).toEqual([
      ['v0.tf', 5, 'tfsync and the official HCL parser read the default of "workers" differently: tfsync reads 2, the official HCL parser 3'],
      ['a.tfvars', 1, 'tfsync and the official HCL parser read "domain" differently: tfsync reads "a", the official HCL parser "other"'],
      ['a.tfvars', 2, 'tfsync and the official HCL parser read "my_token" differently'],
    ]);
  });
});
