// The Resource Graph endpoint is implemented in emulator/graph/ (by its own owner); this is the seam the
// HTTPS server calls, so tests can substitute a handler.
import type { GraphIndex } from './graph/graphIndex.js';
import { handleResourceGraphQuery } from './graph/resourceGraphHandler.js';

export type GraphHandler = (
  index: GraphIndex,
  body: unknown,
  ctx: { principal: string; nowMs: number; apiVersion: string },
) => { status: number; headers: Record<string, string>; body: unknown };

export function loadGraphHandler(): GraphHandler {
  return handleResourceGraphQuery;
}
