/**
 * Properties of promotion over random repositories: random source, target and shared files
 * (random subsets of a name pool, random values including multi-line lists and maps, heredocs and
 * strings with special characters, comments, CRLF, no final newline) and random plans (--only,
 * --var, --prune, --no-shared, @shared on either side). For every one:
 * - each new text parses, to exactly the planned values;
 * - the synced values equal the source's; every other attribute keeps its value and its bytes,
 *   and no edit touches a byte outside the changed attributes and the `Last synced` line;
 * - a second promotion is a no-op.
 * The pure core runs many cases; the full command (with the official parser's verification, which
 * is slow to start) a few.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineEnding } from '../../src/hcl/line-ending.js';
import { T } from '../../src/hcl/scanner.js';
import { quoteString } from '../../src/hcl/template-text.js';
import { parseTfvars, type TfvarsDocument } from '../../src/hcl/tfvars.js';
import { sameValue } from '../../src/sync/value-equality.js';
import { planChanges, planPromotion, type Plan, type PromoteOptions } from '../../src/sync/plan.js';
import { rewritePlan, type FileRewrite } from '../../src/sync/rewrite.js';
import { run, writeFiles } from '../helpers/cli.js';
import { repoOf, type RepoSpec } from '../helpers/repository.js';

const POOL = ['alpha', 'beta', 'gamma', 'delta', 'eps', 'zeta', 'eta', 'theta'];
const SPECIFIC = ['env_a', 'env_b'];
const GROUPS = { first: ['alpha', 'beta', 'gamma'], second: ['delta', 'e*'], third: ['theta'] };
const CONFIG: RepoSpec['config'] = { syncable: POOL, environmentSpecific: SPECIFIC, groups: GROUPS, sensitive: ['zeta'] };
// Some declared with a default, some without (so `--var` never names an unknown variable).
const VARIABLES = POOL.map((n, i) => (i % 2 ? `variable "${n}" {\n  default = ${i}\n}\n` : `variable "${n}" {}\n`))
  .concat(SPECIFIC.map((n) => `variable "${n}" {}\n`))
  .join('');

// --- values as source text ------------------------------------------------------------------

const special = fc.constantFrom('|', '&', '\\', '$', '${', '%{', '"', '/', '#', '//', '/*', '*/', 'é', '∑', '\t', '\n', ' ', 'a', 'b', 'EOT');
const stringValue = fc.array(special, { maxLength: 8 }).map((parts) => quoteString(parts.join('')));
const scalar = fc.oneof(
  fc.integer({ min: -1000, max: 100000 }).map(String),
  fc.constantFrom('true', 'false', 'null', '1.5', '1e3'),
  stringValue,
);
const comment = fc.constantFrom('', ' # note', ' // note | & \\', ' /* inline */');

/** A list or map, on one line or over several (trailing commas, comments inside). */
const collection = fc.oneof(
  fc.record({ items: fc.array(scalar, { maxLength: 4 }), multi: fc.boolean(), trailing: fc.boolean(), notes: fc.array(comment, { minLength: 4, maxLength: 4 }) }).map(
    ({ items, multi, trailing, notes }) =>
      multi && items.length > 0
        ? `[\n${items.map((v, i) => `  ${v}${i < items.length - 1 || trailing ? ',' : ''}${notes[i]!.replace(' /* inline */', '')}`).join('\n')}\n]`
        : `[${items.join(', ')}]`,
  ),
  fc.record({ keys: fc.uniqueArray(fc.constantFrom('a', 'b', 'k-1', '"quoted key"', 'null'), { maxLength: 3 }), values: fc.array(scalar, { minLength: 3, maxLength: 3 }), multi: fc.boolean() }).map(
    ({ keys, values, multi }) =>
      multi ? `{\n${keys.map((k, i) => `  ${k} = ${values[i]!}`).join('\n')}\n}` : `{ ${keys.map((k, i) => `${k} = ${values[i]!}`).join(', ')} }`,
  ),
);
const heredocLine = fc.array(fc.constantFrom('x', ' ', '|', '&', '\\', '$', '"', '#', 'é'), { maxLength: 6 }).map((c) => c.join(''));
const heredoc = fc.record({ lines: fc.array(heredocLine, { maxLength: 3 }), indented: fc.boolean() }).map(({ lines, indented }) =>
  indented ? `<<-EOT\n${lines.map((l) => `    ${l}`).join('\n')}${lines.length ? '\n' : ''}  EOT` : `<<EOT\n${lines.join('\n')}${lines.length ? '\n' : ''}EOT`,
);
const expression = fc.oneof({ weight: 3, arbitrary: scalar }, { weight: 3, arbitrary: collection }, { weight: 1, arbitrary: heredoc });

