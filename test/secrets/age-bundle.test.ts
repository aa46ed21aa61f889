/**
 * The bundled CLI (scripts/bundle-cli.mjs: esbuild, ESM, code splitting) keeps age-encryption out of
 * start-up: bundling the secrets registry the same way puts the package in the age backend's own
 * chunk, loaded only by `import()` when an age reference is resolved, and that chunk decrypts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { Encrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
/** A line of age-encryption's own code (its header's version line), in whichever file holds the package. */
const AGE_CODE = 'age-encryption.org/v1';

describe('age-encryption in the bundle', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tfsync-age-bundle-'));
    await writeFile(
      join(dir, 'entry.ts'),
      `import { loadBackend } from ${JSON.stringify(join(ROOT, 'src/io/secrets/registry.ts'))};
import { parseSecretRef } from ${JSON.stringify(join(ROOT, 'src/model/secret-ref.ts'))};
const ref = parseSecretRef(process.argv[2]);
const backend = await loadBackend(ref.backend);
process.stdout.write(await backend.read(ref, { env: { TFSYNC_AGE_IDENTITY: process.env.KEY }, root: process.cwd(), timeoutMs: 30000 }));
`,
    );
    // The options of scripts/bundle-cli.mjs that decide what lands where.
    const { chunkOptions } = (await import(join(ROOT, 'scripts', 'bundle-cli.mjs'))) as { chunkOptions: BuildOptions };
    await build({
      ...chunkOptions,
      entryPoints: { main: join(dir, 'entry.ts') },
      outdir: join(dir, 'out'),
      nodePaths: [join(ROOT, 'node_modules')],
      outExtension: { '.js': '.mjs' },
      logLevel: 'silent',
    });
  }, 120_000);
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('puts the package in the age backend chunk only, which only import() loads', async () => {
    const chunks = await readdir(join(dir, 'out', 'chunks'));
    const holding: string[] = [];
    for (const name of ['../main.mjs', ...chunks]) if ((await readFile(join(dir, 'out', 'chunks', name), 'utf8')).includes(AGE_CODE)) holding.push(name);
    expect(holding).toHaveLength(1);
    expect(holding[0]).toMatch(/^age-backend-.*\.mjs$/);
    // Reached by import() alone: a static import anywhere would load it with that file.
    const ageChunk = holding[0]!.replace(/[.]/g, '\\.');
    const texts = await Promise.all(['../main.mjs', ...chunks].filter((n) => n.endsWith('.mjs')).map((n) => readFile(join(dir, 'out', 'chunks', n), 'utf8')));
    expect(texts.some((t) => new RegExp(`import\\(["']\\./(chunks/)?${ageChunk}["']\\)`).test(t))).toBe(true);
    expect(texts.some((t) => new RegExp(`from ["']\\./(chunks/)?${ageChunk}["']`).test(t))).toBe(false);
  });

  it('and the bundled chunk decrypts an age reference', async () => {
    const key = await generateIdentity();
    const encrypter = new Encrypter();
    encrypter.addRecipient(await identityToRecipient(key));
    await writeFile(join(dir, 'prod.json.age'), await encrypter.encrypt('{"token":"bundled-ok"}'));
    const { stdout } = await run(process.execPath, [join(dir, 'out', 'main.mjs'), 'ref+age://prod.json.age#/token'], { cwd: dir, env: { ...process.env, KEY: key } });
    expect(stdout).toBe('bundled-ok');
  }, 60_000);
});
