/**
 * A small reader of Bicep text for the infra consistency tests (no Bicep compiler can run here). It knows
 * single-quoted strings (with `\'` escapes and `${…}` interpolation), `//` and block comments, and balanced
 * braces; enough to find resources, variables, parameters and outputs and to read the keys of an object.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const INFRA_DIR = join(import.meta.dirname, '..', '..', 'infra');

export interface BicepFile {
  /** Path relative to infra/, with `/`. */
  path: string;
  /** The text with comments blanked out (strings kept). */
  code: string;
  /** The original text, comments included. */
  raw: string;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  /** What stands between `=` and the body: `[for x in xs:` for a loop, `if (…)` for a condition. */
  head: string;
  /** The body, from its `{` to the matching `}`. */
  body: string;
  /** Offset of the `resource` keyword in `code`. */
  index: number;
}

/** Blanks out comments, keeping strings and offsets (comments become spaces, newlines stay). */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Index just past the string literal starting at `start` (a `'`). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === "'") return i + 1;
    else i++;
  }
  return i;
}

/** The text from the bracket at `open` (`{` or `[`) to its matching close, strings skipped. */
export function balanced(code: string, open: number): string {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === "'") i = stringEnd(code, i) - 1;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') {
      depth--;
      if (depth === 0) return code.slice(open, i + 1);
    }
  }
  throw new Error(`unbalanced brackets from offset ${open}`);
}

export function readBicep(path: string): BicepFile {
  const raw = readFileSync(join(INFRA_DIR, path), 'utf8');
  return { path, raw, code: stripComments(raw) };
}

/** Every .bicep file under infra/. */
export function allBicepFiles(): BicepFile[] {
  const files = readdirSync(INFRA_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.bicep'))
    .map((f) => relative(INFRA_DIR, join(INFRA_DIR, f)).split('\\').join('/'));
  return files.sort().map(readBicep);
}

const RESOURCE = /\bresource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing\s*)?=/g;

export function resources(file: BicepFile): BicepResource[] {
  return [...file.code.matchAll(RESOURCE)].map((m) => {
    const open = file.code.indexOf('{', m.index + m[0].length);
    return {
      symbol: m[1] ?? '',
      type: m[2] ?? '',
      apiVersion: m[3] ?? '',
      existing: m[4] !== undefined,
      head: file.code.slice(m.index + m[0].length, open).trim(),
      body: balanced(file.code, open),
      index: m.index,
    };
  });
}

/** The value (object or array text) of `var name = {…}` / `[…]`. */
export function varValue(file: BicepFile, name: string): string {
  const m = new RegExp(`\\bvar\\s+${name}\\s*=\\s*`).exec(file.code);
  if (!m) throw new Error(`${file.path}: no var ${name}`);
  return balanced(file.code, m.index + m[0].length);
}

/** Keys of an object literal at its top level (`key: …` or `'key': …`, one a line or comma-separated). */
export function topLevelKeys(objectText: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < objectText.length; i++) {
    const c = objectText[i] ?? '';
    if (depth === 1 && expectKey && !/\s/.test(c)) {
      expectKey = false;
      const m = /^(?:([A-Za-z_]\w*)|'([^']+)')\s*:/.exec(objectText.slice(i));
      if (m) keys.push(m[1] ?? m[2] ?? '');
    }
    if (c === "'") i = stringEnd(objectText, i) - 1;
    else if (c === '{' || c === '[' || c === '(') expectKey = ++depth === 1;
    else if (c === '}' || c === ']' || c === ')') depth--;
    else if (depth === 1 && (c === ',' || c === '\n')) expectKey = true;
  }
  return keys;
}

/** The value text after `key:` (first match): up to a newline, `,` or closing bracket outside brackets. */
export function property(objectText: string, key: string): string | undefined {
  const m = new RegExp(`(?:^|[\\s{,])${key}\\s*:\\s*`).exec(objectText);
  if (!m) return undefined;
  const start = m.index + m[0].length;
  let depth = 0;
  let i = start;
  for (; i < objectText.length; i++) {
    const c = objectText[i];
    if (c === "'") i = stringEnd(objectText, i) - 1;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (depth > 0 && (c === '}' || c === ']' || c === ')')) depth--;
    else if (depth === 0 && (c === '\n' || c === ',' || c === '}' || c === ']' || c === ')')) break;
  }
  const value = objectText.slice(start, i).trim();
  // Objects and arrays keep their lines (to be read further); a call over several lines becomes one line.
  if (value.startsWith('{') || value.startsWith('[')) return value;
  return value.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,? \)/g, ')');
}

/** Every plain single-quoted string literal (no interpolation) in the text, unquoted. */
export function stringLiterals(text: string): string[] {
  return [...text.matchAll(/'((?:[^'\\$]|\\.|\$(?!\{))*)'/g)].map((m) => m[1] ?? '');
}

export interface Declaration {
  name: string;
  type: string;
  /** The default value text for params, the value text for outputs; undefined for a param without one. */
  value?: string;
}

export function params(file: BicepFile): Declaration[] {
  return [...file.code.matchAll(/^\s*param\s+(\w+)\s+(\w+)(?:\s*=\s*([^\n]+))?/gm)].map((m) => ({
    name: m[1] ?? '',
    type: m[2] ?? '',
    ...(m[3] !== undefined ? { value: m[3].trim() } : {}),
  }));
}

export function outputs(file: BicepFile): Declaration[] {
  return [...file.code.matchAll(/^\s*output\s+(\w+)\s+(\w+)\s*=\s*([^\n]+)/gm)].map((m) => ({
    name: m[1] ?? '',
    type: m[2] ?? '',
    value: (m[3] ?? '').trim(),
  }));
}

/** The comment lines directly above the declaration at `index` in the raw text. */
export function leadingComment(file: BicepFile, index: number): string {
  const before = file.raw.slice(0, index).split('\n');
  before.pop(); // the declaration's own line, up to the keyword
  const comment: string[] = [];
  for (let line = before.pop(); line !== undefined && /^\s*\/\//.test(line); line = before.pop())
    comment.unshift(line.replace(/^\s*\/\/\s?/, ''));
  return comment.join(' ');
}
