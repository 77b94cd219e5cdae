/**
 * Serves the registration table's HTTP functions and the Event Grid webhook on a plain Node HTTP server, the
 * way the Functions host would: `/api/<route>` and `POST /runtime/webhooks/eventgrid?functionName=<name>`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { HttpResponseInit } from '@azure/functions';
import azureFunctions from '@azure/functions';
import type { EventGridRegistration, HttpRegistration } from '../functions/lib/functionRegistration.js';
import { sameSecret } from '../functions/lib/sameSecret.js';
import { RouteTable } from './routeTable.js';

// @azure/functions is CommonJS; Node's ESM loader cannot see these classes as named exports.
const { HttpRequest, InvocationContext } = azureFunctions;

const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/**
 * Event Grid's own bounds on one delivery (learn.microsoft.com/azure/event-grid/delivery-and-retry, "Batched
 * event delivery"): at most 5,000 events (maxEventsPerBatch, 1-5,000) and a preferred size of at most
 * 1,024 KB (preferredBatchSizeInKilobytes, 1-1,024), exceeded only by a single event, itself at most 1 MB
 * (learn.microsoft.com/azure/event-grid/quotas-limits). A bigger delivery is not Event Grid's: 413.
 */
export const MAX_EVENTS_PER_BATCH = 5_000;
export const MAX_DELIVERY_BYTES = 1024 * 1024 + 2; // 1,024 KB, or one 1 MB event inside `[` `]`

export type LogSink = (line: string) => void;

/** The response still being produced on a socket: a parse error of bytes after its request must wait for it. */
const inFlight = new WeakMap<Duplex, ServerResponse>();

export function invocationContext(
  functionName: string,
  log: LogSink,
  triggerMetadata?: Record<string, unknown>,
): azureFunctions.InvocationContext {
  return new InvocationContext({
    invocationId: randomUUID(),
    functionName,
    ...(triggerMetadata ? { triggerMetadata } : {}),
    logHandler: (level, ...args) => log(`[${level}] ${functionName}: ${args.map(String).join(' ')}`),
  });
}

/**
 * `eventGridKey`: the key the webhook requires, as the Functions host requires its `eventgrid_extension`
 * system key in Azure (`code` query parameter or `x-functions-key` header); compared in constant time.
 */
