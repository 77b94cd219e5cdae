/**
 * Entry point: renders the view of the current hash route, and renders it again while it moves. A change
 * of the hash shows "Loading…" at once and then the new page alone (a render of the old page still in
 * flight is dropped); a page whose subject does not exist (404) says "not found" and stops refreshing.
 */
import { ApiError } from './api.js';
import { clusterView } from './clusterView.js';
import { clustersView } from './clustersView.js';
import { complianceView } from './complianceView.js';
import { h } from './dom.js';
import { fleetView } from './fleetView.js';
import { ensureSession, forgetSession } from './keyPrompt.js';
import { policiesView } from './policiesView.js';
import { parseRoute, type Route } from './router.js';
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

function render(route: Route): Promise<Rendered> {
  switch (route.view) {
    case 'rollout':
      return rolloutView(route.id, ctx);
    case 'cluster':
      return clusterView(route.path, ctx);
    case 'clusters':
      return clustersView(route.filter);
    case 'policies':
      return policiesView();
    case 'compliance':
      return complianceView(route.policy, route.status, ctx);
    default:
      return fleetView(ctx);
  }
}

function notFound(route: Route, err: ApiError): Rendered {
  const what =
    route.view === 'rollout'
      ? `Rollout ${route.id}`
      : route.view === 'compliance'
        ? `Policy ${route.policy}`
        : 'This page';
  return {
    node: h(
      'section',
      { class: 'card', 'data-testid': 'not-found' },
      h('h1', {}, 'Not found'),
      h('p', {}, `${what} does not exist (${err.code}: ${err.message}).`),
      h('p', {}, h('a', { href: '#/' }, '← fleet')),
    ),
  };
}

async function show(navigated: boolean): Promise<void> {
  clearTimeout(timer);
  const mine = ++generation;
  const route = parseRoute(location.hash);
  if (navigated) {
    banner.hidden = true;
    view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  }
  let next: number | undefined;
  try {
    await ensureSession(view);
    const out = await render(route);
    if (mine !== generation) return; // a newer render started meanwhile
    view.replaceChildren(out.node);
    next = out.refreshMs;
  } catch (err) {
    if (mine !== generation) return;
    if (err instanceof ApiError && err.status === 404) {
      view.replaceChildren(notFound(route, err).node); // nothing to wait for: no more polling
      next = undefined;
    } else {
      if (err instanceof ApiError && err.status === 401) forgetSession(); // expired: the prompt again
      ctx.notify(
        err instanceof ApiError ? `${err.code}: ${err.message}` : `Cannot reach the API: ${String(err)}`,
      );
      next = 5_000; // try again
    }
  }
  live.hidden = next === undefined;
  if (next !== undefined) timer = setTimeout(() => void show(false), next);
}

window.addEventListener('hashchange', () => void show(true));
void show(true);
