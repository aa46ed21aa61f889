import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as tfsync from '../src/index.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('the library API', () => {
  it('reads the demo repository and diffs two environments without the CLI', async () => {
    const { repo } = await tfsync.loadRepository({ cwd: repoRoot });
    const diff = tfsync.diffEnvironments(repo, ['englacial', 'prod']);
    const tag = diff.variables.find((v) => v.name === 'singleuser_image_tag');
    expect(tag?.status).toBe('different');
    expect(tag?.values['englacial']?.value).toBe('2025.01.24');
  });

  it('edits a value in place through the exported edit functions', () => {
    const text = 'a = 1 # keep me\nb = "x"\n';
    const doc = tfsync.parseTfvars(text);
    expect(tfsync.applyEdits(text, tfsync.updateValue(doc, 'a', '[\n  2,\n]'))).toBe('a = [\n  2,\n] # keep me\nb = "x"\n');
  });
});
