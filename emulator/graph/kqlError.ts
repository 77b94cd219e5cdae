// Errors raised while compiling or running a query; the handler maps them to ARG's error envelope.

export type KqlErrorKind = 'parser' | 'unsupported' | 'semantic' | 'limit';

export class KqlError extends Error {
  constructor(
    readonly kind: KqlErrorKind,
    /** ARG detail code, e.g. 'ParserFailure', 'UnsupportedOperator'. */
    readonly code: string,
    message: string,
    /** Offset in the query text, when known. */
    readonly start?: number,
    /** The offending token, when known. */
    readonly token?: string,
  ) {
    super(message);
    this.name = 'KqlError';
  }
}

export function unsupported(
  what: 'operator' | 'function' | 'expression',
  name: string,
  start?: number,
): KqlError {
  const code =
    what === 'operator'
      ? 'UnsupportedOperator'
      : what === 'function'
        ? 'UnsupportedFunction'
        : 'UnsupportedExpression';
  return new KqlError('unsupported', code, `${what} '${name}' is not supported by the emulator`, start, name);
}

export function semantic(code: string, message: string, start?: number, token?: string): KqlError {
  return new KqlError('semantic', code, message, start, token);
}
