/**
 * Key comparison in constant time over fixed-length digests (issue 14 item 11): both sides are hashed with
 * SHA-256 first, so `timingSafeEqual` always compares 32 bytes and neither the time taken nor an early
 * length check tells a caller anything about the key's length or content.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
