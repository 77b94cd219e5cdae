/** The control surface answers loopback callers only: 127.0.0.1, ::1 and 127.0.0.1 mapped into IPv6. */
export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
