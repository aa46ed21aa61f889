/**
 * The layer rules of the code (DESIGN.md, README "Code shape"): a pure core (src/hcl, src/model,
 * src/sync) and a thin shell (src/io, src/cli). Read from the import statements of every source file.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', 'src');

/** Every .ts file under src/, with the module specifiers it imports (static, dynamic and type-only). */
async function imports(): Promise<Array<{ file: string; specifiers: string[]; text: string }>> {
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
  return Promise.all(
    files.map(async (path) => {
      const text = await readFile(path, 'utf8');
      return { file: relative(SRC, path).split('\\').join('/'), specifiers: specifiersOf(text), text };
    }),
  );
}

function specifiersOf(text: string): string[] {
  const found = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]/g), ...text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return found.map((m) => m[1]!);
}

const FILE_SYSTEM = /^(node:)?(fs|fs\/promises)$|^tinyglobby$/;
const layerOf = (file: string, specifier: string): string | undefined => {
  if (!specifier.startsWith('.')) return undefined;
  const target = join(file, '..', specifier).split('\\').join('/');
  return target.split('/')[0];
};

describe('layer rules', () => {
  it('one write path: only src/io/apply-writes.ts commits files and verifies them, and only the commit writes or backs up', async () => {
    // Every writing command hands its list of writes to applyWrites (through src/cli/confirm-write.ts);
    // a command that imported the transaction, the verifier or the atomic writer would bypass its checks.
    const broken: string[] = [];
    for (const { file, specifiers, text } of await imports()) {
      for (const s of specifiers) {
        const module = s.split('/').pop();
        if ((module === 'transaction.js' || module === 'verify.js') && file !== 'io/apply-writes.ts') broken.push(`${file} imports ${s}`);
      }
      if (file !== 'io/transaction.ts' && file !== 'io/write-file.ts' && /\b(writeFileAtomic|writeBackup|commitFiles)\s*\(/.test(text) && file !== 'io/apply-writes.ts') {
        broken.push(`${file} calls a writer directly`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('src/hcl imports nothing of model, sync, io or cli, and no file-system module', async () => {
    const broken: string[] = [];
    for (const { file, specifiers } of await imports()) {
      if (!file.startsWith('hcl/')) continue;
      for (const s of specifiers) {
        const layer = layerOf(file, s);
        if ((layer && ['model', 'sync', 'io', 'cli'].includes(layer)) || FILE_SYSTEM.test(s)) broken.push(`${file} imports ${s}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('src/model and src/sync import no file-system module (discovery and config lookup live in src/io)', async () => {
    const broken: string[] = [];
    for (const { file, specifiers } of await imports()) {
      if (!file.startsWith('model/') && !file.startsWith('sync/')) continue;
      for (const s of specifiers) if (FILE_SYSTEM.test(s)) broken.push(`${file} imports ${s}`);
      for (const s of specifiers) {
        const layer = layerOf(file, s);
        if (layer === 'io' || layer === 'cli') broken.push(`${file} imports ${s}`);
      }
    }
    expect(broken.sort()).toEqual([]);
  });

  it('only src/cli/main.ts ends the process or sets its exit code', async () => {
    const ending = (await imports()).filter(({ text }) => /\bprocess\.(exit|exitCode|abort)\b(?!\s*[A-Za-z])/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(ending.map((f) => f.file)).toEqual(['cli/main.ts']);
  });

  it('the import reader sees every form of import', () => {
    const text = "import { a } from './a.js';\nimport type { B } from '../model/b.js';\nexport { c } from './c.js';\nconst d = await import('node:fs');\n";
    expect(specifiersOf(text)).toEqual(['./a.js', '../model/b.js', './c.js', 'node:fs']);
    expect(layerOf('hcl/parser.ts', '../model/b.js')).toBe('model');
    expect(layerOf('hcl/parser.ts', './scanner.js')).toBe('hcl');
  });
});
