/** The registration table: every function of the app, read by functions/index.ts and by local/. */
import { policyComplianceFn } from './compliance.js';
import { clusterHistoryFn, getClusterFn, listClustersFn } from './clusters.js';
import { deleteClusterOsmFn, putClusterOsmFn } from './clusterOsm.js';
import { dashboardAsset, dashboardPage } from './dashboard.js';
import { health } from './health.js';
import type { FunctionRegistration } from './lib/functionRegistration.js';
import { onClusterEvent } from './onClusterEvent.js';
import { createSessionFn, deleteSessionFn, getSessionFn } from './session.js';
import { planClustersFn, planPolicyFn } from './plan.js';
import { deletePolicyFn, getPolicyFn, listPoliciesFn, putPolicyFn } from './policies.js';
import {
  createRolloutFn,
  getRolloutFn,
  listRolloutClustersFn,
  listRolloutsFn,
  rolloutCommandFn,
} from './rollouts.js';
import {
  clusterChecks,
  clusterChecksPoison,
  clusterSteps,
  clusterStepsPoison,
  connectWatch,
  connectWatchPoison,
  monitorSteps,
  monitorStepsPoison,
  reconcile,
  rolloutPlanning,
  rolloutPlanningPoison,
} from './workers.js';

export const registrations: readonly FunctionRegistration[] = [
  health,
  putPolicyFn,
  getPolicyFn,
  listPoliciesFn,
  deletePolicyFn,
  planPolicyFn,
  planClustersFn,
  policyComplianceFn,
  createRolloutFn,
  listRolloutsFn,
  getRolloutFn,
  listRolloutClustersFn,
  rolloutCommandFn,
  listClustersFn,
  getClusterFn,
  clusterHistoryFn,
  putClusterOsmFn,
  deleteClusterOsmFn,
  dashboardPage,
  dashboardAsset,
  getSessionFn,
  createSessionFn,
  deleteSessionFn,
  reconcile,
  clusterSteps,
  clusterChecks,
  monitorSteps,
  connectWatch,
  clusterStepsPoison,
  clusterChecksPoison,
  monitorStepsPoison,
  connectWatchPoison,
  rolloutPlanning,
  rolloutPlanningPoison,
  onClusterEvent,
];
