/**
 * infra/modules/storage.bicep creates every table and queue the code uses (tableNames(), allQueueNames(),
 * QUEUES) and nothing else, on an account with shared keys off, TLS 1.2 and no public blob access.
 */
import { describe, expect, it } from 'vitest';
import { QUEUES } from '../../shared/domain/records.js';
import { allQueueNames } from '../../shared/store/queueNames.js';
import { tableNames } from '../../shared/store/tableNames.js';
import { property, readBicep, resources, stringLiterals, varValue } from './bicepText.js';

const storage = readBicep('modules/storage.bicep');
const main = readBicep('main.bicep');
const byType = (type: string) => resources(storage).filter((r) => r.type === type);
const sorted = (xs: Iterable<string>) => [...xs].sort();

describe('storage account', () => {
  it('creates exactly the tables the code uses', () => {
    expect(sorted(stringLiterals(varValue(storage, 'tableNames')))).toEqual(
      sorted(Object.values(tableNames())),
    );
    const [tables] = byType('Microsoft.Storage/storageAccounts/tableServices/tables');
    expect(tables?.head).toMatch(/^\[\s*for table in tableNames:$/);
    expect(property(tables?.body ?? '', 'name')).toBe('table');
  });

  it('creates exactly the work queues and their poison queues', () => {
    const infraQueues = sorted(stringLiterals(varValue(storage, 'queueNames')));
    expect(infraQueues).toEqual(sorted(allQueueNames()));
    for (const q of Object.values(QUEUES)) expect(infraQueues).toContain(q);
    const [queues] = byType('Microsoft.Storage/storageAccounts/queueServices/queues');
    expect(queues?.head).toMatch(/^\[\s*for queue in queueNames:$/);
    expect(property(queues?.body ?? '', 'name')).toBe('queue');
  });

  it('allows no shared key, no public blob access, TLS 1.2 and HTTPS only', () => {
    const [account] = byType('Microsoft.Storage/storageAccounts');
    const body = account?.body ?? '';
    expect(property(body, 'allowSharedKeyAccess')).toBe('false');
    expect(property(body, 'allowBlobPublicAccess')).toBe('false');
    expect(property(body, 'minimumTlsVersion')).toBe("'TLS1_2'");
    expect(property(body, 'supportsHttpsTrafficOnly')).toBe('true');
  });

  it('has the deployment and dead-letter containers, both private', () => {
    const containers = byType('Microsoft.Storage/storageAccounts/blobServices/containers');
    expect(containers.map((c) => property(c.body, 'name'))).toEqual([
      'deploymentContainerName',
      'deadLetterContainerName',
    ]);
    for (const c of containers) expect(c.body).toContain("publicAccess: 'None'");
    for (const name of ['deploymentContainerName', 'deadLetterContainerName']) {
      const value = new RegExp(`var ${name} = '([^']*)'`).exec(main.code)?.[1];
      expect(value, name).toMatch(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/);
    }
  });
});
