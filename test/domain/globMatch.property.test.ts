/**
 * Cluster-name globs (issue 14, item 2; docs/security.md): the matcher agrees with the reference semantics
 * of `*` and `?` on small inputs, and its work is bounded by the name's length, whatever the glob. The work
 * is counted in word operations (globMatchWork), never timed.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { globMatch, globMatchWork } from '../../shared/domain/globMatch.js';

/** The definition, by recursion: exponential, so only for small inputs. */
function reference(glob: string, name: string): boolean {
  if (glob === '') return name === '';
  const [g, ...restGlob] = glob;
  const rest = restGlob.join('');
  if (g === '*') return reference(rest, name) || (name !== '' && reference(glob, name.slice(1)));
  if (name === '') return false;
  return (g === '?' || g?.toLowerCase() === name[0]?.toLowerCase()) && reference(rest, name.slice(1));
}

/** The bound globMatchWork documents: `words * (2 * name.length + 1)`, words = ceil((glob + 1) / 32). */
const bound = (glob: string, name: string) => Math.ceil((glob.length + 1) / 32) * (2 * name.length + 1);

const PARAMS = { seed: 1414, numRuns: 3000 };
const smallGlob = fc.string({ unit: fc.constantFrom('a', 'B', '.', '-', '*', '?'), maxLength: 8 });
const smallName = fc.string({ unit: fc.constantFrom('a', 'A', 'b', '.', '-'), maxLength: 9 });
const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.');
const anyGlob = fc.string({
  unit: fc.oneof(nameChar, fc.constantFrom('*', '?')),
  minLength: 1,
  maxLength: 63,
});
const anyName = fc.string({ unit: nameChar, minLength: 1, maxLength: 63 });

describe('globMatch', () => {
  it('agrees with the reference semantics on small globs and names (fixed seed)', () => {
    fc.assert(
      fc.property(smallGlob, smallName, (glob, name) => {
        expect(globMatch(glob, name)).toBe(reference(glob, name));
      }),
      PARAMS,
    );
  });

  it('does work bounded by the name length, for any glob of the policy alphabet (fixed seed)', () => {
    fc.assert(
      fc.property(anyGlob, anyName, (glob, name) => {
        const { matched, steps } = globMatchWork(glob, name);
        expect(steps).toBeLessThanOrEqual(bound(glob, name));
        expect(matched).toBe(globMatch(glob, name));
      }),
      PARAMS,
    );
  });

  it('answers the reported pattern in a single pass (it froze a regular expression for 17 s)', () => {
    const glob = '*?*?*?*?*?*?*?*?*?*?*?Z';
    const name = 'a'.repeat(41);
    const { matched, steps } = globMatchWork(glob, name);
    expect(matched).toBe(false);
    expect(steps).toBeLessThanOrEqual(bound(glob, name));
    expect(globMatch(glob, `${name}z`)).toBe(true); // case-insensitive
  });

  it.each([
    ['shop-*', 'shop-eu-1', true],
    ['SHOP-EU-?', 'shop-eu-1', true],
    ['shop', 'shop-eu-1', false],
    ['shop.eu-1', 'shop-eu-1', false],
    ['*', '', true],
    ['', '', true],
    ['?', '', false],
    ['a**b', 'ab', true],
    ['*-1', 'shop-eu-1', true],
    [`${'a'.repeat(40)}*`, 'a'.repeat(40), true], // states past the first 32-bit word
    [`*${'b'.repeat(40)}`, `x${'b'.repeat(40)}`, true],
    [`*${'b'.repeat(40)}`, `x${'b'.repeat(39)}`, false],
  ])('%s vs %s -> %s', (glob, name, expected) => {
    expect(globMatch(glob, name)).toBe(expected);
    expect(reference(glob, name)).toBe(expected);
  });
});
