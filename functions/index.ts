/**
 * The Azure Functions entry point (package.json `main`): registers every function of the registration
 * table with the host, and builds the application context (SDK clients, stores) once per process.
 */
import { app } from '@azure/functions';
import { createAppContext } from '../shared/createAppContext.js';
import { loadConfig } from '../shared/config.js';
import { setAppContextFactory } from './lib/appContext.js';
import { QUEUE_CONNECTION } from './lib/functionRegistration.js';
import { registrations } from './registrations.js';

setAppContextFactory(() => createAppContext(loadConfig(process.env)));

for (const r of registrations) {
  switch (r.kind) {
    case 'http':
      app.http(r.name, { methods: r.methods, route: r.route, authLevel: r.authLevel, handler: r.handler });
      break;
    case 'timer':
      app.timer(r.name, { schedule: r.schedule, handler: r.handler });
      break;
    case 'queue':
      app.storageQueue(r.name, { queueName: r.queueName, connection: QUEUE_CONNECTION, handler: r.handler });
      break;
    case 'eventGrid':
      app.eventGrid(r.name, { handler: r.handler });
      break;
  }
}
