/**
 * Kubernetes distributions the Arc OSM extension supports (seed document and later Microsoft docs:
 * AKS Engine, AKS on Azure Stack HCI / AKS hybrid, Cluster API Azure, GKE, Canonical, Rancher RKE,
 * OpenShift, EKS, VMware TKG; the chart's `testedDistros` adds `aks`). Values as `connectivityStatus`
 * reports them in `distribution`; compared case-insensitively.
 */
export const SUPPORTED_DISTRIBUTIONS: readonly string[] = [
  'aks',
  'aks_engine',
  'aks_management',
  'aks_workload',
  'capz',
  'canonical',
  'eks',
  'gke',
  'openshift',
  'rancher_rke',
  'tkg',
];

const supported = new Set(SUPPORTED_DISTRIBUTIONS);

export function isSupportedDistribution(distribution: string): boolean {
  return supported.has(distribution.toLowerCase());
}

/** OpenShift as `connectivityStatus` reports it, in any case and with stray blanks. */
export function isOpenShift(distribution: string): boolean {
  return distribution.trim().toLowerCase() === 'openshift';
}
