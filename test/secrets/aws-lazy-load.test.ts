/**
 * The AWS SDK clients are optional peer dependencies that load only when a reference uses them: the
 * built library imports them with a dynamic import() inside the AWS backends alone (never a static
 * import), the CLI bundle never inlines them (scripts/bundle-cli.mjs keeps `@aws-sdk/*` external),
 * and at run time resolving other backends loads none of the SDK, while the first awsssm reference
 * loads exactly @aws-sdk/client-ssm.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isBuilt, ROOT } from '../helpers/cli.js';

const DIST = join(ROOT, 'dist');
const BUILT = isBuilt('io/secrets/aws-sdk.js', 'io/secrets/registry.js');

async function jsFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.js')).map((e) => join(e.parentPath, e.name));
}

describe('the AWS SDK loads lazily', () => {
  it.skipIf(!BUILT)('(needs the build) no built file imports @aws-sdk statically, and the CLI bundle inlines none of it', async () => {
    const found: string[] = [];
    for (const file of await jsFiles(DIST)) {
      const text = await readFile(file, 'utf8');
      if (/^\s*import\s[^;]*?from\s*["']@aws-sdk\//m.test(text) || /^\s*import\s*["']@aws-sdk\//m.test(text)) found.push(`${file}: static import`);
      if (/^\/\/ node_modules\/@(aws-sdk|smithy)\//m.test(text)) found.push(`${file}: bundled SDK code`);
    }
    expect(found).toEqual([]);
    const loader = await readFile(join(DIST, 'io/secrets/aws-sdk.js'), 'utf8');
    expect(loader).toContain("import('@aws-sdk/client-ssm')");
    expect(loader).toContain("import('@aws-sdk/client-secrets-manager')");
    expect(await readFile(join(ROOT, 'scripts/bundle-cli.mjs'), 'utf8')).toMatch(/external:\s*\[[^\]]*'@aws-sdk\/\*'/);
  });

  it.skipIf(!BUILT)('(needs the build) resolving envsubst and vault loads no SDK; the first awsssm reference loads @aws-sdk/client-ssm only', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const sdk = () => [...new Set(Object.keys(require.cache).map((f) => /node_modules\\/(@aws-sdk\\/[^/]+)/.exec(f)?.[1]).filter(Boolean))].sort();
      const { parseSecretRef } = await import(${JSON.stringify(join(DIST, 'model/secret-ref.js'))});
      const { readSecret, secretExists, secretContext } = await import(${JSON.stringify(join(DIST, 'io/secrets/resolve.js'))});
      const ctx = secretContext({ X: 'x', VAULT_ADDR: 'http://127.0.0.1:9', VAULT_TOKEN: 't', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' }, process.cwd());
      await readSecret(parseSecretRef('ref+envsubst://$X'), ctx);
      await readSecret(parseSecretRef('ref+vault://secret/data/x#/k'), ctx).catch(() => {});
      const before = sdk();
      await secretExists(parseSecretRef('ref+awsssm://x/y'), ctx).catch(() => {});
      console.log(JSON.stringify({ before, after: sdk() }));
    `;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 60_000 });
    const { before, after } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { before: string[]; after: string[] };
    expect(before).toEqual([]);
    expect(after).toContain('@aws-sdk/client-ssm');
    expect(after).not.toContain('@aws-sdk/client-secrets-manager');
  }, 60_000);
});
