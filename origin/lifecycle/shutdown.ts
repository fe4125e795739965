// Graceful shutdown, in the order the things around the process need it:
//   1. /readyz answers 503 at once (lifecycle.draining), and on SIGTERM the process keeps serving
//      for SHUTDOWN_DRAIN_MS, so a load balancer that probes every second or so stops sending;
//      SIGINT and SIGHUP skip the wait (Ctrl-C should be quick).
//   2. The HTTP server stops accepting. Requests in flight finish; their responses say
//      `Connection: close`, and keep-alive connections are closed as soon as they are idle.
//   3. The outbox relay stops and enqueues what it holds (else a poll of another process relays
//      it, but only after its grace period).
//   4. The queue closes: workers finish their active jobs.
//   5. The pools close (runtime.close()).
// All of it within SHUTDOWN_TIMEOUT_MS: past that the process logs what was still pending and
// exits 1, so a stuck step never keeps a port or a deploy hanging.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Runtime } from '../adapters.js';

const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
type Signal = (typeof SIGNALS)[number];

/** How often keep-alive connections that went idle during the close are closed. */
const IDLE_SWEEP_MS = 50;

export interface ShutdownOptions {
  drainMs: number;
  timeoutMs: number;
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

/** Runs the shutdown sequence on the first SIGTERM, SIGINT or SIGHUP; later signals are ignored. */
export function handleShutdownSignals(server: Server, runtime: Runtime, opts: ShutdownOptions): void {
  const requests = trackRequests(server);
  let started = false;
  const onSignal = (signal: Signal) => {
    // Ctrl-C under `npm run` arrives twice (from the terminal and forwarded by npm): one shutdown.
    if (started) return runtime.ctx.log.info({ signal }, 'origin already stopping');
    started = true;
    void shutdown(signal, server, runtime, requests, opts);
  };
  for (const signal of SIGNALS) process.on(signal, () => onSignal(signal));
}

export async function shutdown(
  signal: Signal,
  server: Server,
  runtime: Runtime,
  requests: RequestTracker,
  opts: ShutdownOptions,
): Promise<void> {
  const { ctx } = runtime;
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  const startedAt = Date.now();
  const drainMs = signal === 'SIGTERM' ? opts.drainMs : 0;
  let step = 'drain';
  let failed = false;
  const deadline = setTimeout(() => {
    ctx.log.error(
      { step, inFlightRequests: requests.inFlight(), timeoutMs: opts.timeoutMs },
      'shutdown deadline passed; exiting with work pending',
    );
    exit(1);
  }, opts.timeoutMs);
  ctx.lifecycle.draining = true;
  ctx.log.info({ signal, drainMs, timeoutMs: opts.timeoutMs }, 'origin draining: /readyz answers 503');
  await new Promise((r) => setTimeout(r, drainMs));
  const steps: [string, () => Promise<unknown>][] = [
    ['http', () => closeServer(server, requests)],
    ['relay', () => runtime.relay.stop()],
    ['queue', () => ctx.queue.close()],
    ['pools', () => runtime.close()],
  ];
  for (const [name, run] of steps) {
    step = name;
    if (name === 'http') ctx.log.info({ inFlightRequests: requests.inFlight() }, 'origin stops accepting');
    try {
      await run();
    } catch (err) {
      // Later steps still run: a relay that failed must not keep the pools open.
      failed = true;
      ctx.log.error({ err, step: name }, 'shutdown step failed');
    }
  }
  clearTimeout(deadline);
  ctx.log.info({ ms: Date.now() - startedAt }, 'origin stopped');
  exit(failed ? 1 : 0);
}

export interface RequestTracker {
  inFlight(): number;
  /** From now on every response closes its connection. */
  closeConnections(): void;
}

/** Counts requests in flight and, once closing, makes their responses end their connections. */
export function trackRequests(server: Server): RequestTracker {
  const open = new Set<ServerResponse>();
  let closing = false;
  // Before Hono's listener, so the header is set before any response is written.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    if (closing) res.setHeader('connection', 'close');
  });
  return {
    inFlight: () => open.size,
    closeConnections() {
      closing = true;
      for (const res of open) if (!res.headersSent) res.setHeader('connection', 'close');
    },
  };
}

/** Stops accepting and resolves once every connection is gone. */
function closeServer(server: Server, requests: RequestTracker): Promise<void> {
  requests.closeConnections();
  return new Promise<void>((resolve, reject) => {
    // close() closes the connections idle now; one whose response began before the close (and
    // so kept keep-alive) goes idle later, when the sweep closes it.
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.close((err) => {
      clearInterval(sweep);
      if (err) reject(err);
      else resolve();
    });
  });
}
