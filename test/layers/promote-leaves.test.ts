/**
 * Promotion leaf by leaf in the general form (issue 12 on issue 11's layers): a map variable that
 * is partly syncable, or a `--var NAME.path`, is promoted one leaf at a time into the layer the
 * target's value comes from, inside Terragrunt inputs too, keeping the comments and the leaves that
 * are not syncable; where the target inherits the map from a layer other environments read, its
 * own layer gets the inherited value with the promoted leaves set.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempFolder } from '../helpers/cli.js';
import { LAYOUTS, type Files } from '../helpers/layout-fixtures.js';

const temp = tempFolder('tfsync-layer-leaves-');
const env = { SOURCE_DATE_EPOCH: '1767225600' };
const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');
const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The terragrunt layout with `tags` partly syncable: every tag but Environment flows. */
function terragruntWithTags(): Files {
  const files = { ...LAYOUTS['terragrunt']! };
  const config = JSON.parse(files['tfsync.json']!);
  config.syncable = [...config.syncable, 'tags.*'];
  config.environmentSpecific = [...config.environmentSpecific.filter((n: string) => n !== 'tags'), 'tags.Environment'];
  files['tfsync.json'] = json(config);
  files['accounts/app-dev/app/terragrunt.hcl'] = files['accounts/app-dev/app/terragrunt.hcl']!.replace(
    '  tags = {\n    Environment = "dev"\n  }\n',
    '  tags = {\n    Environment = "dev"\n    Owner       = "core" # the new owners\n    CostCenter  = "42"\n  }\n',
  );
  files['accounts/app-prod/app/terragrunt.hcl'] = files['accounts/app-prod/app/terragrunt.hcl']!.replace(
    '  log_level = upper("error")\n',
    '  log_level = upper("error")\n  tags = {\n    # prod is billed apart\n    Environment = "prod"\n    Owner       = "platform"\n  }\n',
  );
  return files;
}

/** A shared layer and per-environment files; `labels` is partly syncable (team) and partly not (tier). */
function labelsRepo(devTeam: string): Files {
  return {
    'tfsync.json': json({
      variables: 'variables.tf',
      layers: [
        { name: 'shared', files: 'environments/shared.tfvars' },
        { name: 'env', files: 'environments/{env}.tfvars' },
      ],
      syncable: ['labels.team'],
      environmentSpecific: ['labels.tier'],
    }),
    'variables.tf': 'variable "labels" {\n  type = map(string)\n}\n',
    'environments/shared.tfvars': 'labels = {\n  team = "a"\n  tier = "shared"\n}\n',
    'environments/dev.tfvars': `labels = {\n  team = "${devTeam}" # moved\n  tier = "dev"\n}\n`,
    'environments/prod.tfvars': '# prod inherits its labels\n',
  };
}

describe('promotion leaf by leaf across layers', () => {
  it('Terragrunt inputs: the syncable tags flow, Environment and every comment stay, a new tag goes in with the alignment', async () => {
    const dir = await temp.fixture('tags', terragruntWithTags());
    const before = await read(dir, 'accounts/app-prod/app/terragrunt.hcl');
    const out = await run(['promote', 'dev', 'prod', '--stack', 'app', '--yes', '--var', 'tags.Owner', '--var', 'tags.CostCenter'], { cwd: dir, env });
    expect(out.err + out.out).not.toMatch(/not yet/);
    expect(out.code).toBe(0);
    const after = await read(dir, 'accounts/app-prod/app/terragrunt.hcl');
    expect(after).toBe(
      before.replace('    Owner       = "platform"\n', '    Owner       = "core"\n    CostCenter  = "42"\n'),
    );
    // Environment is environment-specific: no promotion may touch it, even of the whole map.
    const all = await run(['promote', 'dev', 'prod', '--stack', 'app', '--yes'], { cwd: dir, env });
    expect(all.code).toBe(0);
    expect(await read(dir, 'accounts/app-prod/app/terragrunt.hcl')).toContain('    # prod is billed apart\n    Environment = "prod"\n');
  });

  it('a target that inherits the map from a shared layer gets it in its own layer, with only the promoted leaf changed', async () => {
    const files = labelsRepo('b');
    const dir = await temp.fixture('inherit', files);
    const out = await run(['promote', 'dev', 'prod', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(await read(dir, 'environments/shared.tfvars')).toBe(files['environments/shared.tfvars']);
    const shown = JSON.parse((await run(['show', 'prod', '--json'], { cwd: dir })).out);
    const labels = shown.variables.find((v: { name: string }) => v.name === 'labels');
    expect(labels.value).toEqual({ team: 'b', tier: 'shared' });
    expect(labels.origin.file).toBe('environments/prod.tfvars');
    // In step now: the same promotion has nothing to change.
    expect((await run(['promote', 'dev', 'prod', '--yes'], { cwd: dir, env })).err).toContain('nothing to change');
  });

  it('a leaf the target already sees with the source\'s value, from whichever layer, is a noop', async () => {
    const files = labelsRepo('a');
    const dir = await temp.fixture('noop', files);
    const out = await run(['promote', 'dev', 'prod', '--yes'], { cwd: dir, env });
    expect(out.code).toBe(0);
    expect(out.err).toContain('nothing to change');
    expect(await read(dir, 'environments/prod.tfvars')).toBe(files['environments/prod.tfvars']);
  });
});
