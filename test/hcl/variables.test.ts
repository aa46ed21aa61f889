/**
 * Variable declarations: parseVariables against the official parser's reading of the same file
 * (`{ variable: { name: [ { type: "${...}", default, description, sensitive, nullable,
 * validation: [...] } ] } }`), plus hand-checked facts about the fixture.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as officialParse } from '@cdktn/hcl2json';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/hcl/evaluate.js';
import { parseVariables, type VariableDeclaration } from '../../src/hcl/variables.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

interface OfficialVariable {
  type?: string;
  default?: JsonValue;
  description?: string;
  sensitive?: boolean;
  nullable?: boolean;
  validation?: unknown[];
}

const files = [
  { name: 'fixtures/hcl/variables.tf', minimum: 15 },
  { name: 'environments/variables.tf', minimum: 40 },
];

/** What the official parser says about each declaration, in the shape parseVariables gives. */
function officialView(variable: OfficialVariable) {
  return {
    type: variable.type === undefined ? undefined : /^\$\{([\s\S]*)\}$/.exec(variable.type)![1],
    hasDefault: 'default' in variable,
    default: variable.default,
    description: variable.description,
    sensitive: variable.sensitive === true,
    nullable: variable.nullable !== false,
    validations: variable.validation?.length ?? 0,
  };
}

function tfsyncView(decl: VariableDeclaration) {
  return {
    type: decl.type,
    hasDefault: decl.hasDefault,
    default: decl.default,
    description: decl.description,
    sensitive: decl.sensitive,
    nullable: decl.nullable,
    validations: decl.validations,
  };
}

describe.each(files)('parseVariables($name) against the official parser', ({ name, minimum }) => {
  const text = readFileSync(join(repoRoot, name), 'utf8');
  const parsed = parseVariables(text);

  it('parses with no diagnostics', () => {
    expect(parsed.diagnostics).toEqual([]);
  });

  it('finds every variable block, in file order, with its line', () => {
    const written = [...text.matchAll(/^variable\s+"([^"]+)"/gm)].map((m) => m[1]);
    expect(written.length).toBeGreaterThanOrEqual(minimum);
    expect(parsed.variables.map((v) => v.name)).toEqual(written);
    const lines = text.split('\n');
    for (const v of parsed.variables) expect(lines[v.line - 1]).toMatch(new RegExp(`^variable\\s+"${v.name}"`));
  });

  it('reads type (as written), default, description, sensitive, nullable and validations as the official parser does', async () => {
    const official = (await officialParse(name.split('/').pop()!, text)) as { variable: Record<string, OfficialVariable[]> };
    expect(Object.keys(official.variable).sort()).toEqual(parsed.variables.map((v) => v.name).sort());
    for (const decl of parsed.variables) {
      const [only, ...more] = official.variable[decl.name]!;
      expect(more).toEqual([]);
      expect({ name: decl.name, ...tfsyncView(decl) }).toEqual({ name: decl.name, ...officialView(only!) });
    }
  });
});

describe('parseVariables on the fixture, by hand', () => {
  const text = readFileSync(join(repoRoot, 'fixtures/hcl/variables.tf'), 'utf8');
  const byName = new Map(parseVariables(text).variables.map((v) => [v.name, v]));
  const get = (name: string) => {
    const v = byName.get(name);
    expect(v, name).toBeDefined();
    return v!;
  };

  it('ignores blocks that are not variables', () => {
    expect(byName.has('not_a_variable')).toBe(false);
    expect(byName.size).toBe(16);
  });

  it('tells a missing default from a null one', () => {
    expect(get('required_string')).toMatchObject({ type: 'string', hasDefault: false });
    expect(get('required_string').default).toBeUndefined();
    expect(get('null_default')).toMatchObject({ hasDefault: true, default: null, nullable: true });
  });

  it('keeps untyped variables untyped and types exactly as written', () => {
    expect(get('untyped').type).toBeUndefined();
    expect(get('untyped').default).toBe('any type goes');
    expect(get('any_typed').type).toBe('any');
    expect(get('list_default').type).toBe('list(string)');
    expect(get('tuple_typed').type).toBe('tuple([string, number, bool])');
    const objectType = get('object_with_optional').type!;
    expect(objectType.startsWith('object({\n    name     = string\n')).toBe(true);
    expect(objectType).toContain('optional(list(object({\n      zone    = string');
    expect(objectType.endsWith('\n  })')).toBe(true);
    expect(get('object_with_optional').typeExpr?.type).toBe('other');
  });

  it('evaluates defaults', () => {
    expect(get('number_default').default).toBe(-1500);
    expect(get('bool_default').default).toBe(false);
    expect(get('set_default').default).toEqual([1, 2, 3]);
    expect(get('map_default').default).toEqual({ team: 'platform', 'cost-center': '42' });
    expect(get('map_of_objects').default).toEqual({
      user: { instance_types: ['r5.large'], max_size: 10 },
      dask: { instance_types: ['m5.large', 'm5.xlarge'], min_size: 0, max_size: 100 },
    });
  });

  it('reads descriptions, including an indented heredoc', () => {
    expect(get('number_default').description).toBe('A number with an exponent.');
    expect(get('heredoc_description').description).toBe(
      'A long description written as an indented heredoc.\nIt spans several lines; `<<-` strips the common indentation.\n',
    );
    expect(get('bool_default').description).toBeUndefined();
  });

  it('reads sensitive, nullable and validation counts', () => {
    expect(get('secret')).toMatchObject({ sensitive: true, nullable: false, hasDefault: false });
    expect(get('with_ephemeral_style_flags')).toMatchObject({ sensitive: false, nullable: true });
    expect(get('object_with_optional')).toMatchObject({ nullable: false, validations: 2 });
    expect(get('validated_number').validations).toBe(1);
    expect(get('list_default')).toMatchObject({ sensitive: false, nullable: true, validations: 0 });
  });

  it('records where each declaration starts', () => {
    const decl = get('required_string');
    expect(decl.line).toBe(3);
    expect(text.slice(decl.range.start, decl.range.end)).toBe('variable "required_string" {\n  type = string\n}');
  });
});
