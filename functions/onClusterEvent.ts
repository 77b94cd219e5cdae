import { EVENT_FUNCTION } from '../shared/functionNames.js';
import { handleClusterEvent } from '../shared/services/handleClusterEvent.js';
import { handleClusterEventBatch } from '../shared/services/handleClusterEventBatch.js';
import { appContext } from './lib/appContext.js';
import type { EventGridRegistration } from './lib/functionRegistration.js';

export const onClusterEvent: EventGridRegistration = {
  name: EVENT_FUNCTION,
  kind: 'eventGrid',
  handler: async (event, context) => {
    const outcome = await handleClusterEvent((await appContext()).deps, event);
    // The event may be anything (null, a number): Event Grid retries a delivery that throws for a day.
    const eventId = (event as { id?: unknown } | null | undefined)?.id;
    context.log(`cluster event ${outcome.outcome}`, JSON.stringify({ eventId, ...outcome }));
  },
  batchHandler: async (events, context) => {
    const outcomes = await handleClusterEventBatch((await appContext()).deps, events);
    for (const outcome of outcomes) context.log(`cluster event ${outcome.outcome}`, JSON.stringify(outcome));
  },
};
