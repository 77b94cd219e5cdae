/** Errors the CLI turns into exit codes: usage (2) and a deliberate exit with a code (a failed rollout: 1). */

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Ends the command with `code`; the message, if any, has been printed already. */
export class ExitWith extends Error {
  override readonly name = 'ExitWith';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