/** One attribute line (or lines), with a lead comment, odd spacing or indentation. */
const attribute = (name: string) =>
  fc.record({ expr: expression, eq: fc.constantFrom(' = ', '=', '   = '), indent: fc.constantFrom('', '  ', '\t'), lead: fc.constantFrom('', '# about this\n', `/* ${name} = 0 */\n`), note: comment, blank: fc.boolean() }).map(
    ({ expr, eq, indent, lead, note, blank }) => `${blank ? '\n' : ''}${lead}${indent}${name}${eq}${expr}${expr.startsWith('<<') ? '' : note}\n`,
  );

/** A tfvars file: a random subset of names (in random order) with random values. */
const tfvarsFile = (names: string[], { banner }: { banner: boolean }) =>
  fc.record({ picked: fc.shuffledSubarray(names), crlf: fc.boolean(), finalNewline: fc.boolean(), banner: fc.boolean(), header: fc.boolean() }).chain(({ picked, crlf, finalNewline, banner: withBanner, header }) =>
    fc.tuple(...picked.map(attribute)).map((lines) => {
      const split = Math.floor(lines.length / 2);
      let text =
        (header ? '# generated\n# Last synced: 2024-01-01 from: somewhere\n\n' : '') +
        lines.slice(0, split).join('') +
        (banner && withBanner ? '# =====\n# SYNCED FEATURES\n# Last synced: 2024-01-01 from: x\n# =====\n' : '') +
        lines.slice(split).join('');
      // A heredoc's closing marker must end its line.
      if (!finalNewline && !text.endsWith('EOT\n')) text = text.replace(/\n$/, '');
      return crlf ? text.replace(/\n/g, '\r\n') : text;
    }),
  );

const repoSpec = fc.record({
  src: tfvarsFile([...POOL, ...SPECIFIC], { banner: true }),
  dst: tfvarsFile([...POOL, ...SPECIFIC], { banner: true }),
  shared: fc.option(tfvarsFile(POOL, { banner: false }), { nil: undefined }),
});

const options = fc.record({
  direction: fc.constantFrom(['src', 'dst'], ['src', 'dst'], ['src', '@shared'], ['@shared', 'dst']),
  only: fc.subarray(Object.keys(GROUPS), { maxLength: 2 }),
  vars: fc.subarray(POOL, { maxLength: 2 }),
  subset: fc.boolean(),
  prune: fc.boolean(),
  shared: fc.boolean(),
});

type Spec = { src: string; dst: string; shared: string | undefined };
type Opts = { direction: readonly string[]; only: string[]; vars: string[]; subset: boolean; prune: boolean; shared: boolean };

function promoteOptions(o: Opts): PromoteOptions {
  return { source: o.direction[0]!, target: o.direction[1]!, only: o.subset ? o.only : [], vars: o.subset ? o.vars : [], prune: o.prune, shared: o.shared };
}

function build(spec: Spec) {
  return repoOf({ variables: VARIABLES, shared: spec.shared, envs: { src: spec.src, dst: spec.dst }, config: CONFIG });
}

// --- the properties -----------------------------------------------------------------------------

