import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey, isValidKey, MAX_KEY_LENGTH } from '../../shared/store/encodeKey.js';
import { ValidationError } from '../../shared/domain/errors.js';

const ARM_ID =
  '/subscriptions/6A1B2C3D-0000-4000-8000-00000000000A/resourceGroups/My_RG.(prod)-1/providers/Microsoft.Kubernetes/connectedClusters/Shop-East.1';

describe('encodeKey', () => {
  it('keeps an ARM id readable: lower case, / as |', () => {
    expect(encodeKey(ARM_ID)).toBe(
      '|subscriptions|6a1b2c3d-0000-4000-8000-00000000000a|resourcegroups|my_rg.(prod)-1|providers|microsoft.kubernetes|connectedclusters|shop-east.1',
    );
    expect(decodeKey(encodeKey(ARM_ID))).toBe(ARM_ID.toLowerCase());
  });

  it('escapes the forbidden characters and its own', () => {
    expect(encodeKey('a\\b#c?d|e~f%g\th\u007fi\u0085')).toBe('a~5cb~23c~3fd~7ce~7ef~25g~09h~7fi~85');
  });

  it('decode(encode(x)) is lower(x); keys hold no forbidden character (any string)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const key = encodeKey(s);
        expect(isValidKey(key)).toBe(true);
        expect(decodeKey(key)).toBe(s.toLowerCase());
      }),
      { numRuns: 2000 },
    );
  });

  it('realistic ARM ids stay far below 1 KiB', () => {
    const name = fc.stringMatching(/^[A-Za-z0-9][-_.A-Za-z0-9()]{0,89}$/);
    fc.assert(
      fc.property(fc.uuid(), name, name, (sub, rg, cl) => {
        const id = `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${cl}`;
        const key = encodeKey(id);
        expect(key.length).toBe(id.length);
        expect(key.length).toBeLessThanOrEqual(MAX_KEY_LENGTH);
        expect(decodeKey(key)).toBe(id.toLowerCase());
      }),
    );
  });

  it('refuses keys over 1 KiB and malformed escapes', () => {
    expect(() => encodeKey('#'.repeat(400))).toThrow(ValidationError);
    expect(() => decodeKey('a~zz')).toThrow(ValidationError);
    expect(() => decodeKey('a~1')).toThrow(ValidationError);
  });
});
