/** SecretStore in memory for unit tests: versions per name, a deleted name keeps nothing readable. */
import { NotFoundError } from '../../shared/domain/errors.js';
import type { SecretStore } from '../../shared/domain/ports.js';

export class MemorySecretStore implements SecretStore {
  readonly secrets = new Map<string, Map<string, string>>();
  readonly deleted: string[] = [];
  private next = 1;

  set(name: string, value: string): Promise<string> {
    const version = `v${(this.next++).toString().padStart(4, '0')}`;
    const versions = this.secrets.get(name) ?? new Map<string, string>();
    versions.set(version, value);
    this.secrets.set(name, versions);
    return Promise.resolve(version);
  }

  get(name: string, version: string): Promise<string> {
    const value = this.secrets.get(name)?.get(version);
    return value === undefined
      ? Promise.reject(new NotFoundError(`secret ${name}/${version} not found`, 'SecretNotFound'))
      : Promise.resolve(value);
  }

  delete(name: string): Promise<void> {
    if (this.secrets.delete(name)) this.deleted.push(name);
    return Promise.resolve();
  }

  /** Every value of every version (to assert a value is or is not held). */
  values(): string[] {
    return [...this.secrets.values()].flatMap((v) => [...v.values()]);
  }
}
