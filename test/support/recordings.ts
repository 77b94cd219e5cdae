// Reads the vendored vcrpy cassettes in test/recordings/ (test/recordings/MANIFEST.md) into plain
// interactions, and compares JSON bodies by their property paths.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const RECORDINGS_ROOT = new URL('../recordings/', import.meta.url);

export interface RecordedInteraction {
  /** `<folder>/<file>#<index>`, the key the differences table in docs/emulator.md uses. */
  key: string;
  method: string;
  url: URL;
  requestBody: unknown;
  status: number;
  /** Response headers, lower-cased names, first value. */
  headers: Record<string, string>;
  rawBody: string;
  body: unknown;
}

interface Cassette {
  interactions: {
    request: { method: string; uri: string; body: string | null };
    response: {
      status: { code: number };
      headers: Record<string, string[] | string>;
      body: { string: string };
    };
  }[];
}

export function loadRecording(file: string): RecordedInteraction[] {
  const doc = parse(readFileSync(new URL(file, RECORDINGS_ROOT), 'utf8')) as Cassette;
  return doc.interactions.map((it, index) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(it.response.headers)) {
      headers[name.toLowerCase()] = String(Array.isArray(value) ? value[0] : value);
    }
    const rawBody = it.response.body.string ?? '';
    return {
      key: `${file}#${index}`,
      method: it.request.method,
      url: new URL(it.request.uri),
      requestBody: json(it.request.body ?? ''),
      status: it.response.status.code,
      headers,
      rawBody,
      body: json(rawBody),
    };
  });
}

function json(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The leaf property paths of a JSON value: `a.b`, array items as `a[]`, empty objects and arrays as leaves
 * (`a{}`, `a[]`), with the value's JSON type (`:null`, `:string`, ...).
 */
export function jsonPaths(value: unknown, prefix = ''): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, path: string): void => {
    if (Array.isArray(v)) {
      if (v.length === 0) out.add(`${path}[]:empty`);
      for (const item of v) walk(item, `${path}[]`);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 0) out.add(`${path}{}:empty`);
      for (const [k, item] of entries) walk(item, path ? `${path}.${k}` : k);
    } else {
      out.add(`${path}:${v === null ? 'null' : typeof v}`);
    }
  };
  walk(value, prefix);
  return out;
}

/** The value at a dotted path (no arrays). */
export function at(value: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      value,
    );
}
