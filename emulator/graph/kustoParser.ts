// Adapter over Microsoft's Kusto.Language (Bridge.NET build in @kusto/language-service-next): loads the
// library once per process and turns its syntax tree into plain KNode objects the evaluator walks.
import { createRequire } from 'node:module';

/** A syntax node or token: kind is the Kusto SyntaxKind name (e.g. 'FilterOperator', 'IdentifierToken'). */
export interface KNode {
  readonly kind: string;
  readonly isToken: boolean;
  /** Token text (tokens only; '' for nodes). */
  readonly text: string;
  /** Offset of the node's first character in the query text (trivia excluded). */
  readonly start: number;
  readonly children: readonly KNode[];
  /** For literal expressions: the literal's value as Kusto computed it (strings unescaped). */
  readonly literal?: unknown;
}

export interface KqlDiagnostic {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

export type ParseResult =
  | { readonly ok: true; readonly root: KNode }
  | { readonly ok: false; readonly diagnostics: readonly KqlDiagnostic[] };

// Minimal structural view of the Bridge objects we touch.
interface BridgeNode {
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly Text?: string;
  readonly TextStart: number;
  readonly ChildCount: number;
  GetChild(index: number): BridgeNode | null;
  readonly LiteralValue?: unknown;
}
interface BridgeList<T> {
  readonly Count: number;
  getItem(index: number): T;
}
interface BridgeDiagnostic {
  readonly Code: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
  readonly Severity: string;
}
interface KustoGlobals {
  Kusto: {
    Language: {
      KustoCode: {
        Parse(text: string): { Syntax: BridgeNode; GetDiagnostics(): BridgeList<BridgeDiagnostic> };
      };
      Syntax: { SyntaxKind: object };
    };
  };
  System: { Enum: { toString(enumType: object, value: number): string } };
}

let kusto: KustoGlobals | undefined;
const kindNames = new Map<number, string>();

/** Loads Kusto.Language (about 150 ms, once per process). The library installs globals `Bridge`, `Kusto`, `System`. */
export function loadKusto(): KustoGlobals {
  if (kusto !== undefined) return kusto;
  const require = createRequire(import.meta.url);
  require('@kusto/language-service-next/bridge.min.js');
  require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
  kusto = globalThis as unknown as KustoGlobals;
  return kusto;
}

function kindName(globals: KustoGlobals, kind: number): string {
  let name = kindNames.get(kind);
  if (name === undefined) {
    name = globals.System.Enum.toString(globals.Kusto.Language.Syntax.SyntaxKind, kind);
    kindNames.set(kind, name);
  }
  return name;
}

function literalValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  if ('$boxed' in value && 'v' in value) return (value as { v: unknown }).v;
  return Number(String(value)); // System.Int64
}

function convert(globals: KustoGlobals, node: BridgeNode): KNode {
  const kind = kindName(globals, node.Kind);
  const children: KNode[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const child = node.GetChild(i);
    if (child !== null) children.push(convert(globals, child));
  }
  const base = {
    kind,
    isToken: node.IsToken,
    text: node.IsToken ? (node.Text ?? '') : '',
    start: node.TextStart,
    children,
  };
  return kind.endsWith('LiteralExpression') ? { ...base, literal: literalValue(node.LiteralValue) } : base;
}

/** Parses KQL; returns the syntax tree, or the parser's error diagnostics. */
export function parseKql(text: string): ParseResult {
  const globals = loadKusto();
  const code = globals.Kusto.Language.KustoCode.Parse(text);
  const list = code.GetDiagnostics();
  const diagnostics: KqlDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    if (String(d.Severity) === 'Error') {
      diagnostics.push({ code: d.Code, message: d.Message, start: d.Start, length: d.Length });
    }
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  return { ok: true, root: convert(globals, code.Syntax) };
}

/** 1-based line and 0-based character position in that line, as ARG's ParserFailure reports them. */
export function linePosition(
  text: string,
  offset: number,
): { line: number; characterPositionInLine: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, characterPositionInLine: offset - lineStart };
}

/** Loads the library and runs one parse: the first parse in a process costs about 0.5–1 s of JIT warm-up. */
export function warmUpKusto(): void {
  parseKql(
    "Resources | where type =~ 'x' and name has 'y' | extend a = tolower(id) | project a, id | order by id asc",
  );
}
