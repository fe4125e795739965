// The signed HTTP client for the origin API. Every call is HMAC-signed (shared/signing.ts) with
// the tenant, member, member's session, visitor's IP and request id; bounded by a timeout;
// retried once for idempotent GETs on a network error, and once for any method the origin
// refused for its signature (it acted on nothing); and guarded by a circuit breaker per tenant
// so a dead origin costs visitors nothing but a quick 503 page. Responses are parsed with the
// shared zod schemas; problems become the errors of origin-errors.ts by status and type.
import type { z } from 'zod';
import { PROBLEM_TYPES, Problem } from '../../shared/api.js';
import { signedHeaders } from '../../shared/signing.js';
import { breakerFor, type CircuitBreaker } from './circuit-breaker.js';
import { OriginProblem, OriginRateLimited, OriginUnavailable, SessionEnded } from './origin-errors.js';

export const DEFAULT_ORIGIN_TIMEOUT_MS = 3000;

export interface OriginIdentity {
  /** Tenant id; empty for the host lookup that finds the tenant. */
  tenant: string;
  /** Logged-in member id; empty for anonymous visitors. */
  member: string;
  /** The member's origin session as `<sid>.<version>` (sessionHeaderOf); empty without a member. */
  session: string;
  /** The visitor's address (CF-Connecting-IP); empty when unknown. The origin limits by it. */
  clientIp: string;
  requestId: string;
}

export interface OriginClientOptions {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  identity: OriginIdentity;
  /** Fixed breaker (tests); by default the one of this origin and tenant (breakerFor). */
  breaker?: CircuitBreaker;
  /** Told the duration of every round trip (for Server-Timing). */
  onRoundTrip?: (ms: number) => void;
}

export type QueryParams = Record<string, string | number | null | undefined>;

// The origin accepts each signature once; two identical calls in the same millisecond (a retry)
// would sign identically, so timestamps from this isolate only ever move forward.
let lastTimestamp = 0;
function nextTimestamp(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

function withQuery(path: string, query?: QueryParams): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

/** Longest Retry-After passed on to a visitor, whatever the origin says. */
const MAX_RETRY_AFTER_SECONDS = 3600;
const DEFAULT_RETRY_AFTER_SECONDS = 30;

/** Retry-After in seconds (delta-seconds or an HTTP date), bounded; a default when absent. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  const value = header?.trim() ?? '';
  let seconds = /^[0-9]{1,10}$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) seconds = DEFAULT_RETRY_AFTER_SECONDS;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds));
}

export class OriginClient {
  private readonly baseUrl: string;
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: OriginClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.breaker = options.breaker ?? breakerFor(this.baseUrl, options.identity.tenant);
  }

  get identity(): Readonly<OriginIdentity> {
    return this.options.identity;
  }

  /** The same client acting for another tenant or member. */
  withIdentity(change: Partial<OriginIdentity>): OriginClient {
    const identity = { ...this.options.identity, ...change };
    // A session belongs to its member: a call made as nobody (a shared fragment) names none.
    if (identity.member === '') identity.session = '';
    return new OriginClient({ ...this.options, identity });
  }

  async get<S extends z.ZodType>(path: string, schema: S, query?: QueryParams): Promise<z.infer<S>> {
    return this.parse(schema, await this.call('GET', withQuery(path, query), ''));
  }

  async post<S extends z.ZodType>(path: string, body: unknown, schema?: S): Promise<z.infer<S> | undefined> {
    const text = await this.call('POST', path, JSON.stringify(body ?? {}));
    return schema ? this.parse(schema, text) : undefined;
  }

  async delete(path: string): Promise<void> {
    await this.call('DELETE', path, '');
  }

  private parse<S extends z.ZodType>(schema: S, text: string): z.infer<S> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new OriginUnavailable('bad-response', 'not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new OriginUnavailable('bad-response', parsed.error.issues[0]?.message);
    return parsed.data;
  }

  /** Sends one signed request; returns the body text of a 2xx answer. */
  private async call(method: 'GET' | 'POST' | 'DELETE', pathWithQuery: string, body: string): Promise<string> {
    if (!this.breaker.allow()) throw new OriginUnavailable('circuit-open');
    let networkRetries = method === 'GET' ? 1 : 0;
    // A refused signature (clock skew, a replay after a retry) was refused before the origin
    // acted, so any method may be sent again, freshly signed (timestamps only move forward).
    let signatureRetries = 1;
    for (;;) {
      const started = Date.now();
      let response: Response;
      let text: string;
      try {
        const headers = await signedHeaders(this.options.secret, {
          method,
          pathWithQuery,
          body,
          ...this.options.identity,
          timestamp: nextTimestamp(),
        });
        response = await fetch(this.baseUrl + pathWithQuery, {
          method,
          headers: { ...headers, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body || undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS),
        });
        text = await response.text();
      } catch (err) {
        this.options.onRoundTrip?.(Date.now() - started);
        // A timeout is not retried: the origin is slow, and a second wait doubles the visitor's.
        if (!isTimeout(err) && networkRetries-- > 0) continue;
        this.breaker.recordFailure();
        throw new OriginUnavailable(isTimeout(err) ? 'timeout' : 'network', String(err));
      }
      this.options.onRoundTrip?.(Date.now() - started);
      const status = response.status;
      if (status < 400) {
        this.breaker.recordSuccess();
        return text;
      }
      const problem = parseProblem(status, text);
      // Only "the whole origin cannot serve" counts against the breaker. Any other answer,
      // a 500 or one shard's 503 included, shows the origin is there: the breaker stays shut.
      if (status === 503 && problem.type === PROBLEM_TYPES.originUnavailable) {
        this.breaker.recordFailure();
        throw new OriginUnavailable('origin-unavailable', problem.detail);
      }
      this.breaker.recordSuccess();
      if (status >= 500) throw new OriginUnavailable('server-error', `status ${status}`);
      if (status === 401 && problem.type === PROBLEM_TYPES.signature) {
        if (signatureRetries-- > 0) continue;
        // Never the member's fault: a "try again" page, and the session stays.
        throw new OriginUnavailable('signature', problem.detail);
      }
      if (status === 401 && problem.type === PROBLEM_TYPES.sessionEnded) throw new SessionEnded(problem);
      if (status === 429) {
        throw new OriginRateLimited(problem, retryAfterSeconds(response.headers.get('retry-after')));
      }
      throw new OriginProblem(problem);
    }
  }
}

function parseProblem(status: number, text: string): Problem {
  try {
    const parsed = Problem.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: fall through to a generic problem
  }
  return { type: 'about:blank', title: `HTTP ${status}`, status };
}