export function createRequestListener(
  http: readonly HttpRegistration[],
  events: readonly EventGridRegistration[],
  log: LogSink,
  eventGridKey: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = new RouteTable(http);
  return (req, res) => {
    inFlight.set(req.socket, res);
    res.once('close', () => inFlight.delete(req.socket));
    void handle(req, res).catch((err: unknown) => {
      log(`[error] local host: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent)
        send(res, {
          status: 500,
          jsonBody: { error: { code: 'InternalError', message: 'local host error' } },
        });
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    // A declared size over the limit is refused before the body is read (as Kestrel does), so a client that
    // announces 10 GB gets its 413 at once instead of a connection held open while it trickles in.
    if (Number(req.headers['content-length'] ?? 0) > MAX_REQUEST_BYTES) {
      log(`[warn] local host: ${req.method} ${url.pathname} refused, body over ${MAX_REQUEST_BYTES} bytes`);
      res.setHeader('connection', 'close');
      return send(res, errorJson(413, 'PayloadTooLarge', 'request body too large'));
    }
    const body = await readBody(req);
    if (body === undefined) {
      log(`[warn] local host: ${req.method} ${url.pathname} refused, body over ${MAX_REQUEST_BYTES} bytes`);
      return send(res, errorJson(413, 'PayloadTooLarge', 'request body too large'));
    }
    if (url.pathname === '/runtime/webhooks/eventgrid' && req.method === 'POST')
      return eventGrid(url, req, body, res);
    if (!url.pathname.startsWith('/api/')) return send(res, errorJson(404, 'NotFound', 'no such route'));
    const match = routes.match(req.method ?? 'GET', url.pathname.slice('/api/'.length));
    if (match === undefined) return send(res, errorJson(404, 'NotFound', `no route for ${url.pathname}`));
    if (match === 'methodNotAllowed')
      return send(res, errorJson(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}`));
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    const request = new HttpRequest({
      method: req.method ?? 'GET',
      url: url.toString(),
      headers,
      params: match.params,
      query: Object.fromEntries(url.searchParams),
      ...(body.length ? { body: { string: body } } : {}),
    });
    const response = await match.registration.handler(
      request,
      invocationContext(match.registration.name, log),
    );
    send(res, response);
  }

  async function eventGrid(url: URL, req: IncomingMessage, body: string, res: ServerResponse): Promise<void> {
    const header = req.headers['x-functions-key'];
    const given = url.searchParams.get('code') ?? (typeof header === 'string' ? header : '');
    if (!sameSecret(given, eventGridKey)) {
      log(`[warn] local host: Event Grid delivery refused (no valid eventgrid_extension key)`);
      return send(res, errorJson(401, 'Unauthorized', 'the eventgrid_extension key is required (code)'));
    }
    const target = events.find((e) => e.name === url.searchParams.get('functionName'));
    if (!target) return send(res, errorJson(404, 'FunctionNotFound', 'no Event Grid function of that name'));
    if (Buffer.byteLength(body) > MAX_DELIVERY_BYTES) {
      log(`[warn] ${target.name}: delivery of ${Buffer.byteLength(body)} bytes refused (BatchTooLarge)`);
      return send(res, errorJson(413, 'BatchTooLarge', `at most ${MAX_DELIVERY_BYTES} bytes a delivery`));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return send(res, errorJson(400, 'InvalidJson', 'the body is not valid JSON'));
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    if (list.length > MAX_EVENTS_PER_BATCH) {
      log(`[warn] ${target.name}: batch of ${list.length} events refused (BatchTooLarge)`);
      return send(res, errorJson(413, 'BatchTooLarge', `at most ${MAX_EVENTS_PER_BATCH} events a delivery`));
    }
    if (req.headers['aeg-event-type'] === 'SubscriptionValidation') {
      const code = (list[0] as { data?: { validationCode?: unknown } } | undefined)?.data?.validationCode;
      if (typeof code !== 'string')
        return send(res, errorJson(400, 'InvalidValidationEvent', 'no validationCode'));
      return send(res, { status: 200, jsonBody: { validationResponse: code } });
    }
    await target.batchHandler(list, invocationContext(target.name, log, { events: list.length }));
    send(res, { status: 200 });
  }
}

/**
 * The server's `clientError` handler: a request Node's HTTP parser refuses (headers or URL over its limit,
 * bytes past a declared content-length, bad header characters) still gets the API's error shape, as JSON,
 * and the connection is closed. Junk after a request that is still being handled (bytes past its declared
 * content-length) gets no answer of its own: that request's answer goes out first, then the connection closes,
 * so a client never reads "400" for a request that was carried out.
 */
export function answerClientError(log: LogSink): (err: Error & { code?: string }, socket: Duplex) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const pending = inFlight.get(socket);
    if (pending) {
      log(
        `[warn] local host: bytes after a request refused (${err.code ?? 'unknown'}); closing after its answer`,
      );
      pending.once('finish', () => socket.end());
      return;
    }
    const [status, code, reason] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'RequestHeaderFieldsTooLarge', 'Request Header Fields Too Large']
        : [400, 'MalformedHttpRequest', 'Bad Request'];
    log(`[warn] local host: refused a malformed HTTP request (${err.code ?? 'unknown'})`);
    const body = JSON.stringify({ error: { code, message: `the HTTP request is malformed (${reason})` } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  };
}

function errorJson(status: number, code: string, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } } };
}

function send(res: ServerResponse, r: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  new Headers(r.headers as ConstructorParameters<typeof Headers>[0]).forEach((v, k) => (headers[k] = v));
  let payload: string | undefined;
  if (r.jsonBody !== undefined) {
    payload = JSON.stringify(r.jsonBody);
    headers['content-type'] ??= 'application/json';
  } else if (typeof r.body === 'string') payload = r.body;
  res.writeHead(r.status ?? 200, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(c);
    });
    req.on('end', () =>
      resolve(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', reject);
  });
}
