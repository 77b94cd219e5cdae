import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startAzurite } from '../../local/startAzurite.js';

describe('Azurite harness', () => {
  it('the run shares one Azurite and it answers', async () => {
    const { connectionString, tableUrl, queueUrl, blobUrl } = inject('azurite');
    expect(tableUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
    expect(new Set([tableUrl, queueUrl, blobUrl].map((u) => new URL(u).port)).size).toBe(3);
    const client = TableClient.fromConnectionString(connectionString, 'harnessprobe', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    await client.createTable(); // idempotent
  });

  it('a second Azurite starts on other free ports and stops without leaving a process', async () => {
    const azurite = await startAzurite();
    expect(azurite.tableUrl).not.toBe(inject('azurite').tableUrl);
    // One process per service.
    expect(new Set(Object.values(azurite.pids)).size).toBe(3);
    for (const pid of Object.values(azurite.pids)) expect(() => process.kill(pid, 0)).not.toThrow();
    await azurite.stop();
    for (const pid of Object.values(azurite.pids)) expect(() => process.kill(pid, 0)).toThrow();
    await azurite.stop(); // twice is fine
  });
});
