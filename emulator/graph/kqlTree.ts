// Small helpers to read the KNode syntax tree.
import type { KNode } from './kustoParser.js';
import { semantic } from './kqlError.js';

/** Non-token children, with SyntaxList and SeparatedElement wrappers flattened away. */
export function parts(node: KNode): KNode[] {
  const out: KNode[] = [];
  for (const child of node.children) {
    if (child.isToken) continue;
    if (child.kind === 'List' || child.kind === 'SeparatedElement') out.push(...parts(child));
    else out.push(child);
  }
  return out;
}

/** The first token of a node (e.g. the operator keyword), or undefined. */
export function firstToken(node: KNode): KNode | undefined {
  if (node.isToken) return node;
  for (const child of node.children) {
    const token = firstToken(child);
    if (token !== undefined && token.text !== '') return token;
  }
  return undefined;
}

/** The token children's texts joined by spaces, e.g. 'matches regex' or 'kind'. */
export function tokenTexts(node: KNode): string[] {
  return node.children.filter((c) => c.isToken).map((c) => c.text);
}

/** The identifier of a NameReference / NameDeclaration / TokenName / BracketedName. */
export function nameOf(node: KNode): string {
  if (node.isToken) return node.text;
  if (node.kind === 'BracketedName') {
    const lit = node.children.find((c) => c.literal !== undefined);
    if (lit !== undefined) return String(lit.literal);
  }
  if (node.kind === 'LiteralExpression' || node.kind === 'StringLiteralExpression')
    return String(node.literal);
  const child = node.children[0];
  if (child === undefined) throw semantic('InvalidName', 'expected a name', node.start);
  return nameOf(child);
}

/** The items inside an ExpressionList '( a, b )'. */
export function listItems(node: KNode): KNode[] {
  return parts(node);
}

/** Reconstructs the source text of a node (tokens joined by a space), for messages and column names. */
export function sourceText(node: KNode): string {
  if (node.isToken) return node.text;
  return node.children
    .map(sourceText)
    .filter((t) => t !== '')
    .join(' ');
}
