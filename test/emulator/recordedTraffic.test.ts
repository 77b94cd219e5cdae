// Every vendored recording of real ARM / Resource Graph traffic (test/recordings/MANIFEST.md) replayed
// against the emulator: status, the headers that matter, the JSON property paths and the deterministic
// values are compared. Each difference must be listed, with its reason, in the "Recording differences"
// table of docs/emulator.md; a new difference, or one that went away, fails this test.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecording, type RecordedInteraction } from '../support/recordings.js';
import { compare, send, type CompareOptions } from '../support/replayCompare.js';
import { startHarness, type Harness } from './harness.js';
import { RECORDING_DIFFERENCES } from './recordingDifferences.js';

const ZERO_SUB = '00000000-0000-0000-0000-000000000000';
let h: Harness;

beforeAll(async () => {
  // Operations run long enough to still be in flight while the recorded sequence is replayed.
  h = await startHarness({ config: { installMs: 60_000, installJitterMs: 0, graphLagMs: 0 } });
});
afterAll(async () => h.close());

function label(r: RecordedInteraction): string {
  const path = r.url.pathname.replace(/\/subscriptions\/[^/]+/, '').toLowerCase();
  const kind = path.includes('/operations/')
    ? 'operation'
    : path.endsWith('/extensions')
      ? 'extension list'
      : path.includes('/extensions/')
        ? 'extension'
        : path.endsWith('/datacollectionrules')
          ? 'rule list'
          : path.includes('/datacollectionrules/')
            ? 'rule'
            : path.includes('microsoft.resourcegraph')
              ? 'graph query'
              : path.replace(/^\/providers\//, 'provider ');
  return `${r.key.split('#')[0]}: ${r.method} ${kind}`;
}

/** The recorded request as the emulator gets it: host dropped, api-versions it does not serve mapped. */
function replayPath(r: RecordedInteraction, apiVersions: Record<string, string>, notes: Set<string>): string {
  const url = new URL(r.url);
  const v = url.searchParams.get('api-version') ?? '';
  const mapped = apiVersions[v];
  if (mapped) {
    url.searchParams.set('api-version', mapped);
    notes.add(`${r.key.split('#')[0]}: api-version ${v} replayed as ${mapped}`);
  }
  return `${url.pathname}${url.search}`;
}

async function replay(
  file: string,
  options: CompareOptions & { apiVersions?: Record<string, string> } = {},
): Promise<string[]> {
  const notes = new Set<string>();
  let lastRecordedToken: string | undefined;
  let lastLiveToken: string | undefined;
  for (const r of loadRecording(file)) {
    let body = r.requestBody;
    const options2 = (body as { options?: Record<string, unknown> } | undefined)?.options;
    if (options2 && options2.$skipToken !== undefined && options2.$skipToken === lastRecordedToken) {
      body = { ...(body as object), options: { ...options2, $skipToken: lastLiveToken } }; // our own token
    }
    const live = await send(
      h.emu.endpoint,
      h.emu.caPem,
      r.method,
      replayPath(r, options.apiVersions ?? {}, notes),
      body,
    );
    for (const d of compare(label(r), r, live, options)) notes.add(d);
    lastRecordedToken = (r.body as { $skipToken?: string } | undefined)?.$skipToken;
    lastLiveToken = (live.body as { $skipToken?: string } | undefined)?.$skipToken;
  }
  return [...notes];
}

const observed: string[] = [];

describe('recorded traffic replayed against the emulator', () => {
  it('k8s-extension: create, list, show, forceDelete, list', async () => {
    await h.control.seed({
      explicit: [
        {
          subscriptionId: ZERO_SUB,
          resourceGroup: 'azurecli-tests',
          name: 'arc-cluster',
          location: 'eastus',
        },
      ],
    });
    const values = [
      'id',
      'name',
      'type',
      'properties.extensionType',
      'properties.autoUpgradeMinorVersion',
      'properties.releaseTrain',
      'properties.version',
      'properties.scope',
      'properties.configurationSettings',
      'properties.provisioningState',
      'properties.isSystemExtension',
      'properties.aksAssignedIdentity',
      'statusCode',
      'isSuccessStatusCode',
    ];
    observed.push(...(await replay('k8s-extension/test_k8s_extension.yaml', { values })));
  });

  it('monitor-control-service: data collection rule create, get, update, show, list, delete, list', async () => {
    const values = [
      'id',
      'name',
      'type',
      'location',
      'properties.dataFlows',
      'properties.destinations',
      'properties.dataSources',
      'properties.provisioningState',
    ];
    observed.push(
      ...(await replay('monitor-control-service/test_amcs_data_collection_rule.yaml', {
        values,
        apiVersions: { '2021-09-01-preview': '2022-06-01' },
      })),
    );
  });

  it('resource-graph: a query, a parse error, paging with $skipToken', async () => {
    // Rows to find: clusters in the first subscription the recorded query is scoped to, and in ZERO_SUB.
    const seedSub = '34e09169-36e2-4117-ae05-98b60ea39dc4';
    await h.control.seed({
      clusters: 3,
      subscriptions: [seedSub],
      seed: 1,
      namePrefix: 'rec',
      tagSets: [{}],
    });
    await h.control.seed({ clusters: 6, subscriptions: [ZERO_SUB], seed: 2, namePrefix: 'page' });
    // The rows are the emulator's own resources: compare the envelope and the row keys, not the rows.
    const ignore = ['data[].properties.', 'data.rows[]'];
    observed.push(
      ...(await replay('resource-graph/test_query.yaml', { ignore, values: ['count', 'resultTruncated'] })),
    );
    observed.push(
      ...(await replay('resource-graph/test_query_error.yaml', {
        values: ['error.code'],
      })),
    );
    observed.push(
      ...(await replay('resource-graph/test_paged_query.yaml', {
        ignore,
        apiVersions: { '2018-09-01-preview': '2021-03-01' },
      })),
    );
  });

  it('every difference is the documented one, and documented in docs/emulator.md', () => {
    const expected = Object.keys(RECORDING_DIFFERENCES).sort();
    if (process.env.PRINT_DIFFS) console.log(JSON.stringify([...new Set(observed)].sort(), null, 1));
    expect([...new Set(observed)].sort()).toEqual(expected);
    const doc = readFileSync(new URL('../../docs/emulator.md', import.meta.url), 'utf8');
    const ids = new Set(Object.values(RECORDING_DIFFERENCES).map((d) => d.id));
    for (const id of ids)
      expect(doc, `docs/emulator.md must list ${id}`).toMatch(new RegExp(`\\|\\s*${id}\\s*\\|`));
  });
});
