/**
 * bench:tables: what makes a table request cost more in Azurite as our tables grow (issue 17). Fills tables
 * of several sizes by batch, then times point updates, point reads and inserts of random rows, and reads the
 * Azurite table process's CPU per request from /proc. Two layouts at the same row count: one table holding all
 * rows, and the same rows split over many tables (what changes is the size of the table a request touches),
 * and within one table: one big partition or partitions of 100. Also a query of one partition's rows changed
 * since now (what the rollout row cache asks after a freed slot).
 *   npm run bench:tables -- [--sizes 1000,10000,40000] [--requests 400]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { odata, TableClient, type TransactionAction } from '@azure/data-tables';
import { startAzurite } from '../local/startAzurite.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,40000' },
    requests: { type: 'string', default: '400' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const REQUESTS = Number(values.requests);
const azurite = await startAzurite();
const cpuMs = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // utime + stime, in clock ticks of 10 ms
};
const pid = azurite.pids.table;
let tables = 0;
const client = (name: string) =>
  TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
const row = (pk: string, i: number) => ({
  partitionKey: pk,
  rowKey: `r${String(i).padStart(7, '0')}`,
  state: 'Pending',
  data: 'x'.repeat(600), // about the size of a cluster row
});

async function fill(t: TableClient, n: number, partitionSize: number): Promise<void> {
  await t.createTable();
  for (let p = 0; p * partitionSize < n; p++) {
    const pk = `p${p}`;
    const count = Math.min(partitionSize, n - p * partitionSize);
    for (let i = 0; i < count; i += 100) {
      const actions: TransactionAction[] = [];
      for (let j = i; j < Math.min(i + 100, count); j++) actions.push(['create', row(pk, j)]);
      await t.submitTransaction(actions);
    }
  }
}

async function measure(t: TableClient, n: number, partitionSize: number) {
  const pick = () => {
    const i = Math.floor(Math.random() * n);
    return { pk: `p${Math.floor(i / partitionSize)}`, rk: `r${String(i % partitionSize).padStart(7, '0')}` };
  };
  const out: Record<string, string> = {};
  for (const kind of ['update', 'read', 'insert'] as const) {
    const cpu0 = cpuMs(pid);
    const t0 = performance.now();
    for (let k = 0; k < REQUESTS; k++) {
      const { pk, rk } = pick();
      if (kind === 'update') await t.updateEntity({ partitionKey: pk, rowKey: rk, state: `S${k}` }, 'Merge');
      else if (kind === 'read') await t.getEntity(pk, rk);
      else await t.createEntity({ ...row(pk, 9_000_000 + k + n), rowKey: `n${k}-${Date.now()}` });
    }
    const wall = (performance.now() - t0) / REQUESTS;
    const cpu = (cpuMs(pid) - cpu0) / REQUESTS;
    out[kind] = `${wall.toFixed(2)} ms (Azurite CPU ${cpu.toFixed(2)} ms)`;
  }
  // What the rollout's row cache asks after a freed slot: the rows of one partition changed since now.
  const since = new Date();
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const QUERIES = 20;
  for (let k = 0; k < QUERIES; k++) {
    const { pk } = pick();
    const rows = t.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${pk} and Timestamp ge ${since}` },
    });
    for await (const _ of rows) void _;
  }
  const wall = (performance.now() - t0) / QUERIES;
  out.query = `${wall.toFixed(2)} ms (Azurite CPU ${((cpuMs(pid) - cpu0) / QUERIES).toFixed(2)} ms)`;
  return out;
}

console.log(`Azurite table process ${pid}; ${REQUESTS} requests of each kind; times per request`);
try {
  for (const n of sizes) {
    for (const [layout, partitionSize] of [
      ['one partition', n],
      ['partitions of 100', 100],
    ] as const) {
      const t = client(`shape${tables++}`);
      await fill(t, n, partitionSize);
      console.log(`${String(n).padStart(6)} rows, one table, ${layout}:`, await measure(t, n, partitionSize));
    }
  }
  // The same total held in other tables: a small table beside big ones.
  const big = Math.max(...sizes);
  const small = client(`shape${tables++}`);
  await fill(small, 1000, 100);
  console.log(
    `  1000 rows, one table, beside ${sizes.join('+')}x2 rows in other tables:`,
    await measure(small, 1000, 100),
  );
  void big;
} finally {
  await azurite.stop();
}
