import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors.js';
import { MAX_SETTINGS, parsePolicy } from '../../shared/domain/policy.js';

const keys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`osm.osm.k${i}`, 'v']));

function refusal(run: () => unknown): ValidationError {
  try {
    run();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('not refused');
}

describe('settings limits', () => {
  it('the limit is 200 keys', () => expect(MAX_SETTINGS).toBe(200));

  it.each(['configurationSettings', 'configurationProtectedSettings'])('%s: 200 keys are taken', (field) => {
    const p = parsePolicy('p', { osm: { version: '1.2.6', [field]: keys(200) } });
    expect(Object.keys(p.osm[field as 'configurationSettings'])).toHaveLength(200);
  });

  it.each(['configurationSettings', 'configurationProtectedSettings'])(
    '%s: 201 keys are refused, naming the field',
    (field) => {
      const err = refusal(() => parsePolicy('p', { osm: { version: '1.2.6', [field]: keys(201) } }));
      expect(err.details).toContainEqual({ path: `osm.${field}`, message: 'at most 200 keys' });
    },
  );

  it('the limit counts each map on its own: 200 plain and 200 protected keys are taken together', () => {
    const p = parsePolicy('p', {
      osm: { version: '1.2.6', configurationSettings: keys(200), configurationProtectedSettings: keys(200) },
    });
    expect(Object.keys(p.osm.configurationProtectedSettings)).toHaveLength(200);
  });
});
