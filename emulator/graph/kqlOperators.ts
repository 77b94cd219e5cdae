// Row-wise and ordering operators: where, extend, project, project-away, project-rename, sort, take, distinct.
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';
import type { Stage } from './kqlPlan.js';
import { generatedName, withColumn } from './kqlPlan.js';
import { compileExpr, type Compiled } from './compileExpression.js';
import { kCompare, toBool } from './kqlValues.js';
import { semantic } from './kqlError.js';
import { nameOf, parts, tokenTexts } from './kqlTree.js';

/** A named item of extend/project/summarize: `name = expr` or an expression whose name is inferred. */
export function namedItems(items: readonly KNode[], schema: Schema): { name: string; expr: Compiled }[] {
  const out: { name: string; expr: Compiled }[] = [];
  let scope = new Map(schema);
  for (const item of items) {
    let name: string;
    let expr: Compiled;
    if (item.kind === 'SimpleNamedExpression') {
      const [decl, value] = parts(item);
      if (decl === undefined || value === undefined)
        throw semantic('InvalidExpression', 'bad assignment', item.start);
      name = nameOf(decl);
      expr = compileExpr(value, scope);
    } else {
      expr = compileExpr(item, scope);
      name = expr.name ?? generatedName(scope);
    }
    out.push({ name, expr });
    scope = withColumn(scope, name, expr.type);
  }
  return out;
}

export function where(node: KNode, schema: Schema): Stage {
  const predicate = parts(node).at(-1);
  if (predicate === undefined) throw semantic('InvalidExpression', 'where needs a predicate', node.start);
  const test = compileExpr(predicate, schema).fn;
  return { schema, apply: (rows) => rows.filter((r) => toBool(test(r))) };
}

export function extend(node: KNode, schema: Schema): Stage {
  const items = namedItems(parts(node), schema);
  let out: Map<string, KType> = new Map(schema);
  for (const { name, expr } of items) out = withColumn(out, name, expr.type);
  return {
    schema: out,
    apply: (rows) =>
      rows.map((r) => {
        const next: Row = { ...r };
        for (const { name, expr } of items) next[name] = expr.fn(next);
        return next;
      }),
  };
}

export function project(node: KNode, schema: Schema): Stage {
  const items = parts(node).map((item) => {
    if (item.kind === 'SimpleNamedExpression') {
      const [decl, value] = parts(item);
      if (decl === undefined || value === undefined)
        throw semantic('InvalidExpression', 'bad assignment', item.start);
      return { name: nameOf(decl), expr: compileExpr(value, schema) };
    }
    const expr = compileExpr(item, schema);
    return { name: expr.name ?? '', expr };
  });
  const out = new Map<string, KType>();
  for (const item of items) {
    if (item.name === '') item.name = generatedName(out);
    out.set(item.name, item.expr.type);
  }
  return {
    schema: out,
    apply: (rows) =>
      rows.map((r) => {
        const next: Row = {};
        for (const { name, expr } of items) next[name] = expr.fn(r);
        return next;
      }),
  };
}

export function projectAway(node: KNode, schema: Schema): Stage {
  const names = parts(node).map(nameOf);
  const out = new Map(schema);
  for (const name of names) {
    if (!out.delete(name))
      throw semantic(
        'FailedToResolveScalarExpression',
        `Failed to resolve column named '${name}'`,
        node.start,
        name,
      );
  }
  const keep = [...out.keys()];
  return { schema: out, apply: (rows) => rows.map((r) => pick(r, keep)) };
}

export function projectRename(node: KNode, schema: Schema): Stage {
  const renames = new Map<string, string>(); // old -> new
  for (const item of parts(node)) {
    const [decl, value] = parts(item);
    if (decl === undefined || value === undefined)
      throw semantic('InvalidExpression', 'bad rename', item.start);
    const from = nameOf(value);
    if (!schema.has(from))
      throw semantic(
        'FailedToResolveScalarExpression',
        `Failed to resolve column named '${from}'`,
        item.start,
        from,
      );
    renames.set(from, nameOf(decl));
  }
  const out = new Map<string, KType>();
  for (const [name, type] of schema) out.set(renames.get(name) ?? name, type);
  const pairs = [...schema.keys()].map((name) => [name, renames.get(name) ?? name] as const);
  return {
    schema: out,
    apply: (rows) =>
      rows.map((r) => {
        const next: Row = {};
        for (const [from, to] of pairs) next[to] = r[from];
        return next;
      }),
  };
}

export function sort(node: KNode, schema: Schema): Stage {
  const keys = parts(node).map((item) => {
    const [expr, ordering] = item.kind === 'OrderedExpression' ? parts(item) : [item, undefined];
    if (expr === undefined) throw semantic('InvalidExpression', 'bad sort key', item.start);
    const words = ordering === undefined ? [] : flatTokens(ordering);
    const desc = !words.includes('asc');
    const nullsFirst = words.includes('first') || (!words.includes('last') && !desc);
    return { fn: compileExpr(expr, schema).fn, sign: desc ? -1 : 1, nullsFirst };
  });
  return {
    schema,
    apply: (rows) => {
      const values = rows.map((r) => keys.map((k) => k.fn(r)));
      const index = rows.map((_, i) => i);
      index.sort((a, b) => {
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k]!;
          const x = values[a]![k];
          const y = values[b]![k];
          const xn = x === null || x === undefined;
          const yn = y === null || y === undefined;
          if (xn || yn) {
            if (xn && yn) continue;
            return (xn ? -1 : 1) * (key.nullsFirst ? 1 : -1);
          }
          const c = kCompare(x, y) * key.sign;
          if (c !== 0) return c;
        }
        return a - b;
      });
      return index.map((i) => rows[i]!);
    },
  };
}

export function take(node: KNode, schema: Schema): Stage {
  const count = parts(node)[0];
  const n = Number(compileExpr(count ?? node, schema).fn({}));
  if (!Number.isFinite(n) || n < 0)
    throw semantic('InvalidExpression', 'take needs a non-negative count', node.start);
  return { schema, apply: (rows) => rows.slice(0, n) };
}

export function distinct(node: KNode, schema: Schema): Stage {
  const names = parts(node).map(nameOf);
  const out = new Map<string, KType>();
  for (const name of names) {
    const type = schema.get(name);
    if (type === undefined)
      throw semantic(
        'FailedToResolveScalarExpression',
        `Failed to resolve column named '${name}'`,
        node.start,
        name,
      );
    out.set(name, type);
  }
  return {
    schema: out,
    apply: (rows) => {
      const seen = new Map<string, Row>();
      for (const r of rows) {
        const row = pick(r, names);
        const key = JSON.stringify(names.map((n) => row[n] ?? null));
        if (!seen.has(key)) seen.set(key, row);
      }
      return [...seen.values()];
    },
  };
}

function pick(row: Row, names: readonly string[]): Row {
  const next: Row = {};
  for (const name of names) next[name] = row[name];
  return next;
}

function flatTokens(node: KNode): string[] {
  return [...tokenTexts(node), ...node.children.filter((c) => !c.isToken).flatMap(flatTokens)].map((t) =>
    t.toLowerCase(),
  );
}
