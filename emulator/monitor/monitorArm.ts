// Small ARM helpers shared by the Azure Monitor handlers.
import { ArmError } from '../armError.js';
import type { EmulatorContext } from '../emulatorContext.js';
import type { ArmRequest, ArmResponse } from '../httpTypes.js';
import { pageOf } from '../httpTypes.js';

type Json = Record<string, unknown>;

export function invalidPayload(problems: string[]): ArmError {
  return new ArmError(
    400,
    'InvalidPayload',
    `The request payload is invalid: ${problems.join('; ')}`,
    {},
    problems.map((message) => ({ code: 'InvalidPayload', message })),
  );
}

export function listPage(req: ArmRequest, ctx: EmulatorContext, items: Json[]): ArmResponse {
  const { page, nextLink } = pageOf(items, req, ctx.config.listPageSize);
  // As recorded: `nextLink: null` after a non-empty last page, no nextLink at all on an empty list.
  if (nextLink) return { status: 200, body: { value: page, nextLink } };
  return { status: 200, body: page.length > 0 ? { value: page, nextLink: null } : { value: page } };
}

export function methodNotAllowed(req: ArmRequest): ArmError {
  return new ArmError(405, 'MethodNotAllowed', `The method '${req.method}' is not allowed.`);
}
