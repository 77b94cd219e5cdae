/// <reference lib="dom" />
/**
 * The dashboard's pages in headless Debian Chromium (playwright-core) against the local stack: compliance
 * cards and their drill-down, the clusters page (search, filters, links from the charts), the policies
 * page, a cluster's timeline, the bar legend, rollouts newest first with "more", a bad rollout id, a hash
 * change, and a 420 px wide screen. Screenshots go to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, clusterIdOf, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import { osmExt, seedAndSettle, seedCluster } from '../support/rolloutFlow.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEY = 'dashboard-pages-key-0123456789';
const ARTIFACTS = 'test-artifacts';
const SETTING = 'osm.osm.enablePermissiveTrafficPolicy';
const S = SUBS[0]!;
const auth = { 'x-functions-key': KEY };
let stack: FleetStack;
let browser: Browser;
let page: Page;
const problems: string[] = [];
const requests: string[] = [];
let pagesRollout = '';
const emptyRollouts: string[] = [];

beforeAll(async () => {
  stack = await startFleetStack({ env: { FLEET_API_KEY: KEY }, reconcileEveryMs: 500 });
  await seedAndSettle(stack, [
    seedCluster(S, 'rg-pg', 'pg-ok', { extensions: [osmExt('1.2.6', { [SETTING]: 'false' })] }),
    seedCluster(S, 'rg-pg', 'pg-drift', { extensions: [osmExt('1.2.6', { [SETTING]: 'true' })] }),
    seedCluster(S, 'rg-pg', 'pg-old', { extensions: [osmExt('1.1.1', { [SETTING]: 'false' })] }),
    seedCluster(S, 'rg-fail', 'pg-fail'),
    seedCluster(SUBS[1]!, 'rg-pg', 'pg-off', { connectivityStatus: 'Offline' }),
  ]);
  await stack.control.addInstallOutcome({
    clusterIds: [clusterIdOf(S, 'rg-fail', 'pg-fail')],
    code: 'InjectedChartFailure',
    message: 'pre-install hook failed: injected by the dashboard test',
  });
  const put = (name: string, body: unknown) => stack.api('PUT', `/api/policies/${name}`, body, auth);
  const pagesPolicy = {
    target: { resourceGroups: ['rg-pg'] },
    osm: { version: '1.2.6', configurationSettings: { [SETTING]: 'false' } },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 5 }], maxFailurePercent: 100 },
    schedule: '0 0 3 * * 6',
  };
  expect((await put('pages', pagesPolicy)).status).toBe(201);
  const failer = { ...pagesPolicy, target: { resourceGroups: ['rg-fail'] } };
  expect((await put('failer', failer)).status).toBe(201);
  expect(
    (await put('empty', { target: { resourceGroups: ['rg-none'] }, osm: { version: '1.2.6' } })).status,
  ).toBe(201);
  // 21 rollouts of a policy that targets nothing (each finishes at once), then one that does work.
  for (let i = 0; i < 21; i++) {
    const r = await stack.api('POST', '/api/rollouts', { policy: 'empty' }, auth);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    emptyRollouts.push(r.body.id);
    await waitFor(
      async () =>
        !['Planning', 'Running'].includes(
          (await stack.api('GET', `/api/rollouts/${r.body.id}`, undefined, auth)).body.state,
        ),
    );
  }
  const created = await stack.api('POST', '/api/rollouts', { policy: 'failer' }, auth);
  pagesRollout = created.body.id;
  await waitFor(async () => {
    const r = await stack.api('GET', `/api/rollouts/${pagesRollout}`, undefined, auth);
    return r.body.counts.failed === 1 && r.body.counts.inProgress === 0 && r.body.counts.pending === 0;
  }, 60_000);
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
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().includes('404')) problems.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => requests.push(r.url()));
  mkdirSync(ARTIFACTS, { recursive: true });
  await signIn(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** No key in the URL (issue 14 item 11): each browser context signs in once through the page's key prompt. */
