// The Resource Graph endpoint is implemented in emulator/graph/ (resourceGraphHandler.ts). It is loaded
// dynamically so the ARM emulator still starts (answering 501) while that module is absent.
import type { GraphIndex } from './graph/graphIndex.js';
import type { ArmResponse } from './httpTypes.js';

export type GraphHandler = (
  index: GraphIndex,
  body: unknown,
  ctx: { principal: string; nowMs: number; apiVersion: string },
) => { status: number; headers: Record<string, string>; body: unknown };

const notImplemented: GraphHandler = () => ({
  status: 501,
  headers: {},
  body: {
    error: {
      code: 'NotImplemented',
      message: 'Resource Graph is not available in this build of the emulator.',
    },
  },
});

export async function loadGraphHandler(): Promise<GraphHandler> {
  const specifier = './graph/resourceGraphHandler.js';
  try {
    const mod = (await import(/* @vite-ignore */ specifier)) as { handleResourceGraphQuery?: GraphHandler };
    return mod.handleResourceGraphQuery ?? notImplemented;
  } catch {
    return notImplemented;
  }
}

export type { ArmResponse };
