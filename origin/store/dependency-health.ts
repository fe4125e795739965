// Whether a dependency (Redis) is answering, as seen from its callers: after a call fails because
// the dependency is down or hangs, callers with a fallback skip it for a moment instead of each
// waiting out its own timeout (a paused Redis would otherwise cost every request a full command
// timeout per call). Calls resume after RETRY_MS; the first that succeeds ends the outage.
import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';

const RETRY_MS = 1000;

/** ioredis's errors for "not answering" (as opposed to a command that is wrong). */
export function isRedisUnavailable(err: unknown): boolean {
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.name === 'MaxRetriesPerRequestError' || e?.name === 'ClusterAllFailedError') return true;
  if (e?.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTCONN'].includes(e.code)) return true;
  return /timed out|isn't writeable|Connection is closed|connect E|LOADING|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|None of startup nodes/i.test(
    e?.message ?? '',
  );
}

export class DependencyHealth {
  private downUntil = 0;
  private down = false;

  constructor(
    readonly name: string,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  /** False for a moment after the dependency failed: callers with a fallback use it instead. */
  available(): boolean {
    return Date.now() >= this.downUntil;
  }

  /** Runs `fn` unless the dependency is known down; its unavailability (not other errors) means `fallback`. */
  async call<T>(what: string, fn: () => Promise<T>, fallback: () => T | Promise<T>): Promise<T> {
    if (!this.available()) {
      this.metrics.degradedCalls.inc({ dependency: this.name, call: what });
      return fallback();
    }
    try {
      const result = await fn();
      this.succeeded();
      return result;
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      this.failed(err);
      this.metrics.degradedCalls.inc({ dependency: this.name, call: what });
      return fallback();
    }
  }

  failed(err: unknown): void {
    this.downUntil = Date.now() + RETRY_MS;
    if (!this.down) {
      this.down = true;
      this.log.warn({ err, dependency: this.name }, `${this.name} is not answering; serving without it`);
    }
  }

  succeeded(): void {
    if (!this.down) return;
    this.down = false;
    this.log.info({ dependency: this.name }, `${this.name} answers again`);
  }
}
