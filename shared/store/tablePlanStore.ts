/**
 * PlanStore on Table Storage: table `plans`, PK encoded plan id, RK `header` and `p00000`, `p00001`, ...;
 * the header and each page as JSON (jsonProperties). A plan's rows are written in entity group transactions
 * (one partition), the header last, so a plan is readable only once complete.
 */
import { type TableClient, type TransactionAction } from '@azure/data-tables';
import type { PlanStore } from '../domain/ports.js';
import type { StoredPlanHeader } from '../domain/records.js';
import { storageCall } from './classifyStorageError.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import { readEntity } from './readEntity.js';
import { submitBatches } from './submitBatches.js';

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
        { partitionKey: pk, rowKey: 'header', ...jsonProperties('data', header) },
        'Replace',
      ),
    );
  }

  async page(planId: string, page: number) {
    const pk = encodeKey(planId);
    const head = await readEntity(this.plans, pk, 'header');
    if (!head) return undefined;
    const header = readJsonProperties<StoredPlanHeader>(head, 'data');
    if (!Number.isInteger(page) || page < 0 || page >= header.pages) return undefined;
    const rows = await readEntity(this.plans, pk, pageKey(page));
    return rows ? { header, clusters: readJsonProperties<unknown[]>(rows, 'data') } : undefined;
  }
}
