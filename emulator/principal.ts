// The caller's identity from a bearer token: a JWT's oid (or appid/sub) if it parses, else the token text.

export function principalOf(token: string): string {
  const parts = token.split('.');
  if (parts.length === 3 && parts[1]) {
    try {
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      for (const claim of ['oid', 'appid', 'sub']) {
        if (typeof claims[claim] === 'string') return claims[claim];
      }
    } catch {
      // not a JWT: fall through
    }
  }
  return token.length > 64 ? token.slice(0, 64) : token;
}
