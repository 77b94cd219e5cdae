#!/usr/bin/env node
// Launcher of the osm-fleet CLI: the compiled dist/cli/main.js after `npm run build`, else cli/main.ts through
// tsx, so `npx osm-fleet` works from a clone without a build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(fileURLToPath(compiled))) {
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../cli/main.ts', import.meta.url).href);
}
