// The worker's bindings and the per-request values middleware puts on the Hono context.
import type { Tenant } from '../shared/api.js';
import type { DeviceProfile } from './device/detect.js';
import type { OriginClient } from './origin-client/origin-client.js';
import type { Session } from './session/session-cookie.js';
import type { ServerTiming } from './timing/server-timing.js';

export interface Bindings {
  ORIGIN_URL: string;
  /** Secrets: absent in the repo, so the worker checks for them on every request. */
  ORIGIN_SECRET?: string;
  SESSION_SECRET?: string;
  ORIGIN_TIMEOUT_MS?: string;
  /** Rate limits (per minute); defaults in edge/rate-limit/rate-limit.ts. */
  RATE_LOGINS_PER_MIN_IP?: string;
  /**
   * Share of cache-HIT requests that also get their own access-log line (0-1, default 0); hits are
   * counted into a summary line every 10 s, every other request always gets its own line.
   */
  ACCESS_LOG_HIT_SAMPLE?: string;
  RATE_WRITES_PER_MIN_IP?: string;
  RATE_WRITES_PER_MIN_SESSION?: string;
}

/** STALE: a cached copy past its freshness (stale-while-revalidate or stale-if-error). */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS' | 'STALE';

/**
 * Read these with `c.get('name')`, not `c.var.name`: Hono builds `c.var` anew from every variable
 * on each access (Object.fromEntries), which was a measurable share of a cache hit's CPU.
 */
export interface Variables {
  requestId: string;
  timing: ServerTiming;
  cacheStatus: CacheStatus;
  origin: OriginClient;
  tenant: Tenant;
  device: DeviceProfile;
  /** The logged-in member's session, or null for anonymous visitors. */
  session: Session | null;
  /** Value the CSRF token is bound to: the origin session id, or the anonymous cookie. */
  csrfBinding: string | null;
  /** Anonymous fallback binding for form tokens when no cookie comes back: a hash of the device. */
  deviceBinding: string;
  /** Set when this response must carry a URL session token (cookieless device or lost cookie). */
  urlSession: { token: string; marker: boolean } | null;
}

export interface AppEnv {
  Bindings: Bindings;
  Variables: Variables;
}
