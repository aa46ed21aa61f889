/**
 * Bundles the CLI (src/cli/main.ts) with esbuild over tsc's dist/cli/main.js, so that start-up reads
 * two files instead of about a hundred modules (docs/performance.md, "start-up from two files"). Code splitting
 * keeps every lazy `import()` lazy. The official parser stays external: it loads its WASM from its
 * own folder, and keeping it a real package import is also what lets the tests prove, from a module
 * trace, that read-only commands never load it. The library entry (dist/index.js, with types) is
 * tsc's alone.
 *
 * The hot set: what src/cli/main.ts imports statically, run.ts and the read-only commands among it
 * (src/cli/commands/index.ts). esbuild cuts chunks by which entries reach a module, and every lazy
 * module reaches a different part of the hot set, so left alone it cut the hot set into ~30 chunks,
 * and on this machine Node's ESM loader spends about a millisecond on each. So every lazy import is
 * built as a module that first imports the hot set (loaded by then: it costs nothing at run time):
 * every entry then reaches the whole hot set and it is one chunk. The build fails if the hot
 * path grows past main.js and that chunk.
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(root, 'src', 'cli', 'main.ts');
const hotSet = [...readFileSync(MAIN, 'utf8').matchAll(/^import .* from '(\.[^']+)';$/gm)]
  .map(([, spec]) => `import ${JSON.stringify(spec)};`)
  .join('\n');

/** Every bundled lazy import, as a module that imports the hot set before the module it stands for. */
const lazyAfterHotSet = {
  name: 'lazy-after-hot-set',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === 'inner') return undefined;
      const target = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: 'inner' });
      if (target.errors.length > 0 || target.external) return target;
      return { path: target.path, namespace: 'lazy' };
    });
    b.onResolve({ filter: /^tfsync-hot-set$/ }, () => ({ path: MAIN, namespace: 'hot-set' }));
    b.onLoad({ filter: /.*/, namespace: 'hot-set' }, () => ({ contents: hotSet, resolveDir: dirname(MAIN), loader: 'js' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ path }) => {
      const target = JSON.stringify(path);
      // A CommonJS package (ajv) is imported as its module.exports, `default`, as it would be unbundled.
      const ownModule = path.startsWith(join(root, 'src'));
      return {
        contents: `import 'tfsync-hot-set';\nexport * from ${target};\n${ownModule ? '' : `import * as m from ${target};\nexport default m.default;\n`}`,
        resolveDir: dirname(path),
        loader: 'js',
      };
    });
  },
};

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
  plugins: [lazyAfterHotSet],
};

/** The files main.js loads before anything lazy: main.js and the hot set's chunk, if all is well. */
function hotPath(metafile, file) {
  const seen = new Set();
  const visit = (out) => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const imp of metafile.outputs[out]?.imports ?? []) if (imp.kind === 'import-statement' && !imp.external) visit(imp.path);
  };
  visit(file);
  return [...seen];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  rmSync(join(root, 'dist', 'cli', 'chunks'), { recursive: true, force: true });
  const { metafile } = await build({
    ...chunkOptions,
    entryPoints: { main: MAIN },
    absWorkingDir: root,
    outdir: join(root, 'dist', 'cli'),
    sourcemap: true,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  const main = Object.keys(metafile.outputs).find((out) => out.endsWith('cli/main.js'));
  const loaded = hotPath(metafile, main);
  if (loaded.length > 2) {
    throw new Error(`start-up loads ${loaded.length} files, not 2 (scripts/bundle-cli.mjs says why):\n  ${loaded.map((f) => relative(root, f)).join('\n  ')}`);
  }
}
