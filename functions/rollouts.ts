import { ROLLOUT_COMMANDS, type RolloutCommandName } from '../shared/functionNames.js';
import { createRollout } from '../shared/services/createRollout.js';
import { rolloutCommand } from '../shared/services/rolloutCommand.js';
import { getRolloutView, listRolloutClusters, listRollouts } from '../shared/services/rolloutViews.js';
import { HttpError } from './lib/errorResponse.js';
import { httpEndpoint } from './lib/httpEndpoint.js';
import { pageRequest } from './lib/paging.js';
import { readRolloutRequest, readApproveRequest } from './lib/rolloutRequests.js';

export const createRolloutFn = httpEndpoint({
  name: 'createRollout',
  methods: ['POST'],
  route: 'rollouts',
  handle: async (req) => {
    const { policy } = readRolloutRequest(await req.json());
    // Fleet-size work (sweep, plan, rows) runs on the planning queue: this answers at once, Planning.
    const created = await createRollout(req.app.deps, {
      policyName: policy,
      trigger: 'api',
      actor: req.actor,
      planLater: true,
    });
    const id = created.rollout.id;
    return {
      status: 201,
      body: await getRolloutView(req.app.deps, id),
      headers: { location: `/api/rollouts/${encodeURIComponent(id)}` },
    };
  },
});

export const listRolloutsFn = httpEndpoint({
  name: 'listRollouts',
  methods: ['GET'],
  route: 'rollouts',
  handle: async ({ app, query }) => ({ status: 200, body: await listRollouts(app.deps, pageRequest(query)) }),
});

export const getRolloutFn = httpEndpoint({
  name: 'getRollout',
  methods: ['GET'],
  route: 'rollouts/{id}',
  handle: async ({ app, params }) => ({ status: 200, body: await getRolloutView(app.deps, params.id ?? '') }),
});

export const listRolloutClustersFn = httpEndpoint({
  name: 'listRolloutClusters',
  methods: ['GET'],
  route: 'rollouts/{id}/clusters',
  handle: async ({ app, params, query }) => {
    const state = query.get('state') ?? undefined;
    const body = await listRolloutClusters(
      app.deps,
      params.id ?? '',
      state ? { state } : {},
      pageRequest(query),
    );
    return { status: 200, body };
  },
});

export const rolloutCommandFn = httpEndpoint({
  name: 'rolloutCommand',
  methods: ['POST'],
  route: 'rollouts/{id}/{command}',
  handle: async (req) => {
    const command = req.params.command ?? '';
    if (!(ROLLOUT_COMMANDS as readonly string[]).includes(command))
      throw new HttpError(
        404,
        'UnknownCommand',
        `"${command}" is not a rollout command (${ROLLOUT_COMMANDS.join(', ')})`,
      );
    const args = command === 'approve' ? readApproveRequest(await req.json()) : undefined;
    const view = await rolloutCommand(
      req.app.deps,
      req.params.id ?? '',
      command as RolloutCommandName,
      args,
      req.actor,
    );
    return { status: 200, body: view };
  },
});
