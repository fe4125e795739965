// Middleware: rate limits on logins and writes, per client IP and per session, answered with
// the friendly 429 page (in the visitor's tier) and a Retry-After header. Keys are per tenant,
// so one busy community's traffic never counts against another's.
//   POST /login, POST /signup      RATE_LOGINS_PER_MIN_IP        (default 10) per IP
//   every POST                     RATE_WRITES_PER_MIN_IP        (default 60) per IP
//   every POST by a member         RATE_WRITES_PER_MIN_SESSION   (default 30) per session
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';
import { renderRateLimited } from '../pages/error/render-error.js';
import { clientIp } from './client-ip.js';
import { MemoryRateLimiter, type RateDecision, type RateLimiter } from './limiter.js';

export const DEFAULT_LIMITS = { loginsPerMinIp: 10, writesPerMinIp: 60, writesPerMinSession: 30 } as const;
const WINDOW_SECONDS = 60;
const LOGIN_PATHS = new Set(['/login', '/signup']);

let limiter: RateLimiter = new MemoryRateLimiter();

/** Swap the backing store (a Durable Object or rate limiting binding adapter; tests). */
export function useRateLimiter(next: RateLimiter): void {
  limiter = next;
}

/** For tests: forget all counts. */
export function resetRateLimits(): void {
  limiter = new MemoryRateLimiter();
}

function limitFrom(setting: string | undefined, fallback: number): number {
  const n = Number(setting);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

export { clientIp } from './client-ip.js';

async function tooMany(c: Context<AppEnv>, decision: RateDecision, scope: string): Promise<Response> {
  console.warn(JSON.stringify({ level: 'warn', msg: 'rate limited', scope, requestId: c.get('requestId') }));
  return renderRateLimited(c, decision.retryAfterSeconds);
}

export const rateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'POST') return next();
  const tenant = c.get('tenant').id;
  const ip = clientIp(c.req.raw.headers);
  const checks: [string, number][] = [];
  if (LOGIN_PATHS.has(c.req.path)) {
    checks.push([`login|${tenant}|ip|${ip}`, limitFrom(c.env.RATE_LOGINS_PER_MIN_IP, DEFAULT_LIMITS.loginsPerMinIp)]);
  }
  checks.push([`write|${tenant}|ip|${ip}`, limitFrom(c.env.RATE_WRITES_PER_MIN_IP, DEFAULT_LIMITS.writesPerMinIp)]);
  const session = c.get('session');
  if (session) {
    checks.push([
      `write|${tenant}|session|${session.id}`,
      limitFrom(c.env.RATE_WRITES_PER_MIN_SESSION, DEFAULT_LIMITS.writesPerMinSession),
    ]);
  }
  for (const [key, limit] of checks) {
    const decision = await limiter.hit(key, limit, WINDOW_SECONDS);
    if (!decision.allowed) return tooMany(c, decision, key.split('|').slice(0, 3).join('|'));
  }
  await next();
};
