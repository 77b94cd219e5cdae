// Compiles a KQL scalar expression against a schema into a closure over a row, with its static type.
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';
import { defaultFor, member, parseJson } from './kqlValues.js';
import { semantic, unsupported } from './kqlError.js';
import { listItems, nameOf, parts, tokenTexts } from './kqlTree.js';
import { scalarFunctions } from './kqlFunctions.js';
import { binaryOperator, listOperator } from './kqlBinaryOperators.js';

export interface Compiled {
  readonly fn: (row: Row) => unknown;
  readonly type: KType;
  /** The column name KQL infers for an unnamed expression, if any. */
  readonly name?: string;
}

const literalTypes: Record<string, KType> = {
  StringLiteralExpression: 'string',
  LongLiteralExpression: 'long',
  IntLiteralExpression: 'long',
  RealLiteralExpression: 'real',
  BooleanLiteralExpression: 'bool',
  DateTimeLiteralExpression: 'datetime',
};

export function compileExpr(node: KNode, schema: Schema): Compiled {
  const literalType = literalTypes[node.kind];
  if (literalType !== undefined) {
    const value = node.literal ?? null;
    return { fn: () => value, type: literalType };
  }
  switch (node.kind) {
    case 'ParenthesizedExpression':
      return compileExpr(only(node), schema);
    case 'NameReference':
      return column(nameOf(node), schema, node);
    case 'PathExpression':
      return path(node, schema);
    case 'ElementExpression':
      return element(node, schema);
    case 'FunctionCallExpression':
      return call(node, schema);
    case 'UnaryMinusExpression': {
      const inner = compileExpr(only(node), schema);
      return { fn: (r) => negate(inner.fn(r)), type: inner.type };
    }
    case 'DynamicExpression': {
      const value = jsonLiteral(only(node));
      return { fn: () => value, type: 'dynamic' };
    }
    default:
      return operatorExpression(node, schema);
  }
}

function only(node: KNode): KNode {
  const inner = parts(node)[0];
  if (inner === undefined) throw semantic('InvalidExpression', `empty ${node.kind}`, node.start);
  return inner;
}

function column(name: string, schema: Schema, node: KNode): Compiled {
  const type = schema.get(name);
  if (type === undefined) {
    throw semantic(
      'FailedToResolveScalarExpression',
      `Failed to resolve scalar expression named '${name}'`,
      node.start,
      name,
    );
  }
  const fallback = defaultFor(type);
  return { fn: (r) => r[name] ?? fallback, type, name };
}

function path(node: KNode, schema: Schema): Compiled {
  const [target, selector] = parts(node);
  if (target === undefined || selector === undefined)
    throw semantic('InvalidExpression', 'bad member access', node.start);
  const base = compileExpr(target, schema);
  const key = nameOf(selector);
  const name = base.name !== undefined ? `${base.name}_${key}` : key;
  return { fn: (r) => member(base.fn(r), key), type: 'dynamic', name };
}

function element(node: KNode, schema: Schema): Compiled {
  const [target, bracketed] = parts(node);
  if (target === undefined || bracketed === undefined)
    throw semantic('InvalidExpression', 'bad element access', node.start);
  const base = compileExpr(target, schema);
  const index = compileExpr(only(bracketed), schema);
  const name =
    base.name !== undefined && index.type === 'string' ? `${base.name}_${String(index.fn({}))}` : undefined;
  const fn = (r: Row): unknown => member(base.fn(r), index.fn(r));
  return name === undefined ? { fn, type: 'dynamic' } : { fn, type: 'dynamic', name };
}

function call(node: KNode, schema: Schema): Compiled {
  const [callee, argList] = parts(node);
  if (callee === undefined || argList === undefined)
    throw semantic('InvalidExpression', 'bad function call', node.start);
  const name = nameOf(callee);
  const fn = scalarFunctions.get(name);
  if (fn === undefined) throw unsupported('function', name, node.start);
  const args = listItems(argList).map((a) => compileExpr(a, schema));
  if (args.length < fn.minArgs || args.length > fn.maxArgs) {
    throw semantic(
      'WrongNumberOfArguments',
      `function '${name}' expects ${fn.minArgs}..${fn.maxArgs} arguments, got ${args.length}`,
      node.start,
      name,
    );
  }
  const type = fn.type(args.map((a) => a.type));
  const impl = fn.fn;
  if (args.length === 1) {
    const a0 = args[0]!.fn;
    return { fn: (r) => impl([a0(r)]), type };
  }
  const fns = args.map((a) => a.fn);
  return { fn: (r) => impl(fns.map((f) => f(r))), type };
}

function operatorExpression(node: KNode, schema: Schema): Compiled {
  const [left, right] = parts(node);
  const op = tokenTexts(node).join(' ');
  if (left === undefined || right === undefined || op === '')
    throw unsupported('expression', node.kind, node.start);
  const l = compileExpr(left, schema);
  if (right.kind === 'ExpressionList' || right.kind === 'ExpressionCouple') {
    const items = listItems(right).map((i) => constant(i, schema));
    return { fn: listOperator(op, l.fn, items.flat(), node.start), type: 'bool' };
  }
  const r = compileExpr(right, schema);
  const { fn, type } = binaryOperator(op, l.fn, r.fn, node.start);
  return { fn, type: type === 'numeric' ? (l.type === 'real' || r.type === 'real' ? 'real' : 'long') : type };
}

/** A list operand of in/!in/has_any/between: a literal (or a dynamic array, flattened). */
function constant(node: KNode, schema: Schema): unknown {
  if (
    node.literal === undefined &&
    node.kind !== 'DynamicExpression' &&
    node.kind !== 'UnaryMinusExpression'
  ) {
    throw unsupported('expression', 'non-constant list item', node.start);
  }
  return compileExpr(node, schema).fn({});
}

function negate(value: unknown): unknown {
  return typeof value === 'number' ? -value : null;
}

/** dynamic(...) literals: JSON objects/arrays/values written in KQL. */
function jsonLiteral(node: KNode): unknown {
  if (node.literal !== undefined) return node.kind === 'NullLiteralExpression' ? null : node.literal;
  if (node.kind === 'JsonArrayExpression') return parts(node).map(jsonLiteral);
  if (node.kind === 'JsonObjectExpression') {
    const out: Record<string, unknown> = {};
    for (const pair of parts(node)) {
      const [k, v] = parts(pair);
      if (k !== undefined && v !== undefined) out[String(k.literal ?? nameOf(k))] = jsonLiteral(v);
    }
    return out;
  }
  if (node.kind === 'UnaryMinusExpression') return negate(jsonLiteral(only(node)));
  return parseJson(node.literal ?? null);
}
