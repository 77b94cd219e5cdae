// KQL string literals: fixed nasty inputs, then properties: for arbitrary strings the literal parses (with
// Microsoft's Kusto.Language, as the emulator's ARG does) to exactly that string, and `where name == <lit>`
// run by the emulator's Resource Graph matches exactly the row with that name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../../emulator/graph/graphIndex.js';
import { resourceRow } from '../../emulator/graph/graphRows.js';
import { parseKql, type KNode } from '../../emulator/graph/kustoParser.js';
import { ResourceGraphService } from '../../emulator/graph/resourceGraphService.js';
import { kqlString, kqlStringList } from '../../shared/azure/kqlEscape.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const idOf = (n: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${n}`;

function literals(node: KNode): unknown[] {
  const own = node.kind === 'StringLiteralExpression' ? [node.literal] : [];
  return [...own, ...node.children.flatMap(literals)];
}

/** The string literals Kusto sees in `where name == <lit>`, or the parse errors. */
function parsed(value: string): unknown[] | string {
  const result = parseKql(`Resources | where name == ${kqlString(value)} | project id`);
  return result.ok ? literals(result.root) : result.diagnostics.map((d) => d.message).join('; ');
}

const nasty = [
  "it's",
  "a''b",
  'back\\slash',
  '\\',
  "\\'",
  'line\nbreak',
  'cr\rlf\r\n',
  'tab\there',
  'pipe | where 1==1',
  'comment // rest',
  "' or 1==1 //",
  "x') or true | project id //",
  '"double" quotes',
  'héllo wörld',
  '日本語',
  '😀 emoji',
  '\u0000nul',
  '\u2028\u2029',
  '\ud800 lone surrogate',
  '',
];

describe('kqlString', () => {
  it.each(nasty)('round-trips %j through the Kusto parser', (value) => {
    expect(parsed(value)).toEqual([value]);
  });

  it('produces printable ASCII only', () => {
    for (const value of nasty) expect(kqlString(value)).toMatch(/^'[\x20-\x7e]*'$/);
    expect(kqlString("a'b\\c\n")).toBe("'a\\'b\\\\c\\u000a'");
  });

  it('lists', () => {
    expect(kqlStringList(['a', "b'"])).toBe("('a', 'b\\'')");
    expect(() => kqlStringList([])).toThrow();
  });

  it('property: any UTF-16 string parses back to itself', () => {
    const units = fc.array(
      fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
      { maxLength: 24 },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary' }),
          units.map((u) => u.join('')),
        ),
        (value) => {
          expect(parsed(value)).toEqual([value]);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("property: the emulator's Resource Graph matches exactly the row with that name", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ maxLength: 5 }),
        (name, other) => {
          const index = new GraphIndex();
          index.put('resources', idOf('target'), resourceRow({ id: idOf('target'), name }), 0);
          index.put('resources', idOf('decoy'), resourceRow({ id: idOf('decoy'), name: `${name}x` }), 0);
          if (other !== name)
            index.put('resources', idOf('other'), resourceRow({ id: idOf('other'), name: other }), 0);
          const service = new ResourceGraphService(index, { quota: { queries: 1_000_000, windowMs: 1000 } });
          const answer = service.handle(
            { query: `Resources | where name == ${kqlString(name)} | project id`, subscriptions: [SUB] },
            { principal: 'p', nowMs: 1, apiVersion: '2024-04-01' },
          );
          expect(answer.status).toBe(200);
          expect((answer.body as { data: { id: string }[] }).data).toEqual([{ id: idOf('target') }]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
