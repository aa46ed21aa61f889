/**
 * `diff A B --stack S` reads only S's files for A and B (issue 11): with the stacks and the
 * environments named, the layout is found by filling in the patterns, without listing a folder,
 * and is the layout full discovery finds for them; whatever it cannot confirm goes through full
 * discovery, whose errors stay the ones users see.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directLayout, discoverLayers } from '../../src/io/discover-layers.js';
import { loadConfigOnly, loadRepositories } from '../../src/io/load-repository.js';
import { effectiveValues } from '../../src/model/layers.js';
import { tempFolder } from '../helpers/cli.js';
import { LAYOUTS } from '../helpers/layout-fixtures.js';
import { recordingFs } from '../reliability/fault-fs.js';

const temp = tempFolder('tfsync-direct-layout-');

describe('the layout of named stacks and environments', () => {
  it('reads only the stack\'s declarations and the two environments\' files, and lists no folder', async () => {
    // A folder that listing would find and warn about: no warning says the folders were not listed.
    const cwd = await temp.fixture('reads', { ...LAYOUTS['commonPlusStack']!, 'terraform/variables/bad name/common.tfvars': 'x = 1\n' });
    const fs = recordingFs();
    const { repos, warnings } = await loadRepositories({ cwd, stacks: ['api'], environments: ['dev', 'prod'], fs });
    expect(warnings).toEqual([]);
    expect((await discoverLayers(await loadConfigOnly({ cwd }), ['api'])).warnings).toEqual([expect.stringContaining('bad name')]);
    const touched = new Set(fs.calls.filter((c) => c.op === 'readFile' || c.op === 'readdir').map((c) => `${c.op} ${c.path.slice(cwd.length + 1)}`));
    expect([...touched].sort()).toEqual([
      'readFile terraform/deployments/api/main.tf',
      'readFile terraform/deployments/api/variables.tf',
      'readFile terraform/variables/dev/api.tfvars',
      'readFile terraform/variables/dev/common.tfvars',
      'readFile terraform/variables/prod/api.tfvars',
      'readFile terraform/variables/prod/common.tfvars',
      'readFile tfsync.json',
    ]);
    expect(repos.map((r) => r.stack)).toEqual(['api']);
    expect(effectiveValues(repos[0]!, 'dev').find((v) => v.name === 'image_tag')?.value).toBe('v3');
  });

  it('is the layout full discovery finds for the same names', async () => {
    const cwd = await temp.fixture('same', LAYOUTS['commonPlusStack']!);
    const config = await loadConfigOnly({ cwd });
    const direct = await directLayout(config, ['api', 'web'], ['dev', 'staging']);
    const full = await discoverLayers(config, ['api', 'web']);
    const narrowed = full.stacks.map((s) => ({ ...s, environments: s.environments.filter((e) => ['dev', 'staging'].includes(e.name)) }));
    expect(direct?.stacks).toEqual(narrowed);
  });

  it('leaves to full discovery what it cannot confirm: an unknown stack or environment, a wildcard, exclude', async () => {
    const cwd = await temp.fixture('unsure', LAYOUTS['commonPlusStack']!);
    const config = await loadConfigOnly({ cwd });
    expect(await directLayout(config, ['nope'], ['dev'])).toBeUndefined();
    expect(await directLayout(config, ['api'], ['nope'])).toBeUndefined();
    expect(await directLayout(config, [], ['dev'])).toBeUndefined();
    expect(await directLayout({ ...config, exclude: [join(cwd, '**/template.tfvars')] }, ['api'], ['dev'])).toBeUndefined();
    expect(await directLayout({ ...config, layers: [{ ...config.layers![0]!, files: join(cwd, 'terraform/variables/{env}/*.tfvars') }] }, ['api'], ['dev'])).toBeUndefined();
    // Through the command path, the unknown name still gets discovery's error with the known ones.
    await expect(loadRepositories({ cwd, stacks: ['api'], environments: ['prdo'] })).rejects.toMatchObject({ code: 'unknown-environment', message: expect.stringContaining('known:') });
  });
});
