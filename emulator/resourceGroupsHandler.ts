// Resource groups: PUT (201 new / 200 existing) and GET. Groups also come into being on first use.
import { ArmError } from './armError.js';
import type { EmulatorContext } from './emulatorContext.js';
import type { ArmRequest, ArmResponse } from './httpTypes.js';

type Json = Record<string, unknown>;

export function handleResourceGroup(
  ctx: EmulatorContext,
  req: ArmRequest,
  sub: string,
  name: string,
): ArmResponse {
  const key = `${sub}/${name}`.toLowerCase();
  if (req.method === 'PUT') {
    const location =
      typeof (req.body as Json | undefined)?.location === 'string'
        ? ((req.body as Json).location as string)
        : 'eastus';
    const existed = ctx.state.resourceGroups.has(key);
    ctx.state.ensureResourceGroup(sub, name, location);
    return { status: existed ? 200 : 201, body: rgBody(ctx, sub, name) };
  }
  if (req.method === 'GET') {
    if (!ctx.state.resourceGroups.has(key))
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
    return { status: 200, body: rgBody(ctx, sub, name) };
  }
  throw new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
}

function rgBody(ctx: EmulatorContext, sub: string, name: string): Json {
  const rg = ctx.state.resourceGroups.get(`${sub}/${name}`.toLowerCase());
  return {
    id: `/subscriptions/${sub}/resourceGroups/${rg?.name ?? name}`,
    name: rg?.name ?? name,
    type: 'Microsoft.Resources/resourceGroups',
    location: rg?.location ?? 'eastus',
    properties: { provisioningState: 'Succeeded' },
  };
}
