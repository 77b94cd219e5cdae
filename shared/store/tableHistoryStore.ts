/**
 * HistoryStore on Table Storage. Table `history`: PK the encoded cluster id, RK
 * `<inverted ms, 13 digits>-<inverted sequence, 6 digits>-<suffix>` so that a partition lists newest first
 * (events with the same instant: the later appended first). The sequence is this process's counter and the
 * suffix random, unless the event carries its own `seq`: then both come from the event (its `seq`, a hash
 * of its actor), the RowKey is the same every time it is appended, and it is upserted (idempotent).
 * Properties `clusterId`, `at`, `action`, `result`, `actor` for operators and the HistoryEvent as JSON in
 * `data0..n` / `dataChunks`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import type { HistoryStore } from '../domain/ports.js';
import type { HistoryEvent, Page, PageRequest } from '../domain/records.js';
import { checkHistoryTime, MAX_HISTORY_MS } from '../domain/storeRules.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import { readPage } from './readPage.js';
import { submitBatches } from './submitBatches.js';
import { normalizeId } from '../domain/armId.js';

const MAX_SEQ = 999_999;
let sequence = 0;

export class TableHistoryStore implements HistoryStore {
  constructor(private readonly table: TableClient) {}

  async append(events: readonly HistoryEvent[]): Promise<void> {
    const actions = events.map((e): TransactionAction =>
      e.seq === undefined ? ['create', historyEntity(e)] : ['upsert', historyEntity(e), 'Replace'],
    );
    await submitBatches(this.table, actions, `append ${events.length} history events`);
  }

  list(clusterId: string, page?: PageRequest): Promise<Page<HistoryEvent>> {
    return readPage(this.table, odata`PartitionKey eq ${encodeKey(clusterId)}`, page, (e) =>
      readJsonProperties<HistoryEvent>(e, 'data'),
    );
  }
}

/** A RowKey that sorts newest first (the same for the same event when it carries `seq`); exported for tests. */
export function historyRowKey(event: Pick<HistoryEvent, 'at' | 'actor' | 'seq'>): string {
  const ms = checkHistoryTime(event.at);
  const inverted = String(MAX_HISTORY_MS - ms).padStart(13, '0');
  if (event.seq !== undefined) {
    const seq = String(MAX_SEQ - (event.seq % MAX_SEQ)).padStart(6, '0');
    return `${inverted}-${seq}-${createHash('sha256').update(event.actor).digest('hex').slice(0, 8)}`;
  }
  sequence = (sequence + 1) % MAX_SEQ;
  const seq = String(MAX_SEQ - sequence).padStart(6, '0');
  return `${inverted}-${seq}-${randomBytes(4).toString('hex')}`;
}

function historyEntity(event: HistoryEvent) {
  return {
    partitionKey: encodeKey(event.clusterId),
    rowKey: historyRowKey(event),
    clusterId: normalizeId(event.clusterId),
    at: event.at,
    action: event.action,
    result: event.result,
    actor: event.actor,
    ...jsonProperties('data', event),
  };
}
