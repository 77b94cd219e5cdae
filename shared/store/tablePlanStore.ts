/**
 * PlanStore on Table Storage: table `plans`, PK encoded plan id, RK `header` and `p00000`, `p00001`, ...;
 * the header and each page as JSON (jsonProperties). A plan's rows are written in entity group transactions
 * (one partition), the header last, so a plan is readable only once complete. The header also carries
 * `expiresAt` as a property of its own, for the purge's query.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { NotFoundError } from '../domain/errors.js';
import type { PlanStore } from '../domain/ports.js';
import type { StoredPlanHeader } from '../domain/records.js';
import { storageCall } from './classifyStorageError.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import { readEntity } from './readEntity.js';
import { readPage } from './readPage.js';
import { submitBatches } from './submitBatches.js';

const HEADER = 'header';
const pageKey = (n: number) => `p${String(n).padStart(5, '0')}`;

export class TablePlanStore implements PlanStore {
  constructor(private readonly plans: TableClient) {}

  async save(header: StoredPlanHeader, pages: readonly (readonly unknown[])[]): Promise<void> {
    const pk = encodeKey(header.planId);
    const rows = pages.map((clusters, n): TransactionAction => [
      'upsert',
      { partitionKey: pk, rowKey: pageKey(n), ...jsonProperties('data', clusters) },
      'Replace',
    ]);
    await submitBatches(this.plans, rows, `store plan ${header.planId}`);
    await storageCall(`store plan ${header.planId}`, () =>
      this.plans.upsertEntity(
        { partitionKey: pk, rowKey: HEADER, expiresAt: header.expiresAt, ...jsonProperties('data', header) },
        'Replace',
      ),
    );
  }

  async page(planId: string, page: number) {
    const pk = encodeKey(planId);
    const head = await readEntity(this.plans, pk, HEADER);
    if (!head) return undefined;
    const header = readJsonProperties<StoredPlanHeader>(head, 'data');
    if (!Number.isInteger(page) || page < 0 || page >= header.pages) return undefined;
    const rows = await readEntity(this.plans, pk, pageKey(page));
    return rows ? { header, clusters: readJsonProperties<unknown[]>(rows, 'data') } : undefined;
  }

  /**
   * A cross-partition query of the headers only (`RowKey eq 'header'`, bounded by `limit`); each expired
   * plan's pages are deleted before its header, so a purge cut short leaves a header to find next time.
   */
  async purgeExpired(now: Date, limit: number): Promise<number> {
    const filter = odata`RowKey eq ${HEADER} and expiresAt lt ${now.toISOString()}`;
    const { items } = await readPage(this.plans, filter, { top: limit }, (e) => ({
      pk: e.partitionKey ?? '',
      pages: readJsonProperties<StoredPlanHeader>(e, 'data').pages,
    }));
    for (const { pk, pages } of items) {
      for (let n = 0; n < pages; n++) await this.deleteIfPresent(pk, pageKey(n));
      await this.deleteIfPresent(pk, HEADER);
    }
    return items.length;
  }

  private async deleteIfPresent(pk: string, rk: string): Promise<void> {
    try {
      await storageCall('purge plan', () => this.plans.deleteEntity(pk, rk));
    } catch (e) {
      if (!(e instanceof NotFoundError) || e.code === 'TableNotFound') throw e;
    }
  }
}
