// Counters the control surface reports (GET /_emulator/stats).

export interface StatsSnapshot {
  requestsTotal: number;
  requestsByKind: Record<string, number>;
  requestsByOperation: Record<string, number>;
  requestsBySubscription: Record<string, number>;
  putsPerCluster: Record<string, number>;
  putsPerExtension: Record<string, number>;
  throttled429: number;
  faultsInjected: number;
  inFlightOperations: number;
  peakConcurrentOperations: number;
  operationsStarted: number;
  operationsSucceeded: number;
  operationsFailed: number;
  resourceGraphQueries: number;
  eventsDelivered: number;
  eventDeliveryFailures: number;
}

export class EmulatorStats {
  private data: StatsSnapshot = EmulatorStats.empty();

  static empty(): StatsSnapshot {
    return {
      requestsTotal: 0,
      requestsByKind: {},
      requestsByOperation: {},
      requestsBySubscription: {},
      putsPerCluster: {},
      putsPerExtension: {},
      throttled429: 0,
      faultsInjected: 0,
      inFlightOperations: 0,
      peakConcurrentOperations: 0,
      operationsStarted: 0,
      operationsSucceeded: 0,
      operationsFailed: 0,
      resourceGraphQueries: 0,
      eventsDelivered: 0,
      eventDeliveryFailures: 0,
    };
  }

  request(kind: string, operation: string, subscriptionId: string | undefined): void {
    this.data.requestsTotal++;
    bump(this.data.requestsByKind, kind);
    bump(this.data.requestsByOperation, operation);
    if (subscriptionId) bump(this.data.requestsBySubscription, subscriptionId.toLowerCase());
  }

  put(clusterKey: string, extensionKey?: string): void {
    bump(this.data.putsPerCluster, clusterKey);
    if (extensionKey) bump(this.data.putsPerExtension, extensionKey);
  }

  operationStarted(): void {
    this.data.operationsStarted++;
    this.data.inFlightOperations++;
    this.data.peakConcurrentOperations = Math.max(
      this.data.peakConcurrentOperations,
      this.data.inFlightOperations,
    );
  }

  operationEnded(succeeded: boolean): void {
    this.data.inFlightOperations = Math.max(0, this.data.inFlightOperations - 1);
    if (succeeded) this.data.operationsSucceeded++;
    else this.data.operationsFailed++;
  }

  count(
    field:
      | 'throttled429'
      | 'faultsInjected'
      | 'resourceGraphQueries'
      | 'eventsDelivered'
      | 'eventDeliveryFailures',
  ): void {
    this.data[field]++;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.data);
  }

  reset(inFlight: number): void {
    this.data = EmulatorStats.empty();
    this.data.inFlightOperations = inFlight;
  }
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}
