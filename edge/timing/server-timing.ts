// Server-Timing: how long the edge took in total, how long it waited on the origin, and what
// the page cache did. Browsers show it in devtools; tests and the access log read it too.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { setResponseHeader } from '../response-headers.js';

export class ServerTiming {
  readonly startedAt = Date.now();
  originMs = 0;
  originCalls = 0;

  /** Adds the time of one origin round trip. */
  addOrigin(ms: number): void {
    this.originMs += ms;
    this.originCalls += 1;
  }

  elapsedMs(): number {
    return Date.now() - this.startedAt;
  }

  header(cache: string): string {
    const metrics = [`edge;dur=${this.elapsedMs()}`];
    if (this.originCalls > 0) metrics.push(`origin;dur=${this.originMs}`);
    metrics.push(`cache;desc=${cache}`);
    return metrics.join(', ');
  }
}

export const serverTiming: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('timing', new ServerTiming());
  c.set('cacheStatus', 'BYPASS');
  await next();
  // The cache status rides in Server-Timing (cache;desc=HIT) only: every response header is work
  // on every response, cache hits included (test/bench/edge.ts).
  setResponseHeader(c, 'Server-Timing', c.get('timing').header(c.get('cacheStatus')));
};
