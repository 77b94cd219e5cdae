/**
 * The dashboard's static files. `npm run build` writes index.html, style.css and the bundled app.js to
 * dist/dashboard/, next to dist/functions/, and they are read once per process. In development (tsx, vitest)
 * the folder is the repository's dashboard/, which has no app.js: the bundle is then made in memory, once, on
 * the first request, by dashboard/build.ts (esbuild, a development dependency).
 */
import { readFile } from 'node:fs/promises';

export interface Asset {
  contentType: string;
  body: string;
}

const DIR = new URL('../../dashboard/', import.meta.url);
const TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

let loaded: Promise<ReadonlyMap<string, Asset>> | undefined;

/** The files by name (`index.html`, `style.css`, `app.js`); nothing else is ever served. */
export function dashboardAssets(): Promise<ReadonlyMap<string, Asset>> {
  loaded ??= load().catch((err: unknown) => {
    loaded = undefined; // let the next request try again
    throw err;
  });
  return loaded;
}

async function load(): Promise<ReadonlyMap<string, Asset>> {
  const read = (name: string) => readFile(new URL(name, DIR), 'utf8');
  const [html, css, js] = await Promise.all([
    read('index.html'),
    read('style.css'),
    read('app.js').catch(devBundle),
  ]);
  const bodies: Record<string, string> = { 'index.html': html, 'style.css': css, 'app.js': js };
  return new Map(
    Object.entries(bodies).map(([name, body]) => [name, { contentType: TYPES[name] ?? '', body }]),
  );
}

async function devBundle(err: unknown): Promise<string> {
  if ((err as { code?: string }).code !== 'ENOENT') throw err;
  // Not a literal specifier on purpose: the production build (tsc) must not compile the build script.
  const script = new URL('build.ts', DIR).href;
  const build = (await import(script)) as { bundleDashboard(): Promise<string> };
  return build.bundleDashboard();
}
