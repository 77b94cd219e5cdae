// Runs before `npm start` and `npm test`: on a fresh clone, installs the locked dependencies first, so the
// README's quick start is exactly two commands. Plain JavaScript: it must run before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  console.error('osm-fleet: installing dependencies (npm ci), once...');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
