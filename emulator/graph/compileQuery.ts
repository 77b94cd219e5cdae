// Compiles a Resource Graph query (KQL) into a runnable plan: parse with Kusto.Language, then map each
// operator of the supported subset to a stage; anything else is a clear "not supported" error.
import type { GraphTable } from './graphIndex.js';
import type { KNode } from './kustoParser.js';
import type { KType, Schema } from './kqlValues.js';
import type { Plan, Stage } from './kqlPlan.js';
import { linePosition, parseKql } from './kustoParser.js';
import { KqlError, semantic, unsupported } from './kqlError.js';
import { firstToken, nameOf, parts } from './kqlTree.js';
import { distinct, extend, project, projectAway, projectRename, sort, take, where } from './kqlOperators.js';
import { summarize } from './kqlSummarize.js';
import { join } from './kqlJoin.js';
import { mvExpand, parseOperator } from './kqlParseExpand.js';

/** ARG's common columns, shared by Resources and KubernetesConfigurationResources. */
const baseColumns: [string, KType][] = [
  ['id', 'string'],
  ['name', 'string'],
  ['type', 'string'],
  ['tenantId', 'string'],
  ['kind', 'string'],
  ['location', 'string'],
  ['resourceGroup', 'string'],
  ['subscriptionId', 'string'],
  ['managedBy', 'string'],
  ['sku', 'dynamic'],
  ['plan', 'dynamic'],
  ['properties', 'dynamic'],
  ['tags', 'dynamic'],
  ['identity', 'dynamic'],
  ['zones', 'dynamic'],
  ['extendedLocation', 'dynamic'],
];
export const baseSchema: Schema = new Map(baseColumns);
const tables: Record<string, GraphTable> = {
  resources: 'resources',
  kubernetesconfigurationresources: 'kubernetesconfigurationresources',
};
/** ARG allows at most this many join (and mv-expand) operators per query. */
export const maxJoins = 3;
export const maxMvExpands = 3;

export interface CompiledQuery extends Plan {
  /** The query limits its own rows (take/limit): ARG then returns no $skipToken. */
  readonly hasTake: boolean;
}

type StageCompiler = (node: KNode, schema: Schema, compileTabular: (n: KNode) => Plan) => Stage;
const operators: Record<string, StageCompiler> = {
  FilterOperator: where,
  ExtendOperator: extend,
  ProjectOperator: project,
  ProjectAwayOperator: projectAway,
  ProjectRenameOperator: projectRename,
  SortOperator: sort,
  TakeOperator: take,
  DistinctOperator: distinct,
  SummarizeOperator: summarize,
  ParseOperator: parseOperator,
  MvExpandOperator: mvExpand,
  JoinOperator: (node, schema, compileTabular) => join(node, schema, compileTabular),
};

function compileTabular(node: KNode): Plan {
  switch (node.kind) {
    case 'PipeExpression': {
      const [left, op] = parts(node);
      if (left === undefined || op === undefined) throw semantic('InvalidExpression', 'bad pipe', node.start);
      return pipe(compileTabular(left), op);
    }
    case 'ParenthesizedExpression': {
      const inner = parts(node)[0];
      if (inner === undefined) throw semantic('InvalidExpression', 'empty parentheses', node.start);
      return compileTabular(inner);
    }
    case 'NameReference': {
      const name = nameOf(node);
      const table = tables[name.toLowerCase()];
      if (table === undefined)
        throw new KqlError(
          'semantic',
          'InvalidTable',
          `table '${name}' is not supported by the emulator (only Resources and KubernetesConfigurationResources)`,
          node.start,
          name,
        );
      return { schema: baseSchema, run: (src) => src(table) };
    }
    default: // an operator with no table in front: ARG applies it to Resources
      if (node.kind.endsWith('Operator'))
        return pipe({ schema: baseSchema, run: (src) => src('resources') }, node);
      throw unsupported('expression', firstToken(node)?.text ?? node.kind, node.start);
  }
}

function pipe(input: Plan, op: KNode): Plan {
  const compiler = operators[op.kind];
  if (compiler === undefined) throw unsupported('operator', firstToken(op)?.text ?? op.kind, op.start);
  const stage = compiler(op, input.schema, compileTabular);
  return { schema: stage.schema, run: (src) => stage.apply(input.run(src), src) };
}

function count(node: KNode, kind: string): number {
  return (node.kind === kind ? 1 : 0) + node.children.reduce((n, c) => n + count(c, kind), 0);
}

/** The offending token at a parser diagnostic's offset ('<EOF>' at the end), as ARG reports it. */
function tokenAt(text: string, offset: number): { token: string; start: number } {
  const rest = text.slice(offset);
  const skipped = rest.length - rest.trimStart().length;
  const match = /^(\w+|\S)/.exec(rest.trimStart());
  return { token: match?.[1] ?? '<EOF>', start: offset + skipped };
}

export function compileQuery(text: string): CompiledQuery {
  const parsed = parseKql(text);
  if (!parsed.ok) {
    const first = parsed.diagnostics[0]!;
    const { token, start } = tokenAt(text, first.start);
    throw new KqlError('parser', 'ParserFailure', first.message, start, token);
  }
  const statements = parts(parsed.root);
  if (statements.length !== 1 || statements[0]!.kind !== 'ExpressionStatement') {
    const other = statements.find((s) => s.kind !== 'ExpressionStatement') ?? statements[1];
    throw unsupported(
      'operator',
      other === undefined ? 'empty query' : (firstToken(other)?.text ?? other.kind),
      other?.start,
    );
  }
  const root = statements[0]!;
  const joins = count(root, 'JoinOperator');
  if (joins > maxJoins)
    throw new KqlError(
      'limit',
      'TooManyJoins',
      `the query has ${joins} join operators; Azure Resource Graph allows at most ${maxJoins}`,
    );
  const expands = count(root, 'MvExpandOperator');
  if (expands > maxMvExpands)
    throw new KqlError(
      'limit',
      'TooManyMvExpands',
      `the query has ${expands} mv-expand operators; Azure Resource Graph allows at most ${maxMvExpands}`,
    );
  const expr = parts(root)[0];
  if (expr === undefined) throw semantic('InvalidExpression', 'empty query', 0);
  const plan = compileTabular(expr);
  return { ...plan, hasTake: count(root, 'TakeOperator') > 0 };
}

export { linePosition };