function checkRewrite(plan: Plan, sourceValue: (name: string) => unknown, rewrite: FileRewrite): TfvarsDocument {
  const before = rewrite.file.layer.doc;
  const after = parseTfvars(rewrite.after);
  expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // Parses to exactly the planned values.
  expect(new Map(after.attributes.map((a) => [a.name, a.value]))).toEqual(rewrite.expected);
  const active = new Map(rewrite.file.changes.filter((c) => c.op !== 'noop').map((c) => [c.name, c]));
  for (const change of rewrite.file.changes) {
    if (change.op === 'delete') expect(after.byName.has(change.name)).toBe(false);
    else expect(sameValue(after.byName.get(change.name)!.value, sourceValue(change.name) as never)).toBe(true);
  }
  // Every other attribute keeps its value and its bytes, line comment included (comments above
  // it are checked by the edit ranges below: a deleted attribute's lead comment stays, and may
  // then stand above another).
  for (const a of before.attributes) {
    if (active.has(a.name)) continue;
    const now = after.byName.get(a.name)!;
    expect(now.value).toEqual(a.value);
    const range = (doc: TfvarsDocument, name: string) => {
      const { lineRange } = doc.byName.get(name)!;
      // Without its line break: a new last line ends the old one in a file without a final newline.
      return doc.text.slice(lineRange!.start, lineRange!.end).replace(/\r?\n$/, '');
    };
    expect(range(after, a.name)).toBe(range(before, a.name));
  }
  // No edit replaces a byte outside an updated or deleted attribute or a Last synced line.
  const allowed: Array<[number, number]> = [];
  for (const name of active.keys()) {
    const lineRange = before.byName.get(name)?.lineRange;
    if (lineRange) allowed.push([before.text.slice(0, lineRange.start).trimEnd().length, lineRange.end]);
  }
  const tokens = before.tokens!;
  for (let i = 0; i < tokens.count; i++) {
    const text = before.text.slice(tokens.start(i), tokens.end(i));
    if (tokens.kind(i) === T.Comment && text.includes('Last synced')) allowed.push([tokens.start(i), tokens.end(i)]);
  }
  // Ranges with only white space between them are one (deleted neighbours go as one edit).
  const merged: Array<[number, number]> = [];
  for (const [s, e] of allowed.sort((a, b) => a[0] - b[0])) {
    const last = merged[merged.length - 1];
    if (last && (s <= last[1] || before.text.slice(last[1], s).trim() === '')) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  for (const edit of rewrite.edits) {
    if (edit.length === 0) continue;
    expect(merged.some(([s, e]) => s <= edit.offset && edit.offset + edit.length <= e)).toBe(true);
  }
  return after;
}

function promoteOnce(spec: Spec, opts: Opts) {
  const repo = build(spec);
  const plan = planPromotion(repo, promoteOptions(opts));
  const source = plan.source === '@shared' ? repo.shared : repo.environments.get(plan.source)!;
  const sourceValue = (name: string) => (source.doc.byName.get(name) ?? (source === repo.shared ? undefined : repo.shared.doc.byName.get(name)))?.value;
  // As the command does: a created shared file takes the source's line ending.
  const rewrites = rewritePlan(plan, { date: '2025-01-27', source: plan.source, newFileEol: lineEnding(source.doc.text) });
  const next: Spec = { ...spec };
  for (const rewrite of rewrites) {
    checkRewrite(plan, sourceValue, rewrite);
    const key = rewrite.file.layer.name === '@shared' ? 'shared' : (rewrite.file.layer.name as 'src' | 'dst');
    if (rewrite.changed || rewrite.file.layer.exists) next[key] = rewrite.after;
  }
  // Environment-specific values never change.
  for (const name of SPECIFIC) expect(parseTfvars(next.dst).byName.get(name)?.source).toBe(parseTfvars(spec.dst).byName.get(name)?.source);
  return { plan, next, rewrites };
}

describe('promotion properties (pure core)', () => {
  it('parses, syncs the source values, keeps everything else, and is idempotent', () => {
    fc.assert(
      fc.property(repoSpec, options, (spec, opts) => {
        const { next } = promoteOnce(spec, opts);
        const second = planPromotion(build(next), promoteOptions(opts));
        expect(planChanges(second)).toBe(false);
        for (const rewrite of rewritePlan(second, { date: '2099-01-01', source: second.source })) expect(rewrite.changed).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('promotion properties (the full command, with the official parser)', () => {
  it('writes what the pure core planned, and a second run changes nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tfsync-promote-prop-'));
    try {
      await fc.assert(
        fc.asyncProperty(repoSpec, options, async (spec, opts) => {
          const { next } = promoteOnce(spec, opts);
          const root = await mkdtemp(join(dir, 'case-'));
          await writeFiles(root, {
            'tfsync.json': JSON.stringify({ ...CONFIG, variables: 'variables.tf' }),
            'variables.tf': VARIABLES,
            'environments/src/terraform.tfvars': spec.src,
            'environments/dst/terraform.tfvars': spec.dst,
            'environments/shared-features.tfvars': spec.shared,
          });
          const o = promoteOptions(opts);
          const argv = ['promote', o.source, o.target, '--yes', ...(o.prune ? ['--prune'] : []), ...(o.shared ? [] : ['--no-shared'])];
          for (const g of o.only ?? []) argv.push('--only', g);
          for (const v of o.vars ?? []) argv.push('--var', v);
          const tfsync = (args: string[]) => run(args, { cwd: root, env: { SOURCE_DATE_EPOCH: '1737936000' } });
          const first = await tfsync(argv);
          expect(first.err).not.toMatch(/^tfsync:/m);
          expect(first.code).toBe(0);
          expect(await readFile(join(root, 'environments/dst/terraform.tfvars'), 'utf8')).toBe(next.dst);
          if (next.shared !== undefined) expect(await readFile(join(root, 'environments/shared-features.tfvars'), 'utf8')).toBe(next.shared);
          const again = await tfsync([...argv.filter((a) => a !== '--yes'), '--dry-run', '--detailed-exitcode']);
          expect(again.code).toBe(0);
        }),
        { numRuns: 8 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
