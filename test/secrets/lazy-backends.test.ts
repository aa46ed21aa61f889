/**
 * Nothing of a backend loads unless a command resolves one of its references (the built CLI, with a
 * trace of the modules it loads): show and exec on a repository whose tfsync.json has references
 * load no resolver and no backend when they read no secret, and exec loads only the backend it uses.
 */
import { describe, expect, it } from 'vitest';
import { chunkOf, isBuilt, MAIN, tempFolder, tracedNode } from '../helpers/cli.js';

const temp = tempFolder('tfsync-lazy-backends-');
const built = isBuilt('cli/main.js', 'cli/chunks');

const FILES = {
  'tfsync.json': JSON.stringify({
    variables: 'variables.tf',
    environments: 'envs/*.tfvars',
    environmentSpecific: ['db_password'],
    secrets: { db_password: { prod: 'ref+file://secrets/prod-db' } },
  }),
  'variables.tf': 'variable "db_password" {\n  sensitive = true\n}\n',
  'envs/prod.tfvars': '',
  'envs/test.tfvars': 'db_password = "x"\n',
  'secrets/prod-db': 'S3CRET\n',
};

describe.skipIf(!built)('backends load lazily (skipped until the CLI is built)', () => {
  it('show without --resolve-secrets, and exec in an environment without references, load no resolver and no backend', async () => {
    const dir = await temp.fixture('none', FILES);
    const show = await tracedNode([MAIN, 'show', 'prod'], { cwd: dir });
    expect(show.status, show.stderr).toBe(0);
    const exec = await tracedNode([MAIN, 'exec', 'test', '--', process.execPath, '-e', '0'], { cwd: dir });
    expect(exec.status, exec.stderr).toBe(0);
    for (const { modules } of [show, exec]) {
      expect(modules).not.toContain(chunkOf('src/io/secrets/resolve.ts'));
      expect(modules).not.toContain(chunkOf('src/io/secrets/file-backend.ts'));
      expect(modules).not.toContain(chunkOf('src/io/secrets/envsubst-backend.ts'));
    }
  }, 60_000);

  it('exec with a file reference loads the file backend and no other', async () => {
    const dir = await temp.fixture('file', FILES);
    const exec = await tracedNode([MAIN, 'exec', 'prod', '--', process.execPath, '-e', 'process.exit(process.env.TF_VAR_db_password === "S3CRET" ? 0 : 9)'], { cwd: dir });
    expect(exec.status, exec.stderr).toBe(0);
    expect(exec.modules).toContain(chunkOf('src/io/secrets/file-backend.ts'));
    expect(exec.modules).not.toContain(chunkOf('src/io/secrets/envsubst-backend.ts'));
    expect(exec.modules).not.toContain('age-encryption');
    expect(exec.modules).not.toContain('@aws-sdk');
  }, 60_000);
});
