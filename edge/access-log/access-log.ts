// Structured JSON log lines: what Workers Logs / `wrangler tail` index and search. Every request
// gets its own line, except cache hits: they are most of the traffic and the least telling, and
// a log line costs far more than the hit it describes (under `wrangler dev` about 3 ms of the dev
// server's CPU a line, against well under 1 ms for the hit; test/bench/edge.ts). Hits are counted
// instead, and the counts go out as one summary line at most every HIT_SUMMARY_MS, when a request
// comes. ACCESS_LOG_HIT_SAMPLE (0-1, default 0) still logs a share of hits one by one.
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

export interface HitSummaryLine {
  msg: 'cache hits';
  /** When counting started and ended (ISO times). */
  from: string;
  to: string;
  hits: number;
  /** Edge time per hit. */
  ms: { avg: number; max: number };
  /** Hits per tenant (the busiest MAX_SUMMARY_TENANTS, the rest under "other"). */
  tenants: Record<string, number>;
  tiers: Record<string, number>;
}

export const HIT_SUMMARY_MS = 10_000;
const MAX_SUMMARY_TENANTS = 50;
const DEFAULT_HIT_SAMPLE = 0;

interface Counts {
  from: number;
  hits: number;
  totalMs: number;
  maxMs: number;
  tenants: Map<string, number>;
  tiers: Map<string, number>;
}

// Per isolate. Counts not yet flushed when an isolate goes away are lost: they are only counts.
let counts: Counts | null = null;

function fresh(now: number): Counts {
  return { from: now, hits: 0, totalMs: 0, maxMs: 0, tenants: new Map(), tiers: new Map() };
}

function bump(map: Map<string, number>, key: string, limit = Number.POSITIVE_INFINITY): void {
  const known = map.get(key);
  if (known !== undefined) map.set(key, known + 1);
  else if (map.size < limit) map.set(key, 1);
  else map.set('other', (map.get('other') ?? 0) + 1);
}

function summaryOf(c: Counts, now: number): HitSummaryLine {
  return {
    msg: 'cache hits',
    from: new Date(c.from).toISOString(),
    to: new Date(now).toISOString(),
    hits: c.hits,
    ms: { avg: Math.round((c.totalMs / c.hits) * 10) / 10, max: c.maxMs },
    tenants: Object.fromEntries(c.tenants),
    tiers: Object.fromEntries(c.tiers),
  };
}

/** Writes the summary line when one is due (or `force`), and starts counting afresh. */
export function flushHitSummary(now = Date.now(), force = false): void {
  if (!counts || counts.hits === 0) return;
  if (!force && now - counts.from < HIT_SUMMARY_MS) return;
  console.log(JSON.stringify(summaryOf(counts, now)));
  counts = fresh(now);
}

function countHit(ms: number, tenant: string | null, tier: string | null, now: number): void {
  counts ??= fresh(now);
  counts.hits += 1;
  counts.totalMs += ms;
  if (ms > counts.maxMs) counts.maxMs = ms;
  bump(counts.tenants, tenant ?? 'none', MAX_SUMMARY_TENANTS);
  bump(counts.tiers, tier ?? 'none');
}

export const accessLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const now = Date.now();
  const cache = c.get('cacheStatus') ?? 'BYPASS';
  const ms = c.get('timing')?.elapsedMs() ?? 0;
  const tier = c.get('device')?.tier ?? null;
  const tenant = c.get('tenant')?.id ?? null;
  if (cache === 'HIT' && c.res.status < 400) {
    countHit(ms, tenant, tier, now);
    flushHitSummary(now);
    const rate = Number(c.env.ACCESS_LOG_HIT_SAMPLE ?? DEFAULT_HIT_SAMPLE);
    if (!(Math.random() < (Number.isFinite(rate) ? rate : DEFAULT_HIT_SAMPLE))) return;
  } else {
    flushHitSummary(now);
  }
  const line: AccessLogLine = {
    requestId: c.get('requestId'),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms,
    tier,
    cache,
    tenant,
  };
  const timing = c.get('timing');
  if (timing?.originCalls) line.originMs = timing.originMs;
  console.log(JSON.stringify(line));
};
