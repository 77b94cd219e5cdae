/**
 * The repository stands alone: no source, test, script or doc reaches a path outside the repository (such as
 * the documents folder `../shared/` that sits beside the developers' checkout and nowhere else). What the code
 * needs from outside is vendored under vendor/ (vendor/MANIFEST.md). `.ci/run` also runs the whole suite
 * from a copy of the repository in a fresh temporary folder, which catches what a text search cannot.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SELF = 'test/lint/standsAlone.test.ts';
const TEXT = /\.(ts|tsx|mjs|cjs|js|json|md|bicep|yaml|yml|sh|html|css)$|(^|\/)run$/;

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => f && TEXT.test(f) && !f.startsWith('vendor/') && f !== 'package-lock.json')
    .filter((f) => f !== SELF); // this file's own samples of what must be refused
}

const outside = (file: string, rel: string): boolean => {
  const target = resolve(ROOT, dirname(file), rel);
  const r = relative(ROOT, target);
  return r === '..' || r.startsWith(`..${sep}`);
};

/** Relative paths in quotes, backticks or markdown links that resolve outside the repository. */
export function escapingPaths(file: string, text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(['"`(])(\.\.\/[^'"`)\s]*)/g)) {
    const rel = m[2] ?? '';
    // Prose in docs names paths from the repository's root (`../shared/specs`); links and code, from the file.
    const from = file.endsWith('.md') && m[1] === '`' ? 'README.md' : file;
    if (outside(from, rel)) found.push(rel);
  }
  // join(import.meta.dirname, '..', '..', ...) climbing above the root, and anything relative to the cwd's parent.
  for (const m of text.matchAll(/(import\.meta\.dirname|__dirname)((?:\s*,\s*'\.\.')+)/g)) {
    const ups = (m[2]?.match(/'\.\.'/g) ?? []).length;
    if (outside(file, join(...Array<string>(ups).fill('..')))) found.push(m[0]);
  }
  for (const m of text.matchAll(/process\.cwd\(\)\s*,\s*'\.\.'/g)) found.push(m[0]);
  return found;
}

describe('the repository stands alone', () => {
  it('the detector finds what leaves the repository and passes what stays inside', () => {
    expect(
      escapingPaths('test/emulator/x.ts', "resolve(process.cwd(), '..', 'shared', 'specs')"),
    ).toHaveLength(1);
    expect(escapingPaths('docs/emulator.md', 'written from `../shared/specs`')).toEqual(['../shared/specs']);
    expect(
      escapingPaths('test/a/b.ts', "join(import.meta.dirname, '..', '..', '..', 'shared')"),
    ).toHaveLength(1);
    expect(escapingPaths('test/a/b.ts', "join(import.meta.dirname, '..', '..', 'host.json')")).toEqual([]);
    expect(escapingPaths('test/a/b.ts', "import x from '../../shared/domain/records.js'")).toEqual([]);
    expect(escapingPaths('docs/a.md', 'see [the API](../README.md)')).toEqual([]);
  });

  it('no tracked file names a path outside the repository', () => {
    const offenders: string[] = [];
    for (const file of trackedFiles()) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const p of escapingPaths(file, text)) offenders.push(`${file}: ${p}`);
    }
    expect(offenders).toEqual([]);
  });
});
