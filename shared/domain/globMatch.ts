/**
 * Cluster-name globs (`*` any run of characters, `?` one character, everything else literal), matched
 * case-insensitively in time linear in the name: the glob is compiled once into the bit masks of a
 * non-deterministic automaton (one state per glob position, runs of `*` collapsed to one) and the name is read
 * once, left to right, updating the set of live states with a few word operations per character (the
 * Shift-And technique). Nothing backtracks, so no glob can make a match slower than one pass over the name;
 * a regular expression with `.*` runs could (`*?*?*?...Z` took 17 s on a 41-character name). See
 * docs/security.md, item 2.
 */

interface CompiledGlob {
  /** 32-bit words per state set. */
  words: number;
  /** Index of the accepting state (the glob's length after collapsing `*` runs). */
  accept: number;
  /** States at a `*`: they stay live on any character and also let the next state live. */
  star: Uint32Array;
  /** States at a `?`: they advance on any character. */
  any: Uint32Array;
  /** States at each literal character (lower-cased). */
  literal: ReadonlyMap<string, Uint32Array>;
}

/** Compiled globs by text; bounded, so a stream of distinct globs cannot grow it without limit. */
const compiled = new Map<string, CompiledGlob>();
const MAX_COMPILED = 2048;

/** Whether `name` matches `glob` (case-insensitive). */
export function globMatch(glob: string, name: string): boolean {
  return run(compile(glob), name.toLowerCase()).matched;
}

/**
 * The same answer plus the work done, in word operations: at most `words * (2 * name.length + 1)`, where
 * `words = ceil((glob.length + 1) / 32)` (two for a 63-character glob). For tests and benchmarks.
 */
export function globMatchWork(glob: string, name: string): { matched: boolean; steps: number } {
  const g = compileUncached(glob);
  const r = run(g, name.toLowerCase());
  return { matched: r.matched, steps: r.steps };
}

function compile(glob: string): CompiledGlob {
  let g = compiled.get(glob);
  if (!g) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    g = compileUncached(glob);
    compiled.set(glob, g);
  }
  return g;
}

function compileUncached(glob: string): CompiledGlob {
  const chars = Array.from(glob.toLowerCase().replace(/\*+/g, '*'));
  const words = Math.ceil((chars.length + 1) / 32);
  const star = new Uint32Array(words);
  const any = new Uint32Array(words);
  const literal = new Map<string, Uint32Array>();
  chars.forEach((c, i) => {
    if (c === '*') setBit(star, i);
    else if (c === '?') setBit(any, i);
    else {
      let mask = literal.get(c);
      if (!mask) literal.set(c, (mask = new Uint32Array(words)));
      setBit(mask, i);
    }
  });
  return { words, accept: chars.length, star, any, literal };
}

function run(g: CompiledGlob, name: string): { matched: boolean; steps: number } {
  const { words, star, any } = g;
  let live = new Uint32Array(words);
  let next = new Uint32Array(words);
  live[0] = 1;
  let steps = closeOverStars(live, star);
  const none = new Uint32Array(words);
  for (const c of name) {
    const lit = g.literal.get(c) ?? none;
    // next = ((live & (lit | any)) << 1) | (live & star), one word at a time, carrying the shifted-out bit.
    let carry = 0;
    let alive = 0;
    for (let w = 0; w < words; w++) {
      const l = live[w] ?? 0;
      const advancing = l & ((lit[w] ?? 0) | (any[w] ?? 0));
      const word = ((advancing << 1) | carry | (l & (star[w] ?? 0))) >>> 0;
      carry = advancing >>> 31;
      next[w] = word;
      alive |= word;
      steps++;
    }
    steps += closeOverStars(next, star);
    if (alive === 0) return { matched: false, steps }; // no live state: nothing can match any more
    [live, next] = [next, live];
  }
  const bit = g.accept;
  return { matched: (((live[bit >>> 5] ?? 0) >>> (bit & 31)) & 1) === 1, steps };
}

/** A live `*` state may also match nothing: the state after it becomes live (runs are collapsed, so once). */
function closeOverStars(states: Uint32Array, star: Uint32Array): number {
  let carry = 0;
  for (let w = 0; w < states.length; w++) {
    const atStar = (states[w] ?? 0) & (star[w] ?? 0);
    states[w] = ((states[w] ?? 0) | (atStar << 1) | carry) >>> 0;
    carry = atStar >>> 31;
  }
  return states.length;
}

function setBit(mask: Uint32Array, i: number): void {
  mask[i >>> 5] = ((mask[i >>> 5] ?? 0) | (1 << (i & 31))) >>> 0;
}
