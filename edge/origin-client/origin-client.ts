// The signed HTTP client for the origin API. Every call is HMAC-signed (shared/signing.ts) with
// the tenant, member and request id; bounded by a timeout; retried once for idempotent GETs
// on a network error; and guarded by a circuit breaker so a dead origin costs visitors nothing
// but a quick 503 page. Responses are parsed with the shared zod schemas.
import type { z } from 'zod';
import { Problem } from '../../shared/api.js';
import { signedHeaders } from '../../shared/signing.js';
import { breakerFor, type CircuitBreaker } from './circuit-breaker.js';
import { OriginProblem, OriginUnavailable } from './origin-errors.js';

export const DEFAULT_ORIGIN_TIMEOUT_MS = 3000;

export interface OriginIdentity {
  /** Tenant id; empty for the host lookup that finds the tenant. */
  tenant: string;
  /** Logged-in member id; empty for anonymous visitors. */
  member: string;
  requestId: string;
}

export interface OriginClientOptions {
  baseUrl: string;
  secret: string;
  timeoutMs?: number;
  identity: OriginIdentity;
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

export class OriginClient {
  private readonly baseUrl: string;
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: OriginClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.breaker = options.breaker ?? breakerFor(this.baseUrl);
  }

  get identity(): Readonly<OriginIdentity> {
    return this.options.identity;
  }

  /** The same client acting for another tenant or member. */
  withIdentity(change: Partial<OriginIdentity>): OriginClient {
    return new OriginClient({ ...this.options, identity: { ...this.options.identity, ...change } });
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
    const attempts = method === 'GET' ? 2 : 1;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let status: number;
      let text: string;
      try {
        const headers = await signedHeaders(this.options.secret, {
          method,
          pathWithQuery,
          body,
          ...this.options.identity,
          timestamp: nextTimestamp(),
        });
        const response = await fetch(this.baseUrl + pathWithQuery, {
          method,
          headers: { ...headers, accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body || undefined,
          signal: AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_ORIGIN_TIMEOUT_MS),
        });
        status = response.status;
        text = await response.text();
      } catch (err) {
        this.options.onRoundTrip?.(Date.now() - started);
        // A timeout is not retried: the origin is slow, and a second wait doubles the visitor's.
        if (!isTimeout(err) && attempt < attempts) continue;
        this.breaker.recordFailure();
        throw new OriginUnavailable(isTimeout(err) ? 'timeout' : 'network', String(err));
      }
      this.options.onRoundTrip?.(Date.now() - started);
      if (status >= 500) {
        this.breaker.recordFailure();
        throw new OriginUnavailable('server-error', `status ${status}`);
      }
      this.breaker.recordSuccess();
      if (status >= 400) throw new OriginProblem(parseProblem(status, text));
      return text;
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
