/**
 * A plain fake of the ArmClient and FleetInventory ports for service unit tests: clusters and extensions in
 * memory, operations that stay InProgress until the test settles them. Integration tests use the emulator.
 */
import type { ClusterInfo, ExtensionInfo } from '../../shared/domain/cluster.js';
import { NotFoundError } from '../../shared/domain/errors.js';
import type {
  ArmClient,
  DesiredExtension,
  FleetInventory,
  OperationStatus,
  StartedOperation,
} from '../../shared/domain/ports.js';

export interface FakeOperation {
  id: string;
  clusterId: string;
  extensionName: string;
  kind: 'put' | 'delete';
  desired?: DesiredExtension;
  status: OperationStatus;
}

export class FakeArm implements ArmClient, FleetInventory {
  readonly clusters = new Map<string, ClusterInfo>();
  readonly operations = new Map<string, FakeOperation>();
  readonly calls: { method: string; clusterId: string; name?: string; desired?: DesiredExtension }[] = [];
  /** Errors to throw from the next calls of a method, in order. */
  readonly failNext: Partial<Record<keyof ArmClient, Error[]>> = {};
  private opCount = 0;

  addCluster(c: ClusterInfo): void {
    this.clusters.set(c.id.toLowerCase(), structuredClone(c));
  }

  cluster(id: string): ClusterInfo {
    const c = this.clusters.get(id.toLowerCase());
    if (!c) throw new NotFoundError(`cluster ${id} not found`, 'ResourceNotFound');
    return c;
  }

  private maybeFail(method: keyof ArmClient): void {
    const err = this.failNext[method]?.shift();
    if (err) throw err;
  }

  async sweep(filter?: { clusterIds?: readonly string[] }): Promise<ClusterInfo[]> {
    const wanted = filter?.clusterIds && new Set(filter.clusterIds.map((i) => i.toLowerCase()));
    return [...this.clusters.values()]
      .filter((c) => !wanted || wanted.has(c.id.toLowerCase()))
      .map((c) => structuredClone(c));
  }

  async getCluster(clusterId: string) {
    this.calls.push({ method: 'getCluster', clusterId });
    this.maybeFail('getCluster');
    const c = this.clusters.get(clusterId.toLowerCase());
    return c && structuredClone(c);
  }

  async getExtension(clusterId: string, name: string) {
    this.calls.push({ method: 'getExtension', clusterId, name });
    this.maybeFail('getExtension');
    const e = this.cluster(clusterId).extensions.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return e && structuredClone(e);
  }

  async listExtensions(clusterId: string) {
    this.calls.push({ method: 'listExtensions', clusterId });
    this.maybeFail('listExtensions');
    return structuredClone([...this.cluster(clusterId).extensions]);
  }

  async beginPutExtension(
    clusterId: string,
    name: string,
    desired: DesiredExtension,
  ): Promise<StartedOperation> {
    this.calls.push({ method: 'beginPutExtension', clusterId, name, desired: structuredClone(desired) });
    this.maybeFail('beginPutExtension');
    const c = this.cluster(clusterId);
    const existing = c.extensions.find((x) => x.name.toLowerCase() === name.toLowerCase());
    const ext: ExtensionInfo = {
      name,
      extensionType: desired.extensionType.toLowerCase(),
      version: existing?.version ?? null,
      provisioningState: existing ? 'Updating' : 'Creating',
      releaseTrain: desired.releaseTrain,
      autoUpgradeMinorVersion: desired.autoUpgradeMinorVersion,
      configurationSettings: existing?.configurationSettings ?? {},
    };
    c.extensions = [...c.extensions.filter((x) => x !== existing), ext];
    const id = `op-${++this.opCount}`;
    this.operations.set(id, {
      id,
      clusterId,
      extensionName: name,
      kind: 'put',
      desired,
      status: { status: 'InProgress' },
    });
    return { operationId: id, extension: structuredClone(ext) };
  }

  async beginDeleteExtension(clusterId: string, name: string): Promise<StartedOperation> {
    this.calls.push({ method: 'beginDeleteExtension', clusterId, name });
    this.maybeFail('beginDeleteExtension');
    const id = `op-${++this.opCount}`;
    this.operations.set(id, {
      id,
      clusterId,
      extensionName: name,
      kind: 'delete',
      status: { status: 'InProgress' },
    });
    return { operationId: id };
  }

  async getOperation(
    clusterId: string,
    extensionName: string,
    operationId: string,
  ): Promise<OperationStatus> {
    this.calls.push({ method: 'getOperation', clusterId, name: extensionName });
    this.maybeFail('getOperation');
    const op = this.operations.get(operationId);
    if (!op) throw new NotFoundError(`operation ${operationId} not found`, 'OperationNotFound');
    return structuredClone(op.status);
  }

  /** Ends an operation as ARM would: the extension reaches the desired state, or fails. */
  settle(
    operationId: string,
    outcome: 'Succeeded' | 'Failed' = 'Succeeded',
    error?: { code: string; message: string },
  ): void {
    const op = this.operations.get(operationId);
    if (!op) throw new Error(`no operation ${operationId}`);
    op.status =
      outcome === 'Succeeded'
        ? { status: 'Succeeded' }
        : {
            status: 'Failed',
            error: error ?? { code: 'ExtensionOperationFailed', message: 'helm install failed' },
          };
    const c = this.cluster(op.clusterId);
    const ext = c.extensions.find((x) => x.name.toLowerCase() === op.extensionName.toLowerCase());
    if (op.kind === 'delete') {
      if (outcome === 'Succeeded') c.extensions = c.extensions.filter((x) => x !== ext);
      return;
    }
    if (!ext || !op.desired) return;
    ext.provisioningState = outcome;
    // ARM keeps the agent's error on the extension (`errorInfo`) until the next successful operation.
    if (op.status.status === 'Failed' && op.status.error) ext.error = { ...op.status.error };
    else delete ext.error;
    if (outcome === 'Succeeded') {
      ext.version = op.desired.version ?? ext.version;
      ext.configurationSettings = { ...op.desired.configurationSettings };
    }
  }

  /** Settles every operation still in progress. */
  settleAll(outcome: 'Succeeded' | 'Failed' = 'Succeeded'): string[] {
    const ids = [...this.operations.values()]
      .filter((o) => o.status.status === 'InProgress')
      .map((o) => o.id);
    for (const id of ids) this.settle(id, outcome);
    return ids;
  }
}
