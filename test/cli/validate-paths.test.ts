/**
 * `tfsync validate` on the paths of tfsync.json (issue 15 item 11): "environments" matching no
 * file and "variables" matching nothing are errors with a hint (exit 1), as are backslashes in any
 * path of the config, classic or general form; every command refuses a path with a backslash.
 */
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';

const temp = tempFolder('tfsync-validate-paths-');

const FILES = {
  'variables.tf': 'variable "image" {\n  default = "v1"\n}\n',
  'envs/dev.tfvars': 'image = "v2"\n',
  'envs/prod.tfvars': 'image = "v2"\n',
};
const config = (fields: Record<string, unknown>) => JSON.stringify({ variables: 'variables.tf', shared: 'envs/shared.tfvars', environments: 'envs/*.tfvars', syncable: ['image'], ...fields }, null, 2);

describe('validate: config paths that match nothing', () => {
  it('is valid as written', async () => {
    const dir = await temp.fixture('good', { ...FILES, 'tfsync.json': config({}) });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(out).not.toMatch(/error/);
    expect(code).toBe(0);
  });

  it('"environments" matching no file is an error at its place, with a hint, exit 1', async () => {
    const dir = await temp.fixture('no-envs', { ...FILES, 'tfsync.json': config({ environments: 'env/*.tfvars' }) });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toMatch(/^tfsync\.json:4:\d+: error: "environments" \("env\/\*\.tfvars"\) matches no file/m);
    expect(out).toContain('e.g. "environments/*/terraform.tfvars"');
    const json = JSON.parse((await run(['validate', '--json'], { cwd: dir })).out);
    expect(json.valid).toBe(false);
    expect(json.findings.find((f: { code: string }) => f.code === 'no-environments')).toMatchObject({ severity: 'error', line: 4 });
  });

  it('"variables" naming a missing file, or a glob that matches nothing, is an error with a hint', async () => {
    for (const variables of ['varaibles.tf', 'modules/*.tf']) {
      const dir = await temp.fixture(`no-vars-${variables.length}`, { ...FILES, 'tfsync.json': config({ variables }) });
      const { code, out } = await run(['validate'], { cwd: dir });
      expect(code, variables).toBe(1);
      expect(out).toMatch(new RegExp(`^tfsync\\.json:2:\\d+: error: "variables" \\(${JSON.stringify(variables).replace(/[.*]/g, '\\$&')}\\) matches no file`, 'm'));
      expect(out).toContain('a glob of its .tf files such as "*.tf"');
    }
  });

  it('the general form: a layer matching no environment is an error too', async () => {
    const dir = await temp.fixture('general', {
      ...FILES,
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', layers: [{ name: 'shared', files: 'envs/shared.tfvars', optional: true }, { name: 'env', files: 'environments/{env}.tfvars' }], syncable: ['image'] }, null, 2),
    });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toMatch(/^tfsync\.json:\d+:\d+: error: the layers with \{env\} \(the last: "environments\/\{env\}\.tfvars"\) match no file: there is nothing to validate$/m);
    expect(out).toContain('check the "files" of the layers with {env}');
  });
});

describe('backslashes in config paths', () => {
  it.each([
    ['environments', { environments: 'envs\\*.tfvars' }, '"envs/*.tfvars"'],
    ['variables', { variables: 'modules\\app\\variables.tf' }, '"modules/app/variables.tf"'],
    ['shared', { shared: 'envs\\shared.tfvars' }, '"envs/shared.tfvars"'],
  ])('in "%s": refused at its place, naming the forward-slash form, by validate and every command', async (key, fields, fixed) => {
    const dir = await temp.fixture(`backslash-${key}`, { ...FILES, 'tfsync.json': config(fields) });
    const validate = await run(['validate'], { cwd: dir });
    expect(validate.code).toBe(1);
    expect(validate.out).toMatch(new RegExp(`tfsync\\.json:\\d+:\\d+: error: tfsync\\.json: /${key} ".*" has a backslash`));
    expect(validate.out).toContain(`use forward slashes on every system: write ${fixed}`);
    for (const argv of [['check'], ['diff', 'dev', 'prod'], ['envs']]) {
      const result = await run(argv, { cwd: dir });
      expect(result.code, argv.join(' ')).toBe(1);
      expect(result.err).toContain('has a backslash');
      expect(result.err).toContain(`write ${fixed}`);
    }
  });

  it('in a layer of the general form', async () => {
    const dir = await temp.fixture('backslash-layer', {
      ...FILES,
      'tfsync.json': JSON.stringify({ variables: 'variables.tf', layers: [{ name: 'env', files: 'envs\\{env}.tfvars' }], syncable: ['image'] }, null, 2),
    });
    const { code, out } = await run(['validate'], { cwd: dir });
    expect(code).toBe(1);
    expect(out).toContain('/layers/0/files "envs\\\\{env}.tfvars" has a backslash');
    expect(out).toContain('write "envs/{env}.tfvars"');
  });
});
