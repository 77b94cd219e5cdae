/**
 * Rollout ids: time-sortable and unique, valid as Table Storage keys (no `/`, `\`, `#`, `?`).
 * `20261125T100000123Z-3f9a1c0b`: the UTC instant to the millisecond, then 32 random bits, so two
 * instances creating a rollout in the same millisecond still get different ids.
 */
export function newRolloutId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  const random = new Uint32Array(1);
  globalThis.crypto.getRandomValues(random);
  return `${stamp}-${(random[0] ?? 0).toString(16).padStart(8, '0')}`;
}
