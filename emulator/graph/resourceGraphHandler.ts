// Entry point for the emulator's router: POST /providers/Microsoft.ResourceGraph/resources.
// Prefer one ResourceGraphService per emulator (it holds the quota windows, plan cache and stats);
// handleResourceGraphQuery is the function form, keeping one service per GraphIndex.
import type { GraphIndex } from './graphIndex.js';
import type {
  ResourceGraphContext,
  ResourceGraphOptions,
  ResourceGraphResponse,
} from './resourceGraphService.js';
import { ResourceGraphService } from './resourceGraphService.js';

export {
  ResourceGraphService,
  defaultResourceGraphOptions,
  supportedApiVersions,
} from './resourceGraphService.js';
export type {
  ResourceGraphContext,
  ResourceGraphOptions,
  ResourceGraphResponse,
  ResourceGraphStats,
} from './resourceGraphService.js';
export { GraphIndex } from './graphIndex.js';
export type { GraphRow, GraphTable } from './graphIndex.js';
export { extensionRow, resourceRow } from './graphRows.js';
export type { ArmResourceLike } from './graphRows.js';

const services = new WeakMap<GraphIndex, ResourceGraphService>();

/** The service bound to an index (created with the given options on first use). */
export function resourceGraphServiceFor(
  index: GraphIndex,
  options?: Partial<ResourceGraphOptions>,
): ResourceGraphService {
  let service = services.get(index);
  if (service === undefined) {
    service = new ResourceGraphService(index, options);
    services.set(index, service);
  }
  return service;
}

export function handleResourceGraphQuery(
  index: GraphIndex,
  body: unknown,
  ctx: ResourceGraphContext,
): ResourceGraphResponse {
  return resourceGraphServiceFor(index).handle(body, ctx);
}
