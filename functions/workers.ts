/** Queue workers and the timer: thin wrappers; the services decide, the host retries what throws. */
import { QUEUES, type QueueName } from '../shared/domain/records.js';
import { RECONCILE_SCHEDULE } from '../shared/functionNames.js';
import { applyClusterStep } from '../shared/services/applyClusterStep.js';
import { checkClusterStep } from '../shared/services/checkClusterStep.js';
import { onboardMonitor } from '../shared/services/onboardMonitor.js';
import { failPlanning, planRollout } from '../shared/services/planRollout.js';
import { reconcileFleet } from '../shared/services/reconcileFleet.js';
import { recordPoisonedWork } from '../shared/services/recordPoisonedWork.js';
import { endPoisonedWatch, watchClusterConnect } from '../shared/services/watchClusterConnect.js';
import { appContext } from './lib/appContext.js';
import type { QueueRegistration, TimerRegistration } from './lib/functionRegistration.js';
import { parseWorkMessage, readWorkMessage } from '../shared/domain/workMessage.js';

export const reconcile: TimerRegistration = {
  name: 'reconcile',
  kind: 'timer',
  schedule: RECONCILE_SCHEDULE,
  handler: async (_timer, context) => {
    const result = await reconcileFleet((await appContext()).deps);
    context.log('reconcile finished', JSON.stringify(result));
  },
};

function worker(name: string, queueName: string, run: typeof applyClusterStep): QueueRegistration {
  return {
    name,
    kind: 'queue',
    queueName,
    handler: async (message, context) => {
      // a malformed message throws (with the reason): the host retries it, then moves it to the poison queue
      const msg = parseWorkMessage(message);
      const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
      const result = await run((await appContext()).deps, msg, { dequeueCount });
      context.log(`${name} ${result.outcome}`, JSON.stringify({ ...msg, reason: result.reason }));
    },
  };
}

export const clusterSteps = worker('clusterSteps', QUEUES.clusterSteps, applyClusterStep);
export const clusterChecks = worker('clusterChecks', QUEUES.clusterChecks, checkClusterStep);
export const monitorSteps = worker('monitorSteps', QUEUES.monitorSteps, onboardMonitor);
export const connectWatch = worker('connectWatch', QUEUES.connectWatch, watchClusterConnect);
export const rolloutPlanning = worker('rolloutPlanning', QUEUES.rolloutPlanning, planRollout);

/** Poison queues: the host moved a message here after maxDequeueCount failures; the row records why. */
function poisonWorker(
  name: string,
  queue: QueueName,
  record: typeof recordPoisonedWork = recordPoisonedWork,
): QueueRegistration {
  return {
    name,
    kind: 'queue',
    queueName: `${queue}-poison`,
    handler: async (message, context) => {
      const read = readWorkMessage(message);
      if (!read.ok) return context.warn(`malformed work message poisoned: ${read.reason}`);
      const msg = read.message;
      const result = await record((await appContext()).deps, queue, msg);
      context.warn(`${name} ${result.outcome}`, JSON.stringify({ ...msg, reason: result.reason }));
    },
  };
}

export const clusterStepsPoison = poisonWorker('clusterStepsPoison', QUEUES.clusterSteps);
export const clusterChecksPoison = poisonWorker('clusterChecksPoison', QUEUES.clusterChecks);
export const monitorStepsPoison = poisonWorker('monitorStepsPoison', QUEUES.monitorSteps);
/** A poisoned connect-watch ends the watch; the sweep's safety net onboards the cluster once it connects. */
export const connectWatchPoison = poisonWorker('connectWatchPoison', QUEUES.connectWatch, (deps, _q, msg) =>
  endPoisonedWatch(deps, msg),
);
/** A poisoned planning message ends its rollout Failed with the reason (it no longer holds its policy). */
export const rolloutPlanningPoison = poisonWorker(
  'rolloutPlanningPoison',
  QUEUES.rolloutPlanning,
  (deps, _q, msg) =>
    failPlanning(
      deps,
      msg,
      'planning failed on every delivery (sweep or store errors); see the function logs, then start the rollout again',
    ),
);
