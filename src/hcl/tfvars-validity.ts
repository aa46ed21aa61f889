/**
 * What Terraform refuses in a variables file: it evaluates each value with no context, so a
 * reference (`var.other`, `local.x`, and `us-east-1`, a name: HCL names may hold dashes)
 * is "Variables not allowed" and a function call is "Function calls not allowed", each at the
 * expression, as hclsyntax reports them. Other expressions tfsync does not evaluate (for
 * expressions, template directives) are not refused here: Terraform may accept them.
 */
import { diagnostic, type Diagnostic } from './diagnostics.js';
import type { Expression } from './syntax.js';

/** The codes of these rules: Terraform's, on top of HCL's syntax (the official parser has no opinion on them). */
export const TFVARS_RULE_CODES: ReadonlySet<string> = new Set(['variables-not-allowed', 'functions-not-allowed']);

/** A diagnostic of the HCL syntax itself, as opposed to Terraform's rule for variables files. */
export function isSyntaxError(d: Diagnostic): boolean {
  return d.severity === 'error' && !TFVARS_RULE_CODES.has(d.code);
}

const CALL = /^[A-Za-z_][\w-]*(?:\s*::\s*[A-Za-z_][\w-]*)*\s*\(/u;
const NAME = /^[A-Za-z_][\w-]*/u;
const KEYWORDS = new Set(['true', 'false', 'null', 'for']);

export function variablesNotAllowed(start: number, end: number): Diagnostic {
  return diagnostic('variables-not-allowed', 'Variables not allowed: variables may not be used here (a variables file holds constant values).', start, end);
}

export function functionsNotAllowed(start: number, end: number): Diagnostic {
  return diagnostic('functions-not-allowed', 'Function calls not allowed: functions may not be called here (a variables file holds constant values).', start, end);
}

/** The references and calls in `expr`, in source order. */
export function nonConstantDiagnostics(expr: Expression, text: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (e: Expression): void => {
    switch (e.type) {
      case 'traversal':
        out.push(variablesNotAllowed(e.start, e.end));
        return;
      case 'other': {
        const source = text.slice(e.start, e.end);
        if (CALL.test(source)) out.push(functionsNotAllowed(e.start, e.end));
        else {
          // A splat or index on a reference (`var.list[*].id`): the reference is what is refused.
          const name = NAME.exec(source)?.[0];
          if (name && !KEYWORDS.has(name)) out.push(variablesNotAllowed(e.start, e.start + name.length));
        }
        return;
      }
      case 'unary':
        return walk(e.operand);
      case 'binary':
        walk(e.left);
        return walk(e.right);
      case 'parens':
        return walk(e.inner);
      case 'conditional':
        walk(e.condition);
        walk(e.whenTrue);
        return walk(e.whenFalse);
      case 'tuple':
        return e.items.forEach(walk);
      case 'object':
        for (const item of e.items) {
          // A bare key is a name, not a reference.
          if (item.key.type !== 'traversal') walk(item.key);
          walk(item.value);
        }
        return;
      case 'template':
      case 'heredoc':
        // Inside %{ for }, names are the loop's own: not walked.
        if (e.parts.some((p) => p.type === 'directive' && p.keyword === 'for')) return;
        for (const part of e.parts) {
          if (part.type === 'interpolation') walk(part.expr);
          else if (part.type === 'directive' && part.expr) walk(part.expr);
        }
        return;
      default:
        return;
    }
  };
  walk(expr);
  return out;
}
