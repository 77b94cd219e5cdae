// Key Vault secrets data plane (api-version 7.x), from the REST spec
// vendor/specs/specification/keyvault/data-plane/Microsoft.KeyVault/stable/7.5/secrets.json: SetSecret
// (PUT /secrets/{name}: a new version each time), GetSecret (GET /secrets/{name}[/{version}]), DeleteSecret
// (DELETE /secrets/{name}: soft delete, all versions) and GetDeletedSecret. Served on the emulator's host,
// which is then the vault URL. Challenge auth as Key Vault does it: a request without a bearer token gets
// 401 with `WWW-Authenticate: Bearer authorization="<authority>/<tenant>", resource="https://vault.azure.net"`
// (learn.microsoft.com/azure/key-vault/general/rest-error-codes, "HTTP 401"). A soft-deleted name cannot be
// set again until purged or recovered (409). docs/emulator.md, "Key Vault secrets".
import { randomBytes } from 'node:crypto';
import type { ArmResponse } from './httpTypes.js';

export const VAULT_RESOURCE = 'https://vault.azure.net';
const API_VERSIONS = new Set(['7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '2025-07-01']);
const NAME = /^[0-9a-zA-Z-]{1,127}$/;
/** Key Vault's secret value limit: 25 KiB (learn.microsoft.com/azure/key-vault/general/service-limits). */
const MAX_VALUE_BYTES = 25 * 1024;
const RETENTION_DAYS = 90;

interface SecretVersion {
  version: string;
  value: string;
  contentType?: string;
  tags: Record<string, string>;
  created: number;
}

interface VaultSecret {
  name: string;
  versions: SecretVersion[];
  deletedDate?: number;
}

export interface VaultRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string;
  baseUrl: string;
  tenantId: string;
  nowMs: number;
}

export class KeyVaultSecrets {
  private readonly secrets = new Map<string, VaultSecret>();

  /** Whether the path is the vault's (the emulator's other routes never start like this). */
  static owns(path: string): boolean {
    return /^\/(secrets|deletedsecrets)(\/|$)/i.test(path);
  }

  clear(): void {
    this.secrets.clear();
  }

  /** Every value held, deleted or not (tests look for values here; never served). */
  allValues(): string[] {
    return [...this.secrets.values()].flatMap((s) => s.versions.map((v) => v.value));
  }

  handle(req: VaultRequest): ArmResponse {
    if (!/^Bearer\s+\S+/i.test(req.authorization))
      return {
        status: 401,
        headers: {
          'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/${req.tenantId}", resource="${VAULT_RESOURCE}"`,
        },
        body: kvError('Unauthorized', 'AKV10000: Request is missing a Bearer or PoP token.'),
      };
    const apiVersion = req.query.get('api-version') ?? '';
    if (!API_VERSIONS.has(apiVersion))
      return {
        status: 400,
        body: kvError('BadParameter', 'The request URI contains an invalid API version.'),
      };
    const parts = req.path.split('/').filter((p) => p !== '');
    const [collection = '', name = '', version = ''] = parts;
    if (parts.length > 3 || !NAME.test(name))
      return { status: 400, body: kvError('BadParameter', `Invalid secret name or path: ${req.path}`) };
    const key = name.toLowerCase(); // secret names are case-insensitive
    const route = `${req.method} ${collection.toLowerCase()}${parts.length === 3 ? '/v' : ''}`;
    switch (route) {
      case 'PUT secrets':
        return this.set(req, key, name);
      case 'GET secrets':
      case 'GET secrets/v':
        return this.get(req, key, name, version);
      case 'DELETE secrets':
        return this.remove(req, key, name);
      case 'GET deletedsecrets':
        return this.getDeleted(req, key, name);
      default:
        return {
          status: 405,
          body: kvError('MethodNotAllowed', `${req.method} ${req.path} is not supported.`),
        };
    }
  }

  private set(req: VaultRequest, key: string, name: string): ArmResponse {
    const b = req.body as { value?: unknown; contentType?: unknown; tags?: unknown } | undefined;
    if (!b || typeof b.value !== 'string')
      return {
        status: 400,
        body: kvError('BadParameter', 'Property value is required and must be a string.'),
      };
    if (Buffer.byteLength(b.value) > MAX_VALUE_BYTES)
      return {
        status: 400,
        body: kvError('BadParameter', 'Secret value exceeds the maximum size of 25 KB.'),
      };
    const existing = this.secrets.get(key);
    if (existing?.deletedDate !== undefined)
      return {
        status: 409,
        body: kvError(
          'Conflict',
          `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
        ),
      };
    const tags =
      b.tags && typeof b.tags === 'object'
        ? Object.fromEntries(Object.entries(b.tags).map(([k, v]) => [k, String(v)]))
        : {};
    const v: SecretVersion = {
      version: randomBytes(16).toString('hex'),
      value: b.value,
      ...(typeof b.contentType === 'string' ? { contentType: b.contentType } : {}),
      tags,
      created: Math.floor(req.nowMs / 1000),
    };
    const secret = existing ?? { name, versions: [] };
    secret.versions.push(v);
    this.secrets.set(key, secret);
    return { status: 200, body: bundle(req.baseUrl, secret, v, true) };
  }

  private get(req: VaultRequest, key: string, name: string, version: string): ArmResponse {
    const secret = this.secrets.get(key);
    const v =
      secret && secret.deletedDate === undefined
        ? version === ''
          ? secret.versions.at(-1)
          : secret.versions.find((x) => x.version === version.toLowerCase())
        : undefined;
    if (!secret || !v) return notFound(name, version);
    return { status: 200, body: bundle(req.baseUrl, secret, v, true) };
  }

  private remove(req: VaultRequest, key: string, name: string): ArmResponse {
    const secret = this.secrets.get(key);
    const latest = secret?.versions.at(-1);
    if (!secret || !latest || secret.deletedDate !== undefined) return notFound(name, '');
    secret.deletedDate = Math.floor(req.nowMs / 1000);
    return { status: 200, body: deletedBundle(req.baseUrl, secret, latest) };
  }

  private getDeleted(req: VaultRequest, key: string, name: string): ArmResponse {
    const secret = this.secrets.get(key);
    const latest = secret?.versions.at(-1);
    if (!secret || !latest || secret.deletedDate === undefined)
      return { status: 404, body: kvError('SecretNotFound', `Deleted Secret not found: ${name}`) };
    return { status: 200, body: deletedBundle(req.baseUrl, secret, latest) };
  }
}

function kvError(code: string, message: string) {
  return { error: { code, message } };
}

function notFound(name: string, version: string): ArmResponse {
  const what = version ? `${name}/${version}` : name;
  return {
    status: 404,
    body: kvError('SecretNotFound', `A secret with (name/id) ${what} was not found in this key vault.`),
  };
}

function attributes(v: SecretVersion) {
  return {
    enabled: true,
    created: v.created,
    updated: v.created,
    recoveryLevel: 'Recoverable+Purgeable',
    recoverableDays: RETENTION_DAYS,
  };
}

function bundle(baseUrl: string, secret: VaultSecret, v: SecretVersion, withValue: boolean) {
  return {
    ...(withValue ? { value: v.value } : {}),
    id: `${baseUrl}/secrets/${secret.name}/${v.version}`,
    ...(v.contentType !== undefined ? { contentType: v.contentType } : {}),
    attributes: attributes(v),
    tags: v.tags,
  };
}

function deletedBundle(baseUrl: string, secret: VaultSecret, latest: SecretVersion) {
  const deletedDate = secret.deletedDate ?? 0;
  return {
    ...bundle(baseUrl, secret, latest, false),
    recoveryId: `${baseUrl}/deletedsecrets/${secret.name}`,
    deletedDate,
    scheduledPurgeDate: deletedDate + RETENTION_DAYS * 86_400,
  };
}