const url = (hash: string) => `${stack.host.url}/api/dashboard${hash}`;
async function signIn(p: Page): Promise<void> {
  await p.goto(url('#/'));
  await p.fill('[data-testid=key-prompt] input[name=key]', KEY);
  await p.click('[data-testid=key-prompt] button[type=submit]');
  await p.waitForSelector('[data-testid=key-prompt]', { state: 'detached' });
}

describe('dashboard pages', () => {
  it('fleet page: a compliance card per policy with its classes, drill-down to the drifted cluster', async () => {
    await page.goto(url('#/'));
    const card = page.locator('section.compliance[data-policy=pages]');
    await card.waitFor();
    expect(await page.locator('section.compliance').count()).toBe(3);
    const count = async (policy: string, status: string) =>
      Number(
        await page
          .locator(`section.compliance[data-policy=${policy}] a[data-status=${status}] + b`)
          .textContent(),
      );
    expect(await count('pages', 'compliant')).toBe(1);
    expect(await count('pages', 'drifted')).toBe(1);
    expect(await count('pages', 'behind')).toBe(1);
    expect(await count('pages', 'notEligible')).toBe(1);
    expect(await count('pages', 'failed')).toBe(0);
    expect(await count('failer', 'failed')).toBe(1);
    expect(await card.textContent()).toMatch(/1\/4 compliant · swept \d+ s ago/);
    await card.screenshot({ path: `${ARTIFACTS}/dashboard-compliance-card.png` });
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-fleet-compliance.png`, fullPage: true });

    await card.locator('a[data-status=drifted]').click();
    await page.waitForSelector('[data-testid=compliance-page] table.compliance-list');
    expect(await page.locator('table.compliance-list a[data-cluster]').allTextContents()).toEqual([
      'pg-drift',
    ]);
    expect(await page.textContent('table.compliance-list')).toContain(`${SETTING} = true (policy: false)`);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-compliance-drifted.png`, fullPage: true });
  });

  it('fleet page: rollouts newest first, 20 of them, "more" shows the older ones; the bar legend', async () => {
    await page.goto(url('#/'));
    await page.waitForSelector('table.rollouts');
    const ids = () =>
      page
        .locator('table.rollouts a[data-rollout]')
        .evaluateAll((as) => as.map((a) => a.getAttribute('data-rollout')));
    const first = await ids();
    expect(first).toHaveLength(20);
    expect(first[0]).toBe(pagesRollout);
    expect(first[1]).toBe(emptyRollouts[20]);
    expect(first).not.toContain(emptyRollouts[0]);
    await page.click('[data-testid=more-rollouts]');
    await expect.poll(async () => (await ids()).length).toBe(22);
    expect((await ids()).at(-1)).toBe(emptyRollouts[0]);
    const legend = await page.textContent('[data-testid=bar-legend]');
    for (const label of ['reached the target', 'failed', 'skipped', 'cancelled', 'in progress', 'pending'])
      expect(legend).toContain(label);
  });

  it('clusters page: a chart links to it filtered; search and filters narrow it', async () => {
    await page.goto(url('#/'));
    await page.waitForSelector('svg[data-chart=versions]');
    await page.click('svg[data-chart=versions] g[data-label="1.1.1"]');
    await page.waitForSelector('[data-testid=clusters-page]');
    expect(page.url()).toContain('#/clusters?version=1.1.1');
    const names = () => page.locator('table.inventory a[data-cluster]').allTextContents();
    await expect.poll(names).toEqual(['pg-old']);
    await page.goto(url('#/clusters?version=1.2.6'));
    await expect.poll(names).toContain('pg-ok');
    await page.fill('input[name=q]', 'DRIFT');
    await page.click('form.filters button[type=submit]');
    await expect.poll(names).toEqual(['pg-drift']);
    await page.goto(url('#/clusters'));
    await page.selectOption('select[name=connectivity]', 'Offline');
    await expect.poll(names).toEqual(['pg-off']);
    await page.selectOption('select[name=subscription]', S);
    await expect.poll(names).toEqual([]);
    await page.goto(url(`#/clusters?policy=pages&subscription=${S}`));
    await expect.poll(names).toEqual(['pg-drift', 'pg-ok', 'pg-old']);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-clusters.png`, fullPage: true });
  });

  it('policies page: target, version, schedule, last rollout and compliance', async () => {
    await page.goto(url('#/policies'));
    await page.waitForSelector('table.policies');
    const row = (name: string) =>
      page.locator('table.policies tr', { has: page.locator(`[data-policy=${name}]`) }).textContent();
    const text = await row('pages');
    expect(text).toContain('resourceGroups: rg-pg');
    expect(text).toContain('1.2.6');
    expect(text).toContain('0 0 3 * * 6');
    expect(text).toContain('1/4 compliant');
    expect(await row('failer')).toContain(pagesRollout);
    expect(await row('failer')).toContain('0/1 compliant');
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-policies.png`, fullPage: true });
  });

  it("cluster page: the history as a timeline, the failure in ARM's words", async () => {
    await page.goto(url(`#/clusters/${S}/rg-fail/pg-fail`));
    await page.waitForSelector('ol.timeline');
    const failure = page.locator('ol.timeline li[data-kind=failure]').first();
    expect(await failure.textContent()).toContain('pre-install hook failed: injected by the dashboard test');
    expect(await page.locator('ol.timeline li[data-kind=hop]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-cluster-timeline.png`, fullPage: true });
  });

  it('a bad rollout id says not found and stops polling', async () => {
    await page.goto(url('#/'));
    await page.waitForSelector('table.rollouts');
    requests.length = 0;
    await page.goto(url('#/rollouts/no-such-rollout'));
    await page.waitForSelector('[data-testid=not-found]');
    expect(await page.textContent('[data-testid=not-found]')).toContain(
      'Rollout no-such-rollout does not exist',
    );
    // No refresh is scheduled (the "live" mark shows exactly when one is): the page stopped polling.
    expect(await page.isHidden('#live')).toBe(true);
    expect(requests.filter((r) => r.includes('/api/rollouts/no-such-rollout'))).toHaveLength(1);
  });

  it('a change of the hash alone renders the new page, alone', async () => {
    await page.goto(url(`#/rollouts/${pagesRollout}`));
    await page.waitForSelector('[data-testid=rollout-state]');
    await page.evaluate(() => (location.hash = '#/policies'));
    await page.waitForSelector('[data-testid=policies-page]');
    expect(await page.locator('[data-testid=rollout-state]').count()).toBe(0);
    expect(await page.locator('main#view > *').count()).toBe(1);
    await page.evaluate(() => (location.hash = '#/clusters'));
    await page.waitForSelector('[data-testid=clusters-page]');
    expect(await page.locator('[data-testid=policies-page]').count()).toBe(0);
  });

  it('at 420 px wide nothing overflows its card, on every page', async () => {
    const narrow = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await signIn(narrow);
    for (const [hash, ready] of [
      ['#/', 'section.compliance'],
      ['#/clusters', 'table.inventory'],
      ['#/policies', 'table.policies'],
      [`#/rollouts/${pagesRollout}`, '[data-testid=rollout-state]'],
      [`#/clusters/${S}/rg-fail/pg-fail`, 'ol.timeline'],
      ['#/compliance/pages?status=drifted', 'table.compliance-list'],
    ] as const) {
      await narrow.goto(url(hash));
      await narrow.waitForSelector(ready);
      const overflow = await narrow.evaluate(() => {
        const out: string[] = [];
        if (document.documentElement.scrollWidth > window.innerWidth)
          out.push(`page ${document.documentElement.scrollWidth}`);
        for (const card of Array.from(document.querySelectorAll<HTMLElement>('.card')))
          if (card.scrollWidth > card.clientWidth + 1)
            out.push(
              `${card.querySelector('h1,h2')?.textContent ?? 'card'}: ${card.scrollWidth} > ${card.clientWidth}`,
            );
        return out;
      });
      expect(overflow, hash).toEqual([]);
      if (hash === '#/') await narrow.screenshot({ path: `${ARTIFACTS}/dashboard-420.png`, fullPage: true });
    }
    await narrow.close();
    expect(problems).toEqual([]);
  });
});
