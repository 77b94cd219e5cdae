// Runtime configuration of the emulator: timings, throttling, lag and the failure-mode switches.
// Everything here can be changed at run time with PUT /_emulator/config (a deep partial).

export type ConflictResponse = 'asyncFailure' | 'sync409';

/** String settings that take one of a few values. */
const CHOICES: Record<string, readonly string[]> = {
  conflictResponse: ['asyncFailure', 'sync409'],
  graphVersionProperty: ['InstalledVersion', 'CurrentVersion'],
};

export interface BucketConfig {
  burst: number;
  perSecond: number;
}

export interface EmulatorConfig {
  /** Time an extension install/upgrade/delete takes, plus or minus jitter (ms). */
  installMs: number;
  installJitterMs: number;
  /** Time from a cluster PUT to connectivityStatus Connected (ms). */
  connectMs: number;
  /** Delay before an ARM write shows up in Resource Graph (ms). */
  graphLagMs: number;
  /** How long the SDK should wait between polls (Retry-After on 201/202 and operation polls, seconds). */
  retryAfterSeconds: number;
  /** Page size of ARM list calls (nextLink). */
  listPageSize: number;
  throttling: {
    enabled: boolean;
    read: BucketConfig;
    write: BucketConfig;
    delete: BucketConfig;
  };
  failureModes: {
    /** A write on an extension while its operation is in progress conflicts (else it supersedes the old one). */
    conflictWhileInProgress: boolean;
    /**
     * How a conflict is answered: `asyncFailure` (default, the harsher reading) accepts the write (200/202 with
     * `Azure-AsyncOperation`) and fails its operation with `UpdateFailed`; `sync409` refuses it at once.
     */
    conflictResponse: ConflictResponse;
    /** After a delete, the release namespace keeps terminating this long; a reinstall inside fails (ms). */
    namespaceLingerMs: number;
    /** An operation on an Offline/Expired cluster fails after this long (the "scaled hour", ms). */
    offlineTimeoutMs: number;
    /** Fraction of installs that fail with a Helm timeout ("pods never ready"). */
    helmTimeoutRate: number;
    /** Fraction of operations that never converge (stay InProgress until the offline timeout). */
    neverConvergeRate: number;
    /** Deleting a cluster cancels its extensions' in-flight operations (status Canceled). */
    cancelOnClusterDelete: boolean;
    /** Return protected-settings keys with empty values (as the CLI shows) instead of omitting them. */
    protectedKeysInResponse: boolean;
  };
  /**
   * The KubernetesConfigurationResources property that holds an extension's running version. No public source
   * says which of the two names ARG uses (docs/emulator.md, ledger): `InstalledVersion` (the default, the
   * harsher reading: the name the API dropped in 2023-05-01) or `CurrentVersion` (the API's current name).
   */
  graphVersionProperty: GraphVersionProperty;
  /** Seed for jitter and rates. */
  randomSeed: number;
}

export type GraphVersionProperty = 'InstalledVersion' | 'CurrentVersion';

export function defaultConfig(): EmulatorConfig {
  return {
    installMs: 3000,
    installJitterMs: 1000,
    connectMs: 1000,
    graphLagMs: 1000,
    retryAfterSeconds: 1,
    listPageSize: 100,
    throttling: {
      enabled: true,
      read: { burst: 250, perSecond: 25 },
      write: { burst: 200, perSecond: 10 },
      delete: { burst: 200, perSecond: 10 },
    },
    failureModes: {
      conflictWhileInProgress: true,
      conflictResponse: 'asyncFailure',
      namespaceLingerMs: 10_000,
      offlineTimeoutMs: 60_000,
      helmTimeoutRate: 0,
      neverConvergeRate: 0,
      cancelOnClusterDelete: true,
      protectedKeysInResponse: false,
    },
    graphVersionProperty: 'InstalledVersion',
    randomSeed: 42,
  };
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Merge a partial config into the config in place (only known keys, same types). */
export function applyConfig(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (!(key in target)) throw new Error(`unknown config key '${key}'`);
    const current = target[key];
    if (current !== null && typeof current === 'object') {
      if (value === null || typeof value !== 'object')
        throw new Error(`config key '${key}' must be an object`);
      applyConfig(current as Record<string, unknown>, value as Record<string, unknown>);
    } else {
      if (typeof value !== typeof current) throw new Error(`config key '${key}' must be a ${typeof current}`);
      const choices = CHOICES[key];
      if (choices && !choices.includes(value as string))
        throw new Error(`config key '${key}' must be one of ${choices.join(', ')}`);
      target[key] = value;
    }
  }
}
