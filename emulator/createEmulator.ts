// The emulator's HTTPS server: control surface, fault rules, auth, then ARM routing or Resource Graph.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ArmError } from './armError.js';
import { routeArm } from './armRouter.js';
import { ControlError, handleControl } from './controlHandler.js';
import type { EmulatorContext } from './emulatorContext.js';
import { applyConfig, defaultConfig, type DeepPartial, type EmulatorConfig } from './emulatorConfig.js';
import { EmulatorState } from './emulatorState.js';
import { EmulatorStats } from './emulatorStats.js';
import { EventGridPublisher } from './eventGridPublisher.js';
import { FaultRules } from './faultRules.js';
import { GraphIndex } from './graph/graphIndex.js';
import { EMULATOR_TENANT_ID } from './graphRows.js';
import { KeyVaultSecrets } from './keyVault.js';
import { loadGraphHandler, type GraphHandler } from './graphHook.js';
import type { ArmResponse } from './httpTypes.js';
import { principalOf } from './principal.js';
import { Random } from './random.js';
import { Throttle } from './throttle.js';
import { createTlsMaterial } from './tlsCert.js';
import { isLoopback } from './isLoopback.js';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  caDir?: string;
  config?: DeepPartial<EmulatorConfig>;
  /** Overrides the Resource Graph handler (default: emulator/graph/resourceGraphHandler.ts). */
  graphHandler?: GraphHandler;
}

export interface Emulator {
  endpoint: string;
  caPem: string;
  caFile: string;
  /** The in-memory ARM state (clusters, extensions, operations). */
  state: EmulatorState;
  /** State plus config, stats, Resource Graph index, Event Grid publisher and the Key Vault. */
  context: EmulatorContext;
  /** The Key Vault secrets endpoint (the vault URL is `endpoint`). */
  vault: KeyVaultSecrets;
  close(): Promise<void>;
}

export async function createEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const config = defaultConfig();
  if (options.config)
    applyConfig(config as unknown as Record<string, unknown>, options.config as Record<string, unknown>);
  const stats = new EmulatorStats();
  const random = new Random(config.randomSeed);
  const ctx: EmulatorContext = {
    state: new EmulatorState(),
    config,
    stats,
    random,
    graph: new GraphIndex(),
    events: new EventGridPublisher(stats, random),
    vault: new KeyVaultSecrets(),
    outcomes: [],
    now: () => Date.now(),
  };
  const faults = new FaultRules();
  const throttle = new Throttle(config);
  const graphHandler = options.graphHandler ?? loadGraphHandler();
  const tls = await createTlsMaterial(options.caDir ?? join(process.cwd(), '.emulator'));
  const host = options.host ?? '127.0.0.1';
  let baseUrl = '';

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    readBody(req)
      .then((raw) => handle(req, res, raw))
      .catch((err: unknown) => send(res, errorResponse(err)));
  });
  server.keepAliveTimeout = 30_000;

  async function handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/_emulator/')) {
      if (!isLoopback(req.socket.remoteAddress))
        return send(res, { status: 403, body: { error: { code: 'Forbidden', message: 'loopback only' } } });
      try {
        return send(
          res,
          await handleControl({ ctx, faults, throttle }, method, url.pathname, parseJson(raw)),
        );
      } catch (err) {
        // Bad control input (unknown config key, bad subscriber URL, bad regex...) is the caller's error.
        const wrapped =
          err instanceof ControlError
            ? err
            : new ControlError(400, err instanceof Error ? err.message : String(err));
        return send(res, errorResponse(wrapped));
      }
    }
    const fault = faults.match(method, decodeURIComponent(url.pathname), random);
    if (fault) {
      stats.count('faultsInjected');
      if ('timeout' in fault.action) return void req.socket.destroy();
      if ('latencyMs' in fault.action)
        await new Promise((r) => setTimeout(r, (fault.action as { latencyMs: number }).latencyMs));
      else {
        const status = fault.action.status;
        if (status === 429) stats.count('throttled429');
        const headers: Record<string, string> =
          status === 429 ? { 'retry-after': String(fault.action.retryAfterSeconds ?? 1) } : {};
        const code =
          status === 429 ? 'TooManyRequests' : status === 503 ? 'ServiceUnavailable' : 'InternalServerError';
        return send(res, new ArmError(status, code, `Injected fault ${fault.id}.`, headers).toResponse());
      }
    }
    const auth = req.headers.authorization ?? '';
    if (KeyVaultSecrets.owns(url.pathname)) {
      stats.request('vault', `vault:${method}`, undefined);
      return send(
        res,
        ctx.vault.handle({
          method,
          path: decodeURIComponent(url.pathname),
          query: url.searchParams,
          body: parseJson(raw),
          authorization: auth,
          baseUrl,
          tenantId: EMULATOR_TENANT_ID,
          nowMs: ctx.now(),
        }),
      );
    }
    if (!/^Bearer\s+\S+/i.test(auth)) {
      return send(res, {
        status: 401,
        headers: {
          'www-authenticate':
            'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", ' +
            'error_description="The authentication failed because of missing \'Authorization\' header."',
        },
        body: {
          error: {
            code: 'AuthenticationFailed',
            message: "Authentication failed. The 'Authorization' header is missing.",
          },
        },
      });
    }
    const principal = principalOf(auth.replace(/^Bearer\s+/i, ''));
    // ARM reads query parameter names case-insensitively (its own operation URLs spell `api-Version`).
    const apiVersion = [...url.searchParams].find(([k]) => k.toLowerCase() === 'api-version')?.[1] ?? '';
    if (url.pathname.toLowerCase() === '/providers/microsoft.resourcegraph/resources' && method === 'POST') {
      stats.count('resourceGraphQueries');
      stats.request('read', 'resourceGraph:POST', undefined);
      return send(res, graphHandler(ctx.graph, parseJson(raw), { principal, nowMs: ctx.now(), apiVersion }));
    }
    const correlationId = header(req, 'x-ms-correlation-request-id') || randomUUID();
    const result = routeArm(ctx, throttle, {
      method,
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      body: parseJson(raw),
      apiVersion,
      baseUrl,
      origin: {
        principal,
        method,
        url: url.toString(),
        clientIp: req.socket.remoteAddress ?? '127.0.0.1',
        correlationId,
        clientRequestId: header(req, 'x-ms-client-request-id'),
      },
    });
    send(res, result.response, correlationId);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://${host}:${port}`;
  return {
    endpoint: baseUrl,
    caPem: tls.caPem,
    caFile: tls.caFile,
    state: ctx.state,
    context: ctx,
    vault: ctx.vault,
    async close() {
      ctx.state.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    );
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function header(req: IncomingMessage, name: string): string {
  const v = req.headers[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

function errorResponse(err: unknown): ArmResponse {
  if (err instanceof ArmError) return err.toResponse();
  if (err instanceof ControlError)
    return { status: err.status, body: { error: { code: 'BadRequest', message: err.message } } };
  const message = err instanceof Error ? err.message : String(err);
  return { status: 500, body: { error: { code: 'InternalServerError', message } } };
}

function send(res: ServerResponse, response: ArmResponse, correlationId: string = randomUUID()): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-correlation-request-id': correlationId,
    ...response.headers,
  };
  if (response.body !== undefined) {
    const text = JSON.stringify(response.body);
    headers['content-type'] = 'application/json; charset=utf-8';
    headers['content-length'] = String(Buffer.byteLength(text));
    res.writeHead(response.status, headers).end(text);
  } else {
    headers['content-length'] = '0';
    res.writeHead(response.status, headers).end();
  }
}
