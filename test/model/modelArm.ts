/**
 * The model's ARM: the FakeArm (extensions, operations in flight) plus what the model test needs to play
 * ARM's bad days and to judge every PUT the workers send:
 * - errors queued in `failNext` (429, 500, 409, timeouts, terminal 4xx) are thrown by the next call of that
 *   method, and recorded with the cluster that received them (`injected`), so a failure can be justified;
 * - `putFaults`: the next PUT's fate beyond an error: `lostResponse` (ARM accepted it and runs it, the
 *   answer never reached the worker: a timeout) or `neverApplied` (ARM answered 201 with an operation id,
 *   then dropped the PUT: the operation is unknown to ARM, the extension untouched);
 * - every PUT is judged as ARM receives it (`onViolation`): a second operation on an extension while one is
 *   in flight (ARM answers 409, as it does), a downgrade, a setting of the extension or of the policy missing
 *   from the body (ARM resets every setting not sent again), a PUT without a pinned version.
 * `beforeEffect` runs before each write ARM sees (a PUT), so a crash can be placed just before it.
 */
import type { DesiredExtension, ArmClient, StartedOperation } from '../../shared/domain/ports.js';
import type { OsmCatalog } from '../../shared/domain/osmCatalog.js';
import { ConflictError, TransientError } from '../../shared/domain/errors.js';
import { translateKey } from '../../shared/domain/settingsMerge.js';
import { FakeArm, type FakeOperation } from '../fakes/fakeArm.js';

export type PutFault = 'lostResponse' | 'neverApplied';

export interface PutRecord {
  clusterId: string;
  version: string | undefined;
  settings: Record<string, string>;
  operationId?: string;
  fault?: PutFault;
  /** ARM refused it (409 because an operation was in flight). */
  refused?: boolean;
}

export interface InjectedFault {
  method: keyof ArmClient;
  clusterId: string;
  error: Error;
}

export class ModelArm extends FakeArm {
  readonly putFaults: PutFault[] = [];
  readonly injected: InjectedFault[] = [];
  readonly puts: PutRecord[] = [];
  private lost = 0;

  constructor(
    private readonly catalog: OsmCatalog,
    /** The policy's settings: every PUT must carry them (translated to the target's key scheme). */
    private readonly policySettings: Readonly<Record<string, string>>,
    /** `secondPut`: the violation is a PUT while an operation is in flight (`sameBody`: the same PUT again). */
    private readonly onViolation: (what: string, secondPut?: { sameBody: boolean }) => void,
    private readonly beforeEffect: (label: string) => void = () => {},
  ) {
    super();
  }

  private inject(method: keyof ArmClient, clusterId: string): void {
    const error = this.failNext[method]?.shift();
    if (!error) return;
    this.injected.push({ method, clusterId: clusterId.toLowerCase(), error });
    throw error;
  }

  override async getCluster(clusterId: string) {
    this.inject('getCluster', clusterId);
    return super.getCluster(clusterId);
  }
  override async getExtension(clusterId: string, name: string) {
    this.inject('getExtension', clusterId);
    return super.getExtension(clusterId, name);
  }
  override async listExtensions(clusterId: string) {
    this.inject('listExtensions', clusterId);
    return super.listExtensions(clusterId);
  }
  override async getOperation(clusterId: string, extensionName: string, operationId: string) {
    this.inject('getOperation', clusterId);
    return super.getOperation(clusterId, extensionName, operationId);
  }
  override async beginDeleteExtension(clusterId: string, name: string) {
    this.beforeEffect(`arm.delete ${name}`);
    this.inject('beginDeleteExtension', clusterId);
    this.onViolation(`DELETE of ${name} on ${clusterId}: no hop deletes an extension`);
    return super.beginDeleteExtension(clusterId, name);
  }

  /** The operation running on that extension, if any. */
  inFlight(clusterId: string, name: string): FakeOperation | undefined {
    return [...this.operations.values()].find(
      (o) =>
        o.status.status === 'InProgress' &&
        o.clusterId.toLowerCase() === clusterId.toLowerCase() &&
        o.extensionName.toLowerCase() === name.toLowerCase(),
    );
  }

  override async beginPutExtension(
    clusterId: string,
    name: string,
    desired: DesiredExtension,
  ): Promise<StartedOperation> {
    this.beforeEffect(`arm.put ${name}`);
    this.inject('beginPutExtension', clusterId);
    const record: PutRecord = {
      clusterId: clusterId.toLowerCase(),
      version: desired.version,
      settings: { ...desired.configurationSettings },
    };
    this.puts.push(record);
    const running = this.inFlight(clusterId, name);
    if (running) {
      const sameBody =
        running.desired?.version === desired.version &&
        JSON.stringify(running.desired?.configurationSettings) ===
          JSON.stringify(desired.configurationSettings);
      this.onViolation(`second operation on ${clusterId}/${name} while ${running.id} is in flight`, {
        sameBody,
      });
      record.refused = true;
      throw new ConflictError(`operation ${running.id} is already in progress on the resource`, 'Conflict');
    }
    this.judgePut(clusterId, name, desired);
    const fault = this.putFaults.shift();
    if (fault) record.fault = fault;
    if (fault === 'neverApplied') {
      this.calls.push({ method: 'beginPutExtension', clusterId, name, desired: structuredClone(desired) });
      record.operationId = `lost-${++this.lost}`;
      return { operationId: record.operationId };
    }
    const started = await super.beginPutExtension(clusterId, name, desired);
    if (started.operationId) record.operationId = started.operationId;
    if (fault === 'lostResponse')
      throw new TransientError('the PUT timed out (ARM accepted it)', 0, 'RequestTimeout');
    return started;
  }

  /** Never a downgrade, never a lost setting, always a pinned version (OSM; the monitor is not pinned). */
  private judgePut(clusterId: string, name: string, desired: DesiredExtension): void {
    if (name.toLowerCase() !== 'osm') return;
    const where = `PUT ${clusterId}/${name}`;
    const target = desired.version;
    if (!target) {
      this.onViolation(`${where} without a pinned version`);
      return;
    }
    const ext = this.cluster(clusterId).extensions.find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (ext?.version && this.catalog.compare(target, ext.version) < 0)
      this.onViolation(`${where}: downgrade ${ext.version} -> ${target}`);
    const sent = desired.configurationSettings;
    const wanted = new Map(
      Object.entries(this.policySettings).map(([k, v]) => [translateKey(this.catalog, k, target), v]),
    );
    for (const [key, value] of wanted)
      if (sent[key] !== value) this.onViolation(`${where}: policy setting ${key}=${value} not sent`);
    for (const [k, v] of Object.entries(ext?.configurationSettings ?? {})) {
      const key = translateKey(this.catalog, k, target);
      if (sent[key] === undefined) this.onViolation(`${where}: setting ${k} of the extension lost`);
      else if (!wanted.has(key) && sent[key] !== v)
        this.onViolation(`${where}: setting ${k} changed ${v} -> ${sent[key]} without the policy`);
    }
  }
}
