/**
 * The MonitorArm contract: what the ARM adapter does against the emulator and what FakeMonitorArm does for
 * service tests. Both run this suite (test/azure/armMonitorClient.test.ts, test/fakes/fakeMonitorArm.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { parseClusterId } from '../../shared/domain/armId.js';
import {
  ASSOCIATION_DESCRIPTION,
  CONTAINER_INSIGHTS_ASSOCIATION,
  associationPointsTo,
  dataCollectionRuleId,
  desiredDataCollectionRule,
  ruleSendsTo,
} from '../../shared/domain/containerInsights.js';
import type { MonitorArm } from '../../shared/domain/ports.js';

export interface MonitorArmSubject {
  port: MonitorArm;
  /** A connected cluster that exists (associations need one). */
  clusterId: string;
  workspaceSubscription: string;
  /** Fresh state before each test. */
  reset(): Promise<void>;
}

export function monitorArmContract(name: string, subject: () => MonitorArmSubject): void {
  describe(`MonitorArm contract: ${name}`, () => {
    let s: MonitorArmSubject;
    const ws = (n: string) =>
      `/subscriptions/${s.workspaceSubscription}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/${n}`;
    const workspace = (n = 'fleet-logs') => ({
      id: ws(n),
      location: 'West Europe',
      customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01',
    });
    const ruleId = () => dataCollectionRuleId(parseClusterId(s.clusterId)!, 'westeurope');

    beforeEach(async () => {
      s = subject();
      await s.reset();
    });

    it('answers undefined for an absent workspace, rule and association', async () => {
      expect(await s.port.getWorkspace(ws('nowhere'))).toBeUndefined();
      expect(await s.port.getDataCollectionRule(ruleId())).toBeUndefined();
      expect(await s.port.getAssociation(s.clusterId, CONTAINER_INSIGHTS_ASSOCIATION)).toBeUndefined();
    });

    it('a rule PUT is read back as written (region normalised), and sends to its workspace', async () => {
      const want = desiredDataCollectionRule(ruleId(), workspace(), { owner: 'team-a' });
      const put = await s.port.putDataCollectionRule(want);
      const got = await s.port.getDataCollectionRule(ruleId().toLowerCase());
      for (const r of [put, got!]) {
        expect(r.id.toLowerCase()).toBe(ruleId().toLowerCase());
        expect(r).toMatchObject({
          location: 'westeurope',
          kind: 'Linux',
          tags: { owner: 'team-a' },
          extensions: want.extensions,
          logAnalytics: want.logAnalytics,
          dataFlows: want.dataFlows,
        });
        expect(ruleSendsTo(r, ws('fleet-logs').toUpperCase())).toBe(true);
        expect(ruleSendsTo(r, ws('other'))).toBe(false);
      }
    });

    it('a second PUT replaces the destination', async () => {
      await s.port.putDataCollectionRule(desiredDataCollectionRule(ruleId(), workspace()));
      await s.port.putDataCollectionRule(desiredDataCollectionRule(ruleId(), workspace('other')));
      const got = await s.port.getDataCollectionRule(ruleId());
      expect(ruleSendsTo(got, ws('other'))).toBe(true);
      expect(ruleSendsTo(got, ws('fleet-logs'))).toBe(false);
    });

    it('an association points at the rule it was given; IDs compare case-insensitively', async () => {
      await s.port.putDataCollectionRule(desiredDataCollectionRule(ruleId(), workspace()));
      const put = await s.port.putAssociation(s.clusterId, CONTAINER_INSIGHTS_ASSOCIATION, {
        dataCollectionRuleId: ruleId(),
        description: ASSOCIATION_DESCRIPTION,
      });
      expect(put.id.toLowerCase()).toBe(
        `${s.clusterId}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${CONTAINER_INSIGHTS_ASSOCIATION}`.toLowerCase(),
      );
      const got = await s.port.getAssociation(s.clusterId.toLowerCase(), CONTAINER_INSIGHTS_ASSOCIATION);
      expect(associationPointsTo(got, ruleId().toUpperCase())).toBe(true);
      expect(got?.description).toBe(ASSOCIATION_DESCRIPTION);
    });
  });
}
