import { ValidationError } from '../../shared/domain/errors.js';
import type { PageRequest } from '../../shared/domain/records.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** `?top=N&continuationToken=...` -> a PageRequest; a bad `top` is a 400 naming the parameter. */
export function pageRequest(query: URLSearchParams): PageRequest {
  const top = query.get('top');
  const token = query.get('continuationToken') ?? undefined;
  let n = DEFAULT_PAGE_SIZE;
  if (top !== null) {
    if (!/^\d{1,4}$/.test(top) || Number(top) < 1 || Number(top) > MAX_PAGE_SIZE)
      throw new ValidationError(
        `top: must be an integer from 1 to ${MAX_PAGE_SIZE}`,
        [{ path: 'top', message: `must be an integer from 1 to ${MAX_PAGE_SIZE}` }],
        'InvalidQueryParameter',
      );
    n = Number(top);
  }
  if (token !== undefined && (token.length > 4096 || token === ''))
    throw new ValidationError(
      'continuationToken: is not a token this API issued',
      [{ path: 'continuationToken', message: 'is not a token this API issued' }],
      'InvalidContinuationToken',
    );
  return token ? { top: n, continuationToken: token } : { top: n };
}
