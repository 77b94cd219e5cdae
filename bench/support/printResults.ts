/** The side-by-side table of bench:rollout. */
import type { PeerResult } from '../peers/peerResult.js';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const per = (n: number, d: number) => (d > 0 ? (n / d).toFixed(2) : '-');

export function printResults(rows: PeerResult[], boundMs: number): void {
  const header = [
    'contender',
    'clusters',
    'makespan',
    'ratio to bound',
    'ARM writes/cl/hop',
    'PUTs accepted',
    'ARM reads/cl/hop',
    'ARG queries',
    'Table ops',
    'queue msgs',
    '429s',
    'failed',
    'host peak RSS',
  ];
  const lines = rows.map((r) => [
    r.name,
    String(r.clusters),
    s(r.makespanMs),
    (r.makespanMs / boundMs).toFixed(2),
    per(r.armWrites, r.clusters),
    String(r.putsAccepted),
    per(r.armReads, r.clusters),
    String(r.graphQueries),
    r.tableOps === undefined ? '-' : `${r.tableOps} (${per(r.tableOps, r.clusters)}/cl)`,
    r.queueMessages === undefined ? '-' : `${r.queueMessages} (${per(r.queueMessages, r.clusters)}/cl)`,
    String(r.throttled429),
    String(r.failed),
    r.hostRssMiB === undefined ? '-' : `${r.hostRssMiB.toFixed(0)} MiB`,
  ]);
  console.log(`\n| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const l of lines) console.log(`| ${l.join(' | ')} |`);
  for (const r of rows) {
    console.log(`\n${r.name}: ${r.note}`);
    if (Object.keys(r.errors).length)
      console.log(`  errors / non-succeeded rows: ${JSON.stringify(r.errors)}`);
  }
}
