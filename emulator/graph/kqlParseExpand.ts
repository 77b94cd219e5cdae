// parse (simple mode: literals, *, and column names) and mv-expand.
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';
import type { Stage } from './kqlPlan.js';
import { withColumn } from './kqlPlan.js';
import { compileExpr } from './compileExpression.js';
import { toKString, toNumber } from './kqlValues.js';
import { semantic, unsupported } from './kqlError.js';
import { nameOf, parts, sourceText } from './kqlTree.js';

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function parseOperator(node: KNode, schema: Schema): Stage {
  const [source, ...pattern] = parts(node).filter((p) => p.kind !== 'NamedParameter');
  if (source === undefined || pattern.length === 0)
    throw semantic('InvalidExpression', 'parse needs a source and a pattern', node.start);
  const input = compileExpr(source, schema).fn;
  const columns: { name: string; type: KType }[] = [];
  let regex = '^';
  pattern.forEach((item, i) => {
    const last = i === pattern.length - 1;
    if (item.kind === 'StarExpression') regex += last ? '.*' : '.*?';
    else if (item.literal !== undefined) regex += escapeRegex(String(item.literal));
    else if (item.kind === 'NameDeclaration' || item.kind === 'NameAndTypeDeclaration') {
      const [decl, typeExpr] = item.kind === 'NameDeclaration' ? [item, undefined] : parts(item);
      const typeName = typeExpr === undefined ? 'string' : sourceText(typeExpr).toLowerCase();
      const type: KType =
        typeName === 'string'
          ? 'string'
          : ['long', 'int'].includes(typeName)
            ? 'long'
            : typeName === 'real'
              ? 'real'
              : 'dynamic';
      columns.push({ name: nameOf(decl ?? item), type });
      regex += last ? '(.*)' : '(.*?)';
    } else throw unsupported('expression', `parse pattern '${sourceText(item)}'`, item.start);
  });
  const re = new RegExp(regex + (pattern.at(-1)?.kind === 'StarExpression' ? '' : '$'), 's');
  let out = new Map(schema);
  for (const c of columns) out = withColumn(out, c.name, c.type);
  return {
    schema: out,
    apply: (rows) =>
      rows.map((r) => {
        const next: Row = { ...r };
        const match = re.exec(toKString(input(r)));
        columns.forEach((c, i) => {
          const text = match?.[i + 1];
          next[c.name] =
            text === undefined
              ? c.type === 'string'
                ? ''
                : null
              : c.type === 'string'
                ? text
                : toNumber(text);
        });
        return next;
      }),
  };
}

export function mvExpand(node: KNode, schema: Schema): Stage {
  const items = parts(node).filter((p) => p.kind !== 'NamedParameter');
  if (items.length !== 1) throw unsupported('operator', 'mv-expand with several columns', node.start);
  const item = items[0]!;
  const inner = item.kind === 'MvExpandExpression' ? parts(item)[0] : item;
  if (inner === undefined) throw semantic('InvalidExpression', 'bad mv-expand', item.start);
  let name: string;
  let valueNode: KNode;
  if (inner.kind === 'SimpleNamedExpression') {
    const [decl, value] = parts(inner);
    if (decl === undefined || value === undefined)
      throw semantic('InvalidExpression', 'bad mv-expand', inner.start);
    name = nameOf(decl);
    valueNode = value;
  } else {
    valueNode = inner;
    name = compileExpr(inner, schema).name ?? 'Column1';
  }
  const value = compileExpr(valueNode, schema).fn;
  return {
    schema: withColumn(schema, name, 'dynamic'),
    apply: (rows) => {
      const out: Row[] = [];
      for (const r of rows) {
        const v = value(r);
        const elements = Array.isArray(v)
          ? v
          : v !== null && typeof v === 'object'
            ? Object.entries(v).map(([k, x]) => ({ [k]: x }))
            : [v];
        for (const e of elements) out.push({ ...r, [name]: e });
      }
      return out;
    },
  };
}
