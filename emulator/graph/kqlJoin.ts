// join kind=leftouter|inner|innerunique (subquery) on key | $left.a == $right.b, as ARG evaluates it.
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';
import type { CompileTabular, Stage } from './kqlPlan.js';
import { defaultFor } from './kqlValues.js';
import { semantic, unsupported } from './kqlError.js';
import { nameOf, parts, tokenTexts } from './kqlTree.js';

type JoinKind = 'leftouter' | 'inner' | 'innerunique';
const kinds: readonly string[] = ['leftouter', 'inner', 'innerunique'];

function joinKind(node: KNode): JoinKind {
  for (const param of parts(node).filter((p) => p.kind === 'NamedParameter')) {
    const [decl, value] = parts(param);
    if (decl === undefined || nameOf(decl).toLowerCase() !== 'kind') {
      throw unsupported('operator', `join ${decl === undefined ? '' : nameOf(decl)}=`, param.start);
    }
    const kind = value === undefined ? '' : nameOf(value).toLowerCase();
    if (!kinds.includes(kind)) throw unsupported('operator', `join kind=${kind}`, param.start);
    return kind as JoinKind;
  }
  return 'innerunique';
}

/** The key pairs of `on a, $left.b == $right.c` (also accepting `and` between conditions). */
function keyPairs(clause: KNode): [string, string][] {
  const pairs: [string, string][] = [];
  const visit = (cond: KNode): void => {
    if (cond.kind === 'NameReference') {
      const name = nameOf(cond);
      pairs.push([name, name]);
      return;
    }
    const op = tokenTexts(cond).join(' ');
    const [l, r] = parts(cond);
    if (op === 'and' && l !== undefined && r !== undefined) return (visit(l), visit(r));
    if (op !== '==' || l?.kind !== 'PathExpression' || r?.kind !== 'PathExpression') {
      throw unsupported('expression', `join condition '${op || cond.kind}'`, cond.start);
    }
    const side = (p: KNode): [string, string] => {
      const [target, selector] = parts(p);
      if (target === undefined || selector === undefined)
        throw semantic('InvalidJoinCondition', 'bad join key', p.start);
      return [nameOf(target).toLowerCase(), nameOf(selector)];
    };
    const [ls, lk] = side(l);
    const [rs, rk] = side(r);
    if (ls === '$left' && rs === '$right') pairs.push([lk, rk]);
    else if (ls === '$right' && rs === '$left') pairs.push([rk, lk]);
    else throw semantic('InvalidJoinCondition', 'join keys must be $left.x == $right.y', cond.start);
  };
  for (const cond of parts(clause)) visit(cond);
  return pairs;
}

function keyOf(row: Row, names: readonly string[]): string | undefined {
  let key = '';
  for (const name of names) {
    const v = row[name];
    if (v === null || v === undefined) return undefined;
    key += (typeof v === 'string' ? v : JSON.stringify(v)) + '\u0000';
  }
  return key;
}

export function join(node: KNode, left: Schema, compileTabular: CompileTabular): Stage {
  const kind = joinKind(node);
  const sub = parts(node).find((p) => p.kind !== 'NamedParameter' && p.kind !== 'JoinOnClause');
  const clause = node.children.find((c) => c.kind === 'JoinOnClause');
  if (sub === undefined || clause === undefined) throw unsupported('operator', 'join without on', node.start);
  const right = compileTabular(sub);
  const pairs = keyPairs(clause);
  for (const [l, r] of pairs) {
    if (!left.has(l))
      throw semantic(
        'FailedToResolveScalarExpression',
        `Failed to resolve column named '${l}'`,
        clause.start,
        l,
      );
    if (!right.schema.has(r))
      throw semantic(
        'FailedToResolveScalarExpression',
        `Failed to resolve column named '${r}'`,
        clause.start,
        r,
      );
  }
  // Output: left columns, then right columns, renamed with a numeric suffix when the name is taken.
  const out = new Map<string, KType>(left);
  const rightColumns: [string, string, unknown][] = [];
  for (const [name, type] of right.schema) {
    let target = name;
    for (let i = 1; out.has(target); i++) target = `${name}${i}`;
    out.set(target, type);
    rightColumns.push([name, target, defaultFor(type)]);
  }
  const leftKeys = pairs.map((p) => p[0]);
  const rightKeys = pairs.map((p) => p[1]);
  return {
    schema: out,
    apply: (rows, src) => {
      const buckets = new Map<string, Row[]>();
      for (const r of right.run(src)) {
        const key = keyOf(r, rightKeys);
        if (key === undefined) continue;
        const bucket = buckets.get(key);
        if (bucket === undefined) buckets.set(key, [r]);
        else bucket.push(r);
      }
      const result: Row[] = [];
      const seenLeft = new Set<string>();
      for (const l of rows) {
        const key = keyOf(l, leftKeys);
        if (kind === 'innerunique' && key !== undefined) {
          if (seenLeft.has(key)) continue;
          seenLeft.add(key);
        }
        const matches = key === undefined ? undefined : buckets.get(key);
        if (matches === undefined) {
          if (kind === 'leftouter') result.push(combine(l, undefined, rightColumns));
          continue;
        }
        for (const r of matches) result.push(combine(l, r, rightColumns));
      }
      return result;
    },
  };
}

function combine(left: Row, right: Row | undefined, columns: readonly [string, string, unknown][]): Row {
  const row: Row = { ...left };
  for (const [from, to, fallback] of columns)
    row[to] = right === undefined ? fallback : (right[from] ?? fallback);
  return row;
}
