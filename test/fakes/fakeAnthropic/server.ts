// A fake Anthropic Messages API on 127.0.0.1 (random port) for tests and benchmarks: the only
// faked part of the system, so it speaks the real wire protocol (JSON and SSE, error bodies,
// retry headers) and clients talk to it through the real SDK with `baseURL: server.url`.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { contentBlocks, makeUsage, messageJson, PromptCache, stopReason, type MessageShape } from './model';
import { messageEvents, pause, writeStream } from './sse';
import { echo } from './script';
import { webSearchBlocks } from './webSearch';
import type {
  FakeAnthropicOptions,
  FakeFault,
  FakeTurn,
  FaultOptions,
  MessagesBody,
  RecordedRequest,
  Responder,
  WireBlock,
} from './types';
import { defaultErrorMessage, errorTypeFor, validateBody } from './validate';

interface QueuedFault {
  fault: FakeFault;
  remaining: number;
  match?: (req: RecordedRequest) => boolean;
}

interface Waiter {
  ready: () => boolean;
  resolve: () => void;
}

const pad = (n: number) => String(n).padStart(6, '0');

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

export class FakeAnthropicServer {
  /** Every request that arrived with a complete body, in order. */
  readonly requests: RecordedRequest[] = [];
  private responder: Responder;
  private faults: QueuedFault[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly cache: PromptCache;
  private waiters: Waiter[] = [];
  private _inFlight = 0;
  private _maxInFlight = 0;
  private ids = { msg: 0, tool: 0, req: 0 };
  private closing = false;

  private constructor(
    private readonly server: http.Server,
    /** `http://127.0.0.1:PORT`, to pass as the SDK's baseURL. */
    readonly url: string,
    private readonly options: FakeAnthropicOptions,
  ) {
    this.responder = options.respond ?? echo;
    this.cache = new PromptCache(options.minCacheableTokens ?? 0);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.handle(req, res).catch(() => res.destroy()); // a fake's own bug must not crash the test process
    });
  }

  static async start(options: FakeAnthropicOptions = {}): Promise<FakeAnthropicServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new FakeAnthropicServer(server, `http://127.0.0.1:${port}`, options);
  }

  /** Requests whose response has not ended and whose connection is still open. */
  get inFlight(): number {
    return this._inFlight;
  }
  get maxInFlight(): number {
    return this._maxInFlight;
  }
  /** Fault applications still queued (a fault with times: 3 counts 3). */
  get pendingFaults(): number {
    return this.faults.reduce((n, f) => n + f.remaining, 0);
  }
  /** Distinct cached prefixes. */
  get cacheEntries(): number {
    return this.cache.size;
  }

  /** Sets how the model answers: a function of the request, or one fixed turn. */
  respond(fn: Responder | FakeTurn): void {
    this.responder = typeof fn === 'function' ? fn : () => fn;
  }

  /**
   * Queues a fault. Each request that passed auth and validation consumes the first queued fault
   * that matches it (SDK retries are new requests, so `times: 2` fails the first try and one retry).
   */
  fault(f: FakeFault, opts: FaultOptions = {}): void {
    this.faults.push({ fault: f, remaining: Math.max(1, opts.times ?? 1), match: opts.match });
  }

  clearFaults(): void {
    this.faults = [];
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** Forgets recorded requests, queued faults, the cache and the in-flight peak. */
  reset(): void {
    this.requests.length = 0;
    this.faults = [];
    this.cache.clear();
    this._maxInFlight = this._inFlight;
  }

  /** Resolves with the n-th request (1-based) once it has arrived. */
  async waitForRequests(n: number, timeoutMs = 5000): Promise<RecordedRequest> {
    await this.until(
      () => this.requests.length >= n,
      timeoutMs,
      () => `${n} requests, saw ${this.requests.length}`,
    );
    return this.requests[n - 1];
  }

  /** Resolves once no request is in flight (responses ended or connections closed). */
  idle(timeoutMs = 5000): Promise<void> {
    return this.until(
      () => this._inFlight === 0,
      timeoutMs,
      () => `idle, ${this._inFlight} in flight`,
    );
  }

  /** Stops listening and destroys open sockets (stalled streams included). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private until(ready: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
    if (ready()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`FakeAnthropicServer: expected ${what()} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = { ready, resolve: () => (clearTimeout(timer), resolve()) };
      this.waiters.push(waiter);
    });
  }

  private notify(): void {
    if (this.waiters.length === 0) return;
    const ready = this.waiters.filter((w) => w.ready());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.resolve();
  }

  private takeFault(rec: RecordedRequest): FakeFault | undefined {
    const q = this.faults.find((f) => !f.match || f.match(rec));
    if (!q) return undefined;
    if (--q.remaining === 0) this.faults = this.faults.filter((f) => f !== q);
    return q.fault;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this._inFlight++;
    this._maxInFlight = Math.max(this._maxInFlight, this._inFlight);
    let open = true;
    const ended = () => {
      if (!open) return;
      open = false;
      this._inFlight--;
      this.notify();
    };
    res.on('finish', ended);
    res.on('close', ended);

    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      return; // the client went away while sending; 'close' settles the counters
    }
    let parsed: unknown;
    let badJson = false;
    try {
      parsed = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      badJson = true;
    }
    const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as MessagesBody;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const retries = Number(req.headers['x-stainless-retry-count'] ?? 0);
    const rec: RecordedRequest = {
      index: this.requests.length,
      method: req.method ?? '',
      path,
      headers: req.headers,
      body,
      stream: body.stream === true,
      retryCount: Number.isFinite(retries) ? retries : 0,
      receivedAt: Date.now(),
      eventsSent: 0,
      aborted: false,
    };
    this.requests.push(rec);
    res.on('close', () => {
      rec.endedAt = Date.now();
      if (!res.writableFinished && !this.closing) rec.aborted = true;
    });
    this.notify();

    const requestId = `req_fake_${pad(++this.ids.req)}`;
    const fail = (status: number, type: string, message: string, headers: Record<string, string> = {}) => {
      if (!open) return;
      rec.status = status;
      const payload = JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
      res.writeHead(status, { ...headers, 'content-type': 'application/json', 'request-id': requestId });
      res.end(payload);
    };

    if (req.method !== 'POST' || path !== '/v1/messages')
      return fail(404, 'not_found_error', `Not found: ${req.method} ${path}`);
    const key = req.headers['x-api-key'] ?? /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!key) return fail(401, 'authentication_error', 'x-api-key header is required');
    if (this.options.apiKey !== undefined && key !== this.options.apiKey)
      return fail(401, 'authentication_error', 'invalid x-api-key');
    if (!req.headers['anthropic-version'])
      return fail(400, 'invalid_request_error', 'anthropic-version: header is required');
    if (badJson)
      return fail(
        400,
        'invalid_request_error',
        'There was an issue with the formatting of your request body: invalid JSON',
      );
    if (this.options.validate !== false) {
      const problem = validateBody(parsed);
      if (problem) return fail(400, 'invalid_request_error', problem);
    }

    const fault = this.takeFault(rec);
    rec.fault = fault;
    const delay = fault?.delayMs ?? this.options.latencyMs ?? 0;
    if (delay > 0) await pause(delay, res);
    if (!open) return;
    if (fault?.status !== undefined) {
      const type = fault.errorType ?? errorTypeFor(fault.status);
      return fail(fault.status, type, fault.message ?? defaultErrorMessage(type), fault.headers);
    }
    if (!rec.stream && fault?.stallAfter !== undefined) return; // never answered; the socket stays open

    let turn: FakeTurn;
    try {
      turn = await this.responder(rec);
    } catch (e) {
      // A responder bug is the test's, not a fault to retry: surface it on the first attempt.
      const message = `fake server responder threw: ${e instanceof Error ? e.message : String(e)}`;
      return fail(500, 'api_error', message, { 'x-should-retry': 'false' });
    }
    if (!open) return;
    let search: { blocks: WireBlock[]; requests: number } = { blocks: [], requests: 0 };
    try {
      if (turn.webSearches?.length)
        search = webSearchBlocks(turn.webSearches, body, () => `srvtoolu_fake_${pad(++this.ids.tool)}`);
    } catch (e) {
      return fail(500, 'api_error', `fake server script: ${(e as Error).message}`, { 'x-should-retry': 'false' });
    }
    rec.turn = turn;
    // Usage is counted when the answer starts, so a prefix becomes readable once its writer responds.
    const shape: MessageShape = {
      id: `msg_fake_${pad(++this.ids.msg)}`,
      model: body.model,
      content: contentBlocks(turn, () => `toolu_fake_${pad(++this.ids.tool)}`, search.blocks),
      stopReason: stopReason(turn),
      usage: makeUsage(this.cache.account(body), turn, search.requests),
    };
    rec.usage = shape.usage;
    rec.status = 200;
    const headers = { ...fault?.headers, 'request-id': requestId };
    if (!rec.stream) {
      res.writeHead(200, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(messageJson(shape)));
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
    await writeStream(res, messageEvents(shape, this.options.textChunkChars, this.options.jsonChunkChars), {
      gapMs: fault?.streamDelayMs ?? this.options.streamDelayMs ?? 0,
      fault,
      requestId,
      isOpen: () => open,
      sent: (n) => (rec.eventsSent = n),
    });
  }
}
