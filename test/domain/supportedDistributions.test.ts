import { describe, expect, it } from 'vitest';
import { isOpenShift, isSupportedDistribution } from '../../shared/domain/supportedDistributions.js';

describe('distributions', () => {
  it.each([
    ['openshift', true],
    ['OpenShift', true],
    [' openshift ', true],
    ['aks', false],
    ['openshift-dedicated', false],
    ['', false],
  ])('isOpenShift(%j) is %s', (d, expected) => expect(isOpenShift(d)).toBe(expected));

  it.each([
    ['aks', true],
    ['EKS', true],
    ['rancher_rke', true],
    ['k3s', false],
    ['kind', false],
  ])('isSupportedDistribution(%j) is %s', (d, expected) => expect(isSupportedDistribution(d)).toBe(expected));
});
