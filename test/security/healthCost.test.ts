/**
 * GET /api/health is anonymous, so what it costs must not be multipliable (issue 14, item 1;
 * docs/security.md): its dependency check (one ARM GET, one Table query) runs at most once per
 * HEALTH_CACHE_MS, and concurrent callers share the check in flight. Counted at the emulator (ARM) and at
 * the policy store port (Table), through the real local host.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_CACHE_MS } from '../../shared/createAppContext.js';
import { cachedCheck } from '../../shared/services/cachedCheck.js';
import { startFleetStack, type FleetStack } from '../support/fleetStack.js';

describe('GET /api/health under load (anonymous)', () => {
  let stack: FleetStack;
  let tableQueries = 0;
  beforeAll(async () => {
    stack = await startFleetStack({
      env: { FLEET_API_KEY: 'k-0123456789' },
      reconcileEveryMs: 600_000,
      events: false,
    });
    const policies = stack.app.store.policies;
    const list = policies.list.bind(policies);
    policies.list = (...args) => {
      tableQueries++;
      return list(...args);
    };
  });
  afterAll(async () => stack?.stop());

  const armProbes = async () =>
    Object.entries((await stack.control.stats()).requestsByOperation)
      .filter(([op]) => /cluster/i.test(op) && /GET/.test(op))
      .reduce((n, [, count]) => n + count, 0);

  it('400 calls, 16 at a time, cause one dependency check', async () => {
    const armBefore = await armProbes();
    const answers = [];
    for (let wave = 0; wave < 25; wave++)
      answers.push(...(await Promise.all(Array.from({ length: 16 }, () => stack.api('GET', '/api/health')))));
    // The whole run takes far less than HEALTH_CACHE_MS (30 s): one check, shared by all 400 callers.
    expect(await armProbes()).toBe(armBefore + 1);
    expect(tableQueries).toBe(1);
    for (const r of answers) {
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'ok', storage: 'ok', arm: 'ok', version: expect.any(String) });
    }
    const checkedAt = new Set(answers.map((r) => r.body.checkedAt as string));
    expect(checkedAt.size).toBe(1); // every caller was shown the same check, and told when it ran
  });
});

describe('cachedCheck', () => {
  it('runs once per period, shares the check in flight, and runs again after the period', async () => {
    let now = 0;
    let runs = 0;
    let release: () => void = () => {};
    const check = cachedCheck(
      () => {
        runs++;
        return new Promise<string>((resolve) => (release = () => resolve(`run ${runs}`)));
      },
      HEALTH_CACHE_MS,
      { now: () => new Date(now) },
    );
    const callers = Array.from({ length: 50 }, () => check());
    expect(runs).toBe(1); // all 50 wait on the same check
    release();
    expect(new Set((await Promise.all(callers)).map((r) => r.value))).toEqual(new Set(['run 1']));
    now = HEALTH_CACHE_MS - 1;
    expect((await check()).value).toBe('run 1');
    expect(runs).toBe(1);
    now = HEALTH_CACHE_MS;
    const later = check();
    expect(runs).toBe(2);
    release();
    expect((await later).value).toBe('run 2');
    expect((await later).checkedAt.getTime()).toBe(HEALTH_CACHE_MS);
  });

  it('does not keep a check that threw: the next caller tries again', async () => {
    let runs = 0;
    const check = cachedCheck(
      async () => {
        runs++;
        if (runs === 1) throw new Error('boom');
        return 'ok';
      },
      HEALTH_CACHE_MS,
      { now: () => new Date(0) },
    );
    await expect(check()).rejects.toThrow('boom');
    expect((await check()).value).toBe('ok');
    expect(runs).toBe(2);
  });
});
