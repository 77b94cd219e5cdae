import type { Logger } from './domain/ports.js';

/** The process-level Logger: one JSON line per entry (fixed phrase + fields), which Application Insights keeps. */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit = (level: string, phrase: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ at: new Date().toISOString(), level, msg: phrase, ...fields }));
  return {
    info: (p, f) => emit('info', p, f),
    warn: (p, f) => emit('warn', p, f),
    error: (p, f) => emit('error', p, f),
  };
}
