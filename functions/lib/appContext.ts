/**
 * The process-wide application context the function handlers use: the services' dependencies, built once
 * per process (SDK clients are reused across invocations), plus the few settings handlers read directly.
 * Tests and the local host may install their own factory before the first invocation.
 */
import type { AppContext } from '../../shared/appContext.js';

export type { AppContext };

type Factory = () => Promise<AppContext>;

let factory: Factory | undefined;
let current: Promise<AppContext> | undefined;

export function setAppContextFactory(f: Factory): void {
  factory = f;
  current = undefined;
}

export function appContext(): Promise<AppContext> {
  if (!current) {
    if (!factory)
      throw new Error('osm-fleet: no application context factory installed (functions/index.ts installs it)');
    current = factory().catch((err: unknown) => {
      current = undefined; // let the next invocation retry start-up
      throw err;
    });
  }
  return current;
}
