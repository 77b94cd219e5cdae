// summarize: aggregates (count, countif, dcount, min, max, sum, make_set, make_list, any/take_any) by keys.
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';
import type { Stage } from './kqlPlan.js';
import { compileExpr } from './compileExpression.js';
import { kCompare, toBool, toNumber } from './kqlValues.js';
import { semantic, unsupported } from './kqlError.js';
import { listItems, nameOf, parts } from './kqlTree.js';
import { namedItems } from './kqlOperators.js';

interface Accumulator {
  add(row: Row): void;
  result(): unknown;
}
interface Aggregate {
  readonly name: string;
  readonly type: KType;
  readonly create: () => Accumulator;
}

type Fn = (row: Row) => unknown;
const aggregateNames: Record<string, string> = {
  count: 'count_',
  countif: 'countif_',
  dcount: 'dcount_',
  min: 'min_',
  max: 'max_',
  sum: 'sum_',
  make_set: 'set_',
  make_list: 'list_',
  any: 'any_',
  take_any: 'any_',
};

function accumulator(fn: string, arg: Fn | undefined): () => Accumulator {
  const value = arg ?? (() => null);
  switch (fn) {
    case 'count':
      return () => {
        let n = 0;
        return { add: () => void n++, result: () => n };
      };
    case 'countif':
      return () => {
        let n = 0;
        return { add: (r) => void (toBool(value(r)) && n++), result: () => n };
      };
    case 'dcount':
      return () => {
        const s = new Set<string>();
        return { add: (r) => void s.add(JSON.stringify(value(r) ?? null)), result: () => s.size };
      };
    case 'sum':
      return () => {
        let n = 0;
        return { add: (r) => void (n += toNumber(value(r)) ?? 0), result: () => n };
      };
    case 'min':
    case 'max': {
      const sign = fn === 'min' ? -1 : 1;
      return () => {
        let best: unknown = null;
        return {
          add: (r) => {
            const v = value(r);
            if (v !== null && v !== undefined && (best === null || kCompare(v, best) * sign > 0)) best = v;
          },
          result: () => best,
        };
      };
    }
    case 'make_set':
      return () => {
        const s = new Map<string, unknown>();
        return {
          add: (r) => {
            const v = value(r);
            if (v !== null && v !== undefined) s.set(JSON.stringify(v), v);
          },
          result: () => [...s.values()],
        };
      };
    case 'make_list':
      return () => {
        const l: unknown[] = [];
        return {
          add: (r) => {
            const v = value(r);
            if (v !== null && v !== undefined) l.push(v);
          },
          result: () => l,
        };
      };
    default:
      return () => {
        let v: unknown = null;
        let seen = false;
        return {
          add: (r) => {
            if (!seen) {
              v = value(r);
              seen = true;
            }
          },
          result: () => v,
        };
      };
  }
}

function compileAggregate(item: KNode, schema: Schema): Aggregate {
  const [declared, call] = item.kind === 'SimpleNamedExpression' ? parts(item) : [undefined, item];
  if (call === undefined || call.kind !== 'FunctionCallExpression')
    throw unsupported('expression', 'non-aggregate in summarize', item.start);
  const [callee, argList] = parts(call);
  const fn = callee === undefined ? '' : nameOf(callee);
  const prefix = aggregateNames[fn];
  if (prefix === undefined || argList === undefined) throw unsupported('function', fn, call.start);
  const args = listItems(argList).map((a) => compileExpr(a, schema));
  const arg = args[0];
  if ((fn === 'count') !== (arg === undefined))
    throw semantic(
      'WrongNumberOfArguments',
      `aggregate '${fn}' got ${args.length} arguments`,
      call.start,
      fn,
    );
  const name =
    declared !== undefined
      ? nameOf(declared)
      : fn === 'count' || fn === 'countif'
        ? prefix
        : `${prefix}${arg?.name ?? ''}`;
  const type: KType = ['count', 'countif', 'dcount'].includes(fn)
    ? 'long'
    : fn.startsWith('make_')
      ? 'dynamic'
      : fn === 'sum'
        ? 'real'
        : (arg?.type ?? 'dynamic');
  return { name, type, create: accumulator(fn, arg?.fn) };
}

export function summarize(node: KNode, schema: Schema): Stage {
  const byClause = node.children.find((c) => c.kind === 'SummarizeByClause');
  const aggregates = parts(node)
    .filter((c) => c.kind !== 'SummarizeByClause')
    .map((item) => compileAggregate(item, schema));
  const keys = byClause === undefined ? [] : namedItems(parts(byClause), schema);
  const out = new Map<string, KType>();
  for (const k of keys) out.set(k.name, k.expr.type);
  for (const a of aggregates) out.set(a.name, a.type);
  return {
    schema: out,
    apply: (rows) => {
      const groups = new Map<string, { keys: unknown[]; accs: Accumulator[] }>();
      for (const r of rows) {
        const values = keys.map((k) => k.expr.fn(r) ?? null);
        const id = keys.length === 1 && typeof values[0] === 'string' ? values[0] : JSON.stringify(values);
        let group = groups.get(id);
        if (group === undefined) {
          group = { keys: values, accs: aggregates.map((a) => a.create()) };
          groups.set(id, group);
        }
        for (const acc of group.accs) acc.add(r);
      }
      if (groups.size === 0 && keys.length === 0)
        groups.set('', { keys: [], accs: aggregates.map((a) => a.create()) });
      return [...groups.values()].map((g) => {
        const row: Row = {};
        keys.forEach((k, i) => (row[k.name] = g.keys[i]));
        aggregates.forEach((a, i) => (row[a.name] = g.accs[i]!.result()));
        return row;
      });
    },
  };
}
