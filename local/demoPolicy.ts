import type { PolicyInput } from '../shared/domain/policy.js';

/** The demo policy `npm start` plans and rolls out: every cluster to OSM 1.2.6, canary first. */
export const DEMO_POLICY: PolicyInput = {
  description: 'demo: every cluster on OSM 1.2.6, strict traffic policy',
  target: {},
  osm: {
    version: '1.2.6',
    releaseTrain: 'stable',
    configurationSettings: { 'osm.osm.enablePermissiveTrafficPolicy': 'false' },
  },
  rollout: {
    waves: [
      { name: 'canary', count: 5, maxParallel: 5, soakMinutes: 1 },
      { name: 'early', percent: 25, maxParallel: 20, soakMinutes: 1 },
      { name: 'rest', percent: 100, maxParallel: 50, soakMinutes: 0 },
    ],
    maxFailurePercent: 10,
    crdUpgrades: 'requireApproval',
  },
  autoOnboard: true,
};
