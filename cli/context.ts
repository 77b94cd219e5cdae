/** What every command needs: the resolved endpoint and key, an API client, the output format and paging flags. */
import type { Command } from 'commander';
import { ApiClient } from './apiClient.js';
import { resolveSettings } from './config.js';
import { UsageError } from './errors.js';

export interface GlobalOptions {
  endpoint?: string;
  key?: string;
  output: 'table' | 'json';
  timeout: string;
}

export interface Ctx {
  client: ApiClient;
  json: boolean;
}

export function ctxOf(cmd: Command): Ctx {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  const settings = resolveSettings({ endpoint: o.endpoint, key: o.key });
  const timeoutMs = positiveNumber(o.timeout, '--timeout') * 1000;
  return {
    client: new ApiClient({
      endpoint: settings.endpoint,
      ...(settings.key ? { key: settings.key } : {}),
      timeoutMs,
    }),
    json: o.output === 'json',
  };
}

export function positiveNumber(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag}: must be a positive number, not "${value}"`);
  return n;
}

/** `--top N` / `--all` of the list commands: how many items to read (undefined: all of them). */
export function limitOf(o: { top?: string; all?: boolean }, fallback = 100): number | undefined {
  if (o.all) return undefined;
  if (o.top === undefined) return fallback;
  const n = Number(o.top);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--top: must be a positive integer, not "${o.top}"`);
  return n;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, null, 2));
}

/** The hint after a list cut short by `--top`. */
export function moreHint(more: boolean, shown: number): void {
  if (more) console.error(`(${shown} shown; more available: use --all or --top N)`);
}

/** A list: JSON (the items) or the table (`empty` when none), and the `--top` hint on stderr. */
export function printList<T>(
  ctx: Ctx,
  page: { items: T[]; more: boolean },
  render: (items: T[]) => string,
  empty: string,
): void {
  if (ctx.json) printJson(page.items);
  else console.log(page.items.length ? render(page.items) : empty);
  moreHint(page.more, page.items.length);
}
