/**
 * Bundles the CLI (src/cli/main.ts) with esbuild over tsc's dist/cli/main.js, so that start-up reads
 * a few files instead of about a hundred modules (docs/performance.md, "Start-up"). Code splitting
 * keeps every lazy `import()` lazy: each command, yargs and the error renderer are chunks loaded only
 * when they run. The official parser stays external: it loads its WASM from its own folder, and
 * keeping it a real package import is also what lets the tests prove, from a module trace, that
 * read-only commands never load it. The library entry (dist/index.js, with types) is tsc's alone.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The options that decide what lands in which chunk (test/secrets/age-bundle.test.ts bundles with them too). */
export const chunkOptions = {
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // ESM builds of dependencies first: their CommonJS/UMD builds would need a require shim.
  mainFields: ['module', 'main'],
  // The AWS SDK clients are optional peer dependencies: imported from node_modules, lazily, only
  // when a reference uses awssecrets or awsssm (src/io/secrets/aws-sdk.ts), never bundled.
  external: ['@cdktn/hcl2json', '@aws-sdk/*'],
  // Bundled CommonJS dependencies (ajv) call require() for Node's built-ins.
  banner: { js: "import { createRequire as __tfsyncRequire } from 'node:module'; const require = __tfsyncRequire(import.meta.url);" },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(join(root, 'dist', 'cli', 'chunks'), { recursive: true, force: true });
  await build({
    ...chunkOptions,
    entryPoints: { main: join(root, 'src', 'cli', 'main.ts') },
    outdir: join(root, 'dist', 'cli'),
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}
