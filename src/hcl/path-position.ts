/**
 * Where a value inside an attribute is written: the offset of the node a key path leads to, or of
 * the deepest node on the way that exists (the object that lacks the key). Documents keep no
 * expression trees (tfvars.ts), so the attribute's value is parsed again, once per attribute however
 * many of its leaves are asked for (a drifting map names many), and only when an output points at one.
 */
import type { PathPart } from './key-path.js';
import { jsonProperty, locateInExpression, locateInJson } from './path-locate.js';
import { parseExpression } from './parser.js';
import { jsoncParser, type TfvarsAttribute, type TfvarsDocument } from './tfvars.js';

/** The offsets of paths inside one attribute's value, from one parse of it. */
export function pathOffsets(doc: TfvarsDocument, attribute: TfvarsAttribute): (parts: readonly PathPart[]) => number {
  const start = attribute.valueRange.start;
  if (doc.format === 'json') {
    let node: ReturnType<typeof jsonProperty> | null | undefined = null;
    return (parts) => {
      if (parts.length === 0) return start;
      if (node === null) {
        const root = jsoncParser().parseTree(doc.text);
        node = root ? jsonProperty(root, attribute.name)?.children?.[1] : undefined;
      }
      if (!node) return start;
      const located = locateInJson(node, parts);
      return located.found ? located.node.offset : located.parent.offset;
    };
  }
  let expr: ReturnType<typeof parseExpression>['expr'] | undefined;
  return (parts) => {
    if (parts.length === 0) return start;
    expr ??= parseExpression(attribute.source).expr;
    const located = locateInExpression(expr, attribute.source, parts);
    return start + (located.found ? located.node.start : located.parent.start);
  };
}

/** The 1-based lines of paths inside one attribute's value (see pathOffsets). */
export function pathLines(doc: TfvarsDocument, attribute: TfvarsAttribute): (parts: readonly PathPart[]) => number {
  const offset = pathOffsets(doc, attribute);
  return (parts) => doc.lines.position(offset(parts)).line;
}

/** The 1-based line of one path (see pathOffsets). */
export function pathLine(doc: TfvarsDocument, attribute: TfvarsAttribute, parts: readonly PathPart[]): number {
  return pathLines(doc, attribute)(parts);
}
