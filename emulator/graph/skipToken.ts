// Opaque, stable $skipToken: the hash of the query and its scopes plus the next offset, base64-encoded.
import { createHash } from 'node:crypto';

interface TokenBody {
  readonly v: 1;
  /** Hash of query text and scopes. */
  readonly q: string;
  /** Offset of the next page. */
  readonly o: number;
}

export function queryHash(
  query: string,
  subscriptions: readonly string[],
  managementGroups: readonly string[],
): string {
  const scopes =
    [...subscriptions.map((s) => s.toLowerCase())].sort().join(',') +
    '|' +
    [...managementGroups].sort().join(',');
  return createHash('sha256').update(query).update('\u0000').update(scopes).digest('base64url').slice(0, 22);
}

export function encodeSkipToken(hash: string, offset: number): string {
  const body: TokenBody = { v: 1, q: hash, o: offset };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

/** The offset a token continues at, or undefined when it is malformed or belongs to another query. */
export function decodeSkipToken(token: string, hash: string): number | undefined {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Partial<TokenBody>;
    if (
      body.v !== 1 ||
      body.q !== hash ||
      typeof body.o !== 'number' ||
      !Number.isInteger(body.o) ||
      body.o < 0
    )
      return undefined;
    return body.o;
  } catch {
    return undefined;
  }
}
