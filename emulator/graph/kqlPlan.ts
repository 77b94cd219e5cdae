// Shapes shared by the query compiler and its operators.
import type { GraphTable } from './graphIndex.js';
import type { KNode } from './kustoParser.js';
import type { KType, Row, Schema } from './kqlValues.js';

/** Supplies the (already scoped) rows of a base table. */
export type Source = (table: GraphTable) => Row[];

/** A compiled tabular expression: its output schema and how to run it. */
export interface Plan {
  readonly schema: Schema;
  readonly run: (src: Source) => Row[];
}

/** A compiled query operator: the schema it produces and how it transforms rows. */
export interface Stage {
  readonly schema: Schema;
  readonly apply: (rows: Row[], src: Source) => Row[];
}

/** Compiles a tabular sub-expression (for join's right side). */
export type CompileTabular = (node: KNode) => Plan;

export function withColumn(schema: Schema, name: string, type: KType): Map<string, KType> {
  const next = new Map(schema);
  next.set(name, type);
  return next;
}

/** Column name for the n-th unnamed computed column, as Kusto names it (Column1, Column2, ...). */
export function generatedName(schema: ReadonlyMap<string, unknown>): string {
  for (let i = 1; ; i++) if (!schema.has(`Column${i}`)) return `Column${i}`;
}
