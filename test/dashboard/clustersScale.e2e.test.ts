/// <reference lib="dom" />
/**
 * The clusters page over a 10,000-cluster inventory in headless Chromium: it finds exactly the clusters a
 * filter asks for, and prints how long it took to show the filtered page (cold: the inventory read through
 * the API, 10 pages of 1,000; warm: another filter on the inventory already read). A figure, not a timed
 * assertion (docs/performance.md, Dashboard).
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { osmExtensions } from '../../shared/domain/cluster.js';
import { toInventoryRecord } from '../../shared/services/toInventoryRecord.js';
import { demoFleet } from '../../local/demoFleet.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CLUSTERS = 10_000;
let stack: FleetStack;
let browser: Browser;
const fleet = demoFleet({ clusters: CLUSTERS, subscriptions: 5 });

beforeAll(async () => {
  // No sweep (the timer would rewrite the rows from an emulator that has no clusters): the inventory is
  // written as a sweep of this fleet would write it.
  stack = await startFleetStack({ reconcileEveryMs: 3_600_000, events: false });
  const now = new Date();
  await stack.app.deps.inventory.upsertMany(fleet.map((c) => toInventoryRecord(c, now)));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync('test-artifacts', { recursive: true });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('clusters page at 10,000 clusters', () => {
  it('shows the filtered page (and prints how long it took)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const version = osmExtensions(fleet[0]!)[0]?.version ?? 'none';
    const expected = fleet.filter(
      (c) => (osmExtensions(c)[0]?.version ?? 'none') === version && c.connectivity === 'Connected',
    ).length;
    // The app loaded on a page that does not read the inventory, so the clock starts with nothing read.
    await page.goto(`${stack.host.url}/api/dashboard#/policies`);
    await page.waitForSelector('[data-testid=policies-page]');
    const cold = await page.evaluate(
      async (hash) => {
        const t0 = performance.now();
        location.hash = hash;
        for (;;) {
          const el = document.querySelector('[data-testid=clusters-count]');
          if (el && document.querySelector('[data-testid=clusters-page]'))
            return { ms: performance.now() - t0, text: el.textContent };
          await new Promise((r) => requestAnimationFrame(r));
        }
      },
      `#/clusters?version=${encodeURIComponent(version)}&connectivity=Connected`,
    );
    expect(cold.text).toContain(`${expected} matching of ${CLUSTERS} clusters`);
    expect(await page.locator('table.inventory tbody tr').count()).toBe(Math.min(50, expected));

    const warm = await page.evaluate(async () => {
      const t0 = performance.now();
      location.hash = '#/clusters?connectivity=Offline&q=7';
      for (;;) {
        const el = document.querySelector('[data-testid=clusters-count]');
        const select = document.querySelector<HTMLSelectElement>('select[name=connectivity]');
        if (el && select?.value === 'Offline') return { ms: performance.now() - t0, text: el.textContent };
        await new Promise((r) => requestAnimationFrame(r));
      }
    });
    const offline = fleet.filter((c) => c.connectivity === 'Offline' && c.name.includes('7')).length;
    expect(warm.text).toContain(`${offline} matching of ${CLUSTERS} clusters`);
    await page.screenshot({ path: 'test-artifacts/dashboard-clusters-10000.png', fullPage: false });
    console.log(
      `clusters page, ${CLUSTERS} clusters: filtered page shown in ${Math.round(cold.ms)} ms cold ` +
        `(inventory read through the API), ${Math.round(warm.ms)} ms for the next filter`,
    );
  }, 300_000);
});
