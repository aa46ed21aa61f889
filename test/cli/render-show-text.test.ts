import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/cli/colors.js';
import { renderShowText } from '../../src/cli/render/show-text.js';
import { effectiveValues } from '../../src/model/layers.js';
import { fixtureRepo, SECRET } from '../helpers/render-fixture.js';

const repo = fixtureRepo();
const plain = { colors: createColors(false), showSensitive: false };
const view = (env: string) => {
  const layer = env === '@shared' ? repo.shared : repo.environments.get(env)!;
  return { environment: layer.name, file: layer.file, exists: layer.exists, values: effectiveValues(repo, env) };
};

describe('renderShowText', () => {
  it('writes every value like a tfvars file, with its origin and a legend', () => {
    expect(renderShowText(view('prod'), plain)).toBe(
      [
        'prod (environments/prod/terraform.tfvars)',
        '',
        'Syncable (2)',
        '  image    = "v2"            # prod:1',
        '  workers  = 2               # default:1',
        '',
        'Environment-specific (3)  never synced',
        '  domain   = "prod.example"  # prod:2',
        '  password = (sensitive)     # prod:3',
        '  zones    = [  # prod:4',
        '    "us-west-2a",',
        '    "us-west-2b",',
        '    "us-west-2c",',
        '    "us-west-2d",',
        '    "us-west-2e",',
        '  ]',
        '',
        'Unclassified (1)  in neither list of tfsync.json; never synced',
        '  odd      = "a|b"           # prod:5',
        '',
        'prod: environments/prod/terraform.tfvars',
        'default: variables.tf',
        '',
      ].join('\n'),
    );
  });

  it('marks required variables without a value', () => {
    const text = renderShowText(view('dev'), plain);
    expect(text).toContain('  password = (required, not set)\n');
    expect(text).toContain('1 required variable has no value: Terraform would ask for it.');
    expect(text).toContain('shared: environments/shared-features.tfvars');
  });

  it('shows the secret only with showSensitive', () => {
    expect(renderShowText(view('prod'), plain)).not.toContain(SECRET);
    expect(renderShowText(view('prod'), { ...plain, showSensitive: true })).toContain(`"${SECRET}"`);
  });

  it('says when the shared file does not exist yet', () => {
    const text = renderShowText({ environment: '@shared', file: 'shared.tfvars', exists: false, values: [] }, plain);
    expect(text).toBe('@shared (shared.tfvars) (not created yet)\n\nNo variable is declared or set.\n');
  });
});
