import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { parseWorkMessage, readWorkMessage } from '../../shared/domain/workMessage.js';

const ok = { rolloutId: 'r1', clusterId: '/subscriptions/s/x/c1', hop: 2 };

describe('readWorkMessage (the one validation of a work message)', () => {
  it.each([
    [ok, ok],
    [JSON.stringify(ok), ok],
    [
      { ...ok, operationId: 'op-1' },
      { ...ok, operationId: 'op-1' },
    ],
    [{ ...ok, extra: 'dropped' }, ok],
  ])('%j is read as %j', (input, message) => {
    expect(readWorkMessage(input)).toEqual({ ok: true, message });
  });

  it.each([
    ['{"rolloutId":', 'not JSON'],
    [null, '(message)'],
    ['"text"', '(message)'],
    [{ ...ok, hop: 'x' }, 'hop'],
    [{ ...ok, hop: 1.5 }, 'hop'],
    [{ ...ok, hop: -1 }, 'hop'],
    [{ ...ok, rolloutId: '' }, 'rolloutId'],
    [{ clusterId: 'c', hop: 0 }, 'rolloutId'],
    [{ ...ok, operationId: 7 }, 'operationId'],
  ])('%j is malformed, the reason naming %s', (input, where) => {
    const read = readWorkMessage(input);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.reason).toContain(where);
  });

  it('parseWorkMessage throws ValidationError MalformedWorkMessage with the reason', () => {
    expect(() => parseWorkMessage({ ...ok, hop: 'x' })).toThrow(ValidationError);
    expect(() => parseWorkMessage({ ...ok, hop: 'x' })).toThrow(/malformed work message: hop: /);
  });
});
