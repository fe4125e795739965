// What the fake origin (fake-origin.ts) does before any route, as the real origin does: problem
// documents, the failure modes tests switch on, the signature check (a replayed signature is
// refused) and the members' sessions (a session that was ended gets session-ended); and the stub
// over fetch that hands each call to the fake origin of its tenant.
import { env } from 'cloudflare:workers';
import { vi } from 'vitest';
import { PROBLEM_TYPES, type Problem, type SessionInfo, type Tenant } from '../../shared/api.js';
import { HEADER } from '../../shared/headers.js';
import { verify } from '../../shared/signing.js';

/**
 * How the origin answers every call: normally, not at all (hang, down), with a 500, with one
 * shard's 503 (default problem type), with the origin-wide 503, refusing every signature, with
 * a plain 401 ("log in first"), or rate limiting (429 with Retry-After).
 */
export type OriginMode =
  | 'ok'
  | 'hang'
  | 'down'
  | 'error-500'
  | 'shard-503'
  | 'unavailable-503'
  | 'signature-401'
  | 'unauthorized-401'
  | 'rate-limited';

export function problem(
  status: number,
  title: string,
  detail?: string,
  errors?: Problem['errors'],
  type = `https://chorus.dev/problems/${status}`,
  headers: Record<string, string> = {},
): Response {
  const body: Problem = { type, title, status, detail, errors };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** The answer of a failure mode (before the signature is looked at), or null for 'ok'/'signature-401'. */
export function faultAnswer(
  mode: OriginMode,
  retryAfter: number,
  signal?: AbortSignal | null,
): Response | Promise<Response> | null {
  switch (mode) {
    case 'down':
      throw new TypeError('Network connection lost.');
    case 'hang':
      return new Promise<Response>((_, reject) => {
        signal?.addEventListener('abort', () => reject(signal.reason ?? new DOMException('aborted', 'TimeoutError')));
      });
    case 'error-500':
      return problem(500, 'Internal error');
    case 'shard-503':
      return problem(503, 'Service unavailable', 'shard-3 is not answering');
    case 'unavailable-503':
      return problem(503, 'Service unavailable', 'the directory is down', undefined, PROBLEM_TYPES.originUnavailable);
    case 'rate-limited':
      return problem(429, 'Too many requests', 'slow down', undefined, PROBLEM_TYPES.rateLimited, {
        'retry-after': String(retryAfter),
      });
    case 'unauthorized-401':
      return problem(401, 'Unauthorized', 'log in first');
    default:
      return null;
  }
}

export const signatureProblem = (reason: string) =>
  problem(401, 'Unauthorized', `request signature ${reason}`, undefined, PROBLEM_TYPES.signature);

export const sessionEndedProblem = () =>
  problem(401, 'Unauthorized', 'this session has ended', undefined, PROBLEM_TYPES.sessionEnded);

/** Checks signatures as the origin does: valid, fresh, and each accepted once. */
export class SignatureCheck {
  private readonly seen = new Set<string>();

  /** Why the request's signature is refused, or null when it is fine. */
  async refusal(request: Request, body: string): Promise<string | null> {
    const url = new URL(request.url);
    const header = (name: string) => request.headers.get(name) ?? '';
    const signature = request.headers.get(HEADER.signature) ?? undefined;
    const result = await verify(
      env.ORIGIN_SECRET!,
      {
        method: request.method,
        pathWithQuery: url.pathname + url.search,
        body,
        timestamp: Number(header(HEADER.timestamp)),
        tenant: header(HEADER.tenant),
        member: header(HEADER.member),
        requestId: header(HEADER.requestId),
        session: header(HEADER.session),
        clientIp: header(HEADER.clientIp),
      },
      signature,
    );
    if (!result.ok) return result.reason;
    if (this.seen.has(signature!)) return 'replayed';
    this.seen.add(signature!);
    return null;
  }
}

/** Members' sessions: ended one by one (logout) or all at once (a raised version). */
export class FakeSessions {
  private readonly sessions = new Map<string, { member: string; version: number; ended: boolean }>();
  /** Member id -> session version (raised by log out everywhere, a new password). */
  private readonly versions = new Map<string, number>();

  begin(member: string): SessionInfo {
    const id = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
    const version = this.versions.get(member) ?? 1;
    this.versions.set(member, version);
    this.sessions.set(id, { member, version, ended: false });
    return { id, version };
  }

  /** Ends the session an `x-chorus-session` header names. */
  end(header: string): void {
    const session = this.sessions.get(header.split('.')[0] ?? '');
    if (session) session.ended = true;
  }

  endAllOf(member: string): void {
    this.versions.set(member, (this.versions.get(member) ?? 1) + 1);
  }

  /** Whether `x-chorus-session` names a live session of `member`. */
  isLive(member: string, header: string): boolean {
    const [id, version] = header.split('.');
    const session = this.sessions.get(id ?? '');
    return (
      session !== undefined &&
      !session.ended &&
      session.member === member &&
      String(session.version) === version &&
      session.version === this.versions.get(member)
    );
  }
}

interface Installable {
  readonly tenant: Tenant;
  handle(request: Request, signal?: AbortSignal | null): Promise<Response>;
}

// The fake origins currently installed over fetch (forgotten once the stub is restored).
const installed: Installable[] = [];

/** The installed origin a call is for: by the tenant it names (the host lookup: by host). */
function dispatch(request: Request): Installable {
  const url = new URL(request.url);
  const host = url.pathname === '/v1/tenants/resolve' ? url.searchParams.get('host') : null;
  const tenant = request.headers.get(HEADER.tenant);
  const found = installed.find((o) => (host !== null ? o.tenant.hosts.includes(host) : o.tenant.id === tenant));
  return found ?? installed.at(-1)!;
}

/** Stubs global fetch (once): origin-bound calls go to `origin` or another installed one, anything else fails. */
export function installOverFetch(origin: Installable): void {
  if (!vi.isMockFunction(globalThis.fetch)) {
    installed.length = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const request = new Request(input as RequestInfo, init as RequestInit);
      if (!request.url.startsWith(env.ORIGIN_URL)) throw new Error(`unexpected fetch ${request.url}`);
      const signal = (init as RequestInit | undefined)?.signal ?? request.signal;
      return dispatch(request).handle(request, signal);
    });
  }
  installed.push(origin);
}
