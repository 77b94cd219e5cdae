/**
 * Bundles the dashboard with esbuild: dashboard/src/main.ts -> one minified app.js (no source map, no
 * comments). `npm run build:dashboard` writes it, with index.html and style.css, to dist/dashboard/;
 * functions/lib/dashboardAssets.ts calls `bundleDashboard()` in memory when run from the sources.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));

export async function bundleDashboard(): Promise<string> {
  const result = await build({
    entryPoints: [here('src/main.ts')],
    tsconfig: here('tsconfig.json'),
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0]?.text;
  if (js === undefined) throw new Error('esbuild produced no output for the dashboard');
  return js;
}

export async function buildDashboard(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeFile(`${outDir}/app.js`, await bundleDashboard());
  await copyFile(here('index.html'), `${outDir}/index.html`);
  await copyFile(here('style.css'), `${outDir}/style.css`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outDir = process.argv[2] ?? 'dist/dashboard';
  await buildDashboard(outDir);
  console.log(`dashboard built to ${outDir}/ (app.js, index.html, style.css)`);
}
