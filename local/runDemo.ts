/** The `npm start` demo: create the demo policy through the API, start a rollout, watch it, summarise it. */
import type { PolicyInput } from '../shared/domain/policy.js';
import { isTerminalRollout, type RolloutState } from '../shared/domain/rolloutState.js';
import { ProgressView, skipWords, type RolloutViewLike } from './progressView.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API responses, read by shape
type Json = any;

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function cancelStaleDemos(base: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await call(
      base,
      'GET',
      `/api/rollouts?top=100${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
    );
    for (const r of page.body.items as { id: string; policy: string; state: RolloutState }[]) {
      if (r.policy !== 'demo' || isTerminalRollout(r.state)) continue;
      console.log(`cancelling rollout ${r.id} (${r.state}), left by an earlier npm start`);
      const cancelled = await call(base, 'POST', `/api/rollouts/${r.id}/cancel`);
      if (cancelled.status !== 200)
        throw new Error(`cancel of ${r.id} failed: ${JSON.stringify(cancelled.body)}`);
    }
    token = page.body.continuationToken;
  } while (token);
}

/** The CLI as a user on this machine runs it against this stack (it reads the stack's context file). */
export function cliCommand(base: string): string {
  return new URL(base).port === '7071' ? 'npx osm-fleet' : `npx osm-fleet --endpoint ${base}/api`;
}

export async function runDemo(base: string, policy: PolicyInput): Promise<void> {
  await new Promise((r) => setTimeout(r, 1500)); // Resource Graph lags the seeded fleet by about a second
  const put = await call(base, 'PUT', '/api/policies/demo', policy);
  if (put.status >= 300) throw new Error(`PUT /api/policies/demo failed: ${JSON.stringify(put.body)}`);
  const plan = await call(base, 'POST', '/api/policies/demo/plan');
  const s = plan.body.summary;
  console.log(
    `\nplan for policy "demo" (OSM ${plan.body.targetVersion}): install ${s.install}, upgrade ${s.upgrade}, reconfigure ${s.reconfigure}, no change ${s.noChange}; skipped: ${skipWords(s.skipped)}`,
  );
  let created = await call(base, 'POST', '/api/rollouts', { policy: 'demo' });
  if (created.status === 409 && created.body?.error?.code === 'RolloutAlreadyRunning') {
    // A demo cut short (Ctrl-C) left its rollout active in .local/azurite; the emulator's fleet behind it is
    // gone (it is seeded afresh on every start): cancel it and start the demo again.
    await cancelStaleDemos(base);
    created = await call(base, 'POST', '/api/rollouts', { policy: 'demo' });
  }
  if (created.status !== 201) throw new Error(`POST /api/rollouts failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  console.log(`rollout ${id} started: ${base}/api/rollouts/${id}\n`);
  const view = new ProgressView();
  let r: RolloutViewLike;
  const started = Date.now();
  for (;;) {
    r = (await call(base, 'GET', `/api/rollouts/${id}`)).body;
    view.show(r);
    const open = r.counts.pending + r.counts.inProgress;
    if (
      ['Succeeded', 'Failed', 'Halted', 'Cancelled'].includes(r.state) ||
      (open === 0 && r.waves.every((w) => w.state === 'Completed'))
    )
      break;
    await new Promise((res) => setTimeout(res, 1000));
  }
  const c = r.counts;
  console.log(
    `\nsummary after ${Math.round((Date.now() - started) / 1000)} s: ${r.state}; ${c.succeeded} succeeded, ${c.failed} failed, ${c.skipped} skipped, ${c.deferred} deferred (offline), ${c.awaitingApproval} awaiting CRD approval`,
  );
  const cli = cliCommand(base);
  if (c.awaitingApproval) {
    console.log(`  clusters on OSM 0.8/0.9 need the manual CRD step before their next hop; once done:
    ${cli} rollout approve ${id} --all`);
  }
  if (c.failed) console.log(`  failures: ${cli} rollout clusters ${id} --state Failed`);
  console.log('\nstill serving; Ctrl-C to stop.');
}
