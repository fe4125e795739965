// One structured JSON line per request: what Workers Logs / `wrangler tail` index and search.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

export interface AccessLogLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  ms: number;
  tier: string | null;
  cache: string;
  tenant: string | null;
  originMs?: number;
}

/**
 * Cache hits are most of the traffic and the least telling, and a log line costs more than the
 * hit itself (test/bench/edge.ts), so they are sampled; every other request is always logged.
 */
const DEFAULT_HIT_SAMPLE = 0.01;

export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.get('cacheStatus') === 'HIT' && c.res.status < 400) {
    const rate = Number(c.env.ACCESS_LOG_HIT_SAMPLE ?? DEFAULT_HIT_SAMPLE);
    if (!(Math.random() < (Number.isFinite(rate) ? rate : DEFAULT_HIT_SAMPLE))) return;
  }
  const line: AccessLogLine = {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: c.get('timing')?.elapsedMs() ?? 0,
    tier: c.get('device')?.tier ?? null,
    cache: c.get('cacheStatus') ?? 'BYPASS',
    tenant: c.get('tenant')?.id ?? null,
  };
  if (c.get('timing')?.originCalls) line.originMs = c.get('timing').originMs;
  console.log(JSON.stringify(line));
};
