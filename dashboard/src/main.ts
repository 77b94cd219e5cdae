/** Entry point: renders the view of the current hash route, and renders it again while it moves. */
import { ApiError } from './api.js';
import { clusterView } from './clusterView.js';
import { fleetView } from './fleetView.js';
import { ensureSession, forgetSession } from './keyPrompt.js';
import { parseRoute } from './router.js';
import { rolloutView } from './rolloutView.js';
import type { Rendered, ViewContext } from './view.js';

const view = document.getElementById('view') as HTMLElement;
const banner = document.getElementById('banner') as HTMLElement;
const live = document.getElementById('live') as HTMLElement;
let generation = 0;
let timer: ReturnType<typeof setTimeout> | undefined;

const ctx: ViewContext = {
  refresh: () => void show(false),
  notify(message, kind = 'error') {
    banner.textContent = message;
    banner.className = `banner ${kind}`;
    banner.hidden = false;
  },
};

function render(): Promise<Rendered> {
  const route = parseRoute(location.hash);
  if (route.view === 'rollout') return rolloutView(route.id, ctx);
  if (route.view === 'cluster') return clusterView(route.path);
  return fleetView();
}

async function show(navigated: boolean): Promise<void> {
  clearTimeout(timer);
  const mine = ++generation;
  if (navigated) banner.hidden = true;
  let next: number | undefined;
  try {
    await ensureSession(view);
    const out = await render();
    if (mine !== generation) return; // a newer render started meanwhile
    view.replaceChildren(out.node);
    next = out.refreshMs;
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof ApiError && err.status === 401) forgetSession(); // expired: the prompt again
    ctx.notify(
      err instanceof ApiError ? `${err.code}: ${err.message}` : `Cannot reach the API: ${String(err)}`,
    );
    next = 5_000; // try again
  }
  live.hidden = next === undefined;
  if (next !== undefined) timer = setTimeout(() => void show(false), next);
}

window.addEventListener('hashchange', () => void show(true));
void show(true);
