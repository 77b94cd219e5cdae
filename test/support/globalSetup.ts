// vitest globalSetup: one Azurite for the whole run, shared with every test file through `inject('azurite')`.
// Tests isolate themselves with unique table and queue name prefixes (see test/support/storeFixture.ts).
import type { TestProject } from 'vitest/node';
import { startAzurite } from '../../local/startAzurite.js';

export interface AzuriteEndpoints {
  connectionString: string;
  tableUrl: string;
  queueUrl: string;
  blobUrl: string;
}

declare module 'vitest' {
  interface ProvidedContext {
    azurite: AzuriteEndpoints;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const azurite = await startAzurite();
  const { connectionString, tableUrl, queueUrl, blobUrl, pids } = azurite;
  // If the runner is torn down without calling our teardown, do not leave Azurite behind. (The children also
  // exit on their own when their stdin pipes close, which covers SIGKILL of the runner.)
  const killOnExit = () => {
    for (const pid of Object.values(pids))
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
  };
  process.once('exit', killOnExit);
  project.provide('azurite', { connectionString, tableUrl, queueUrl, blobUrl });
  return async () => {
    process.off('exit', killOnExit);
    await azurite.stop();
  };
}
