/**
 * `osm-fleet ... | head -2`: when the reader closes the pipe, writing to stdout fails with EPIPE (an
 * 'error' event on the stream, a stack trace when nobody listens). The CLI then has nobody to talk to:
 * it ends at once, quietly, with the exit code it had so far (0 unless something failed before).
 */
export function exitQuietlyOnClosedPipe(
  streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams)
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    });
}
