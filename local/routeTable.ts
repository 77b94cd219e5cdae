/** Matches `/api/...` paths against the registration table's route templates (`policies/{name}`), as the host does. */
import type { HttpRegistration } from '../functions/lib/functionRegistration.js';

interface CompiledRoute {
  registration: HttpRegistration;
  segments: string[];
}

export interface RouteMatch {
  registration: HttpRegistration;
  params: Record<string, string>;
}

export class RouteTable {
  private readonly routes: CompiledRoute[];

  constructor(registrations: readonly HttpRegistration[]) {
    // Literal segments win over parameters, as in the Functions host (`rollouts/{id}/clusters` before `rollouts/{id}/{command}`).
    this.routes = registrations
      .map((registration) => ({ registration, segments: registration.route.split('/') }))
      .sort((a, b) => literalScore(b.segments) - literalScore(a.segments));
  }

  /** The registration for `method` and `path` (without `/api/`); `methodNotAllowed` when only the path matches. */
  match(method: string, path: string): RouteMatch | 'methodNotAllowed' | undefined {
    const parts = path.split('/').filter((p) => p !== '');
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.registration.methods.includes(method.toUpperCase() as never))
        return { registration: route.registration, params };
    }
    return pathMatched ? 'methodNotAllowed' : undefined;
  }
}

function literalScore(segments: string[]): number {
  return segments.reduce((n, s, i) => n + (s.startsWith('{') ? 0 : 2 ** (10 - i)), 0);
}

function matchSegments(template: string[], parts: string[]): Record<string, string> | undefined {
  // A last `{*name}` segment (the host's catch-all) takes one or more remaining segments, joined by `/`.
  const catchAll = template.at(-1)?.startsWith('{*') === true;
  if (catchAll ? parts.length < template.length : template.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] ?? '';
    const p = catchAll && i === template.length - 1 ? parts.slice(i).join('/') : (parts[i] ?? '');
    if (t.startsWith('{*') && t.endsWith('}')) {
      try {
        params[t.slice(2, -1)] = p.split('/').map(decodeURIComponent).join('/');
      } catch {
        return undefined;
      }
    } else if (t.startsWith('{') && t.endsWith('}')) {
      try {
        params[t.slice(1, -1)] = decodeURIComponent(p);
      } catch {
        return undefined;
      }
    } else if (t.toLowerCase() !== p.toLowerCase()) return undefined;
  }
  return params;
}
