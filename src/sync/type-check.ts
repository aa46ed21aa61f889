/**
 * Checks values against declared types with ajv and the schemas of model/type-schema.ts, and says
 * what is wrong in Terraform's words: `dask_node_instance_types[2] must be a string`. Messages name
 * a place in the value and the type expected there, never the value itself, so a sensitive value
 * cannot leak through them.
 *
 * ajv is imported only by `loadTypeChecker`: compiling schemas is `validate`'s business, and
 * loading ajv would cost every other command start-up time.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { setProperty, type JsonValue } from '../hcl/evaluate.js';
import type { VariableDeclaration } from '../hcl/variables.js';
import { didYouMean } from '../model/suggest.js';
import {
  extraAttributes, formatPath, formatType, isExpressionString, parseTypeSource, pathSteps, typeSchema, type PathStep, type TypeSpec,
} from '../model/type-schema.js';

export interface TypeIssue {
  message: string;
  hint?: string;
  /** Where in the value the problem is, so that callers can point at the item itself. */
  steps: PathStep[];
}

export type TypeCheckResult =
  /** Errors: the value does not convert; warnings: it does, but loses attributes on the way. */
  | { status: 'checked'; errors: TypeIssue[]; warnings: TypeIssue[] }
  /** The value is an expression tfsync does not evaluate: its type is unknown. */
  | { status: 'expression' }
  /** The declaration's type is not one tfsync understands. */
  | { status: 'unknown-type'; message: string };

export interface TypeCheckOptions {
  /** Map keys in messages are hidden for sensitive variables. */
  sensitive: boolean;
  /** The value is the declaration's own default, where null needs `nullable` (not just a default). */
  isDefault: boolean;
}

export interface TypeChecker {
  /** Why the declaration's type cannot be checked (a type tfsync does not understand), or undefined. */
  typeProblem(decl: VariableDeclaration): string | undefined;
  check(decl: VariableDeclaration, value: JsonValue, options: TypeCheckOptions): TypeCheckResult;
}

/** At most this many problems are listed per value; a long list of wrong items says no more. */
const MAX_ISSUES = 5;

export async function loadTypeChecker(): Promise<TypeChecker> {
  const ajvModule = await import('ajv');
  // Node gives a CommonJS module's named exports; in the bundled CLI (esbuild) a lazily imported
  // CommonJS chunk has only its module.exports, as `default`.
  const Ajv = ajvModule.Ajv ?? (ajvModule.default as unknown as typeof ajvModule).Ajv;
  const ajv = new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true });
  const types = new Map<string, ReturnType<typeof parseTypeSource>>();
  const validators = new Map<string, ValidateFunction>();

  const typeOf = (source: string) => {
    let parsed = types.get(source);
    if (!parsed) types.set(source, (parsed = parseTypeSource(source)));
    return parsed;
  };
  const validatorOf = (source: string, type: TypeSpec, nullable: boolean) => {
    const key = `${nullable}:${source}`;
    let validate = validators.get(key);
    if (!validate) validators.set(key, (validate = ajv.compile(typeSchema(type, { nullable }))));
    return validate;
  };

  return {
    typeProblem(decl) {
      if (decl.type === undefined) return undefined;
      const parsed = typeOf(decl.type);
      return parsed.ok ? undefined : parsed.message;
    },
    check(decl, value, { sensitive, isDefault }) {
      if (isExpressionString(value)) return { status: 'expression' };
      if (decl.type === undefined) return { status: 'checked', errors: [], warnings: [] };
      const parsed = typeOf(decl.type);
      if (!parsed.ok) return { status: 'unknown-type', message: parsed.message };
      // A null for a non-nullable variable with a default makes Terraform use the default; the
      // default itself may be null only when the variable is nullable.
      const nullable = decl.nullable || (decl.hasDefault && !isDefault);
      const validate = validatorOf(decl.type, parsed.type, nullable);
      const hint = `the declared type is ${formatType(parsed.type)}`;
      const errors = validate(asJsonNumbers(value)) ? [] : issues(validate.errors ?? [], decl.name, parsed.type, sensitive).map((issue) => ({ ...issue, hint }));
      const warnings = extraAttributes(parsed.type, value).map(({ steps, attribute, known }): TypeIssue => {
        const where = formatPath(decl.name, steps, { hideKeys: sensitive });
        const at: PathStep[] = [...steps, { key: attribute, of: 'object' }];
        const dropped = 'which its object type does not declare; Terraform drops it';
        if (sensitive) return { message: `${where} has an attribute ${dropped}`, steps: at };
        const declared = known.length === 0 ? 'the object type declares no attributes' : `the object type declares ${known.join(', ')}`;
        const hint = didYouMean(attribute, known) ?? declared;
        return { message: `${where} has the attribute "${attribute}", ${dropped}`, hint, steps: at };
      });
      return { status: 'checked', errors, warnings };
    },
  };
}

/** The value with its bigints (integers beyond 2^53) as numbers: a JSON Schema knows only those, and the type is all that is checked. */
function asJsonNumbers(value: JsonValue): JsonValue {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(asJsonNumbers);
  const out: { [key: string]: JsonValue } = {};
  for (const [k, v] of Object.entries(value)) setProperty(out, k, asJsonNumbers(v));
  return out;
}

/** ajv's errors as sentences, in the order found, without repeats. */
function issues(errors: ErrorObject[], name: string, type: TypeSpec, sensitive: boolean): TypeIssue[] {
  const found: TypeIssue[] = [];
  for (const e of errors) {
    const steps = pathSteps(type, e.instancePath);
    const message = sentence(e, formatPath(name, steps, { hideKeys: sensitive }));
    if (!found.some((issue) => issue.message === message)) found.push({ message, steps });
  }
  if (found.length <= MAX_ISSUES) return found;
  const more = found.length - MAX_ISSUES + 1;
  return [...found.slice(0, MAX_ISSUES - 1), { message: `and ${more} more problems in ${name}`, steps: [] }];
}

function sentence(e: ErrorObject, where: string): string {
  const schema = e.parentSchema ?? {};
  switch (e.keyword) {
    case 'type':
    case 'pattern':
      return e.data === null ? `${where} must not be null` : `${where} must be ${String(schema.title)}`;
    case 'required':
      return `${where} lacks the required attribute "${String((e.params as { missingProperty: string }).missingProperty)}"`;
    case 'minItems':
    case 'additionalItems':
      return `${where} must have exactly ${String(schema.minItems)} ${schema.minItems === 1 ? 'item' : 'items'}`;
    default:
      return `${where} ${e.message ?? 'does not match its type'}`;
  }
}
