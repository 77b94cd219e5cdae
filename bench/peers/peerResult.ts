/** The figures every contender reports, and the emulator-side ARM counts between two stats snapshots. */
import type { EmulatorControl } from '../../emulator/emulatorControl.js';

export type Stats = Awaited<ReturnType<EmulatorControl['stats']>>;

export interface PeerResult {
  name: string;
  clusters: number;
  makespanMs: number;
  note: string;
  armWrites: number;
  armReads: number;
  /** Operations the emulator started (PUTs that were not throttled or refused). */
  putsAccepted: number;
  graphQueries: number;
  throttled429: number;
  peakConcurrent: number;
  failed: number;
  errors: Record<string, number>;
  tableOps?: number;
  queueMessages?: number;
  boundMs?: number;
  hostRssMiB?: number;
}

const diff = (a: Record<string, number>, b: Record<string, number>, k: string) => (b[k] ?? 0) - (a[k] ?? 0);

/** ARM requests by kind as the emulator counted them (429s included: they were sent); Resource Graph apart. */
export function armDiff(before: Stats, after: Stats) {
  return {
    armWrites: diff(before.requestsByKind, after.requestsByKind, 'write'),
    armReads:
      diff(before.requestsByKind, after.requestsByKind, 'read') -
      diff(before.requestsByOperation, after.requestsByOperation, 'resourceGraph:POST'),
    putsAccepted: after.operationsStarted - before.operationsStarted,
    graphQueries: after.resourceGraphQueries - before.resourceGraphQueries,
    throttled429: after.throttled429 - before.throttled429,
    peakConcurrent: after.peakConcurrentOperations,
  };
}
