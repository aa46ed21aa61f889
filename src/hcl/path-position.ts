/**
 * Where a value inside an attribute is written: the offset of the node a key path leads to, or of
 * the deepest node on the way that exists (the object that lacks the key). Documents keep no
 * expression trees (tfvars.ts), so the attribute's value is parsed again: only for the few leaves
 * an output points at.
 */
import type { PathPart } from './key-path.js';
import { jsonProperty, locateInExpression, locateInJson } from './path-locate.js';
import { parseExpression } from './parser.js';
import { jsoncParser, type TfvarsAttribute, type TfvarsDocument } from './tfvars.js';

export function pathOffset(doc: TfvarsDocument, attribute: TfvarsAttribute, parts: readonly PathPart[]): number {
  if (parts.length === 0) return attribute.valueRange.start;
  if (doc.format === 'json') {
    const root = jsoncParser().parseTree(doc.text);
    const node = root && jsonProperty(root, attribute.name)?.children?.[1];
    if (!node) return attribute.valueRange.start;
    const located = locateInJson(node, parts);
    return located.found ? located.node.offset : located.parent.offset;
  }
  const located = locateInExpression(parseExpression(attribute.source).expr, attribute.source, parts);
  return attribute.valueRange.start + (located.found ? located.node.start : located.parent.start);
}

/** The 1-based line of pathOffset. */
export function pathLine(doc: TfvarsDocument, attribute: TfvarsAttribute, parts: readonly PathPart[]): number {
  return doc.lines.position(pathOffset(doc, attribute, parts)).line;
}
