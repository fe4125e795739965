// What can go wrong talking to the origin, as kinds the pages handle differently: the origin
// answered with a problem (4xx: show it), the member's session is over (log in again), the
// visitor is going too fast (429 page), or it could not answer (show 503).
import type { Problem } from '../../shared/api.js';

/** The origin answered with application/problem+json (a 4xx the visitor can act on). */
export class OriginProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`origin ${problem.status}: ${problem.title}${problem.detail ? ` (${problem.detail})` : ''}`);
  }

  get status(): number {
    return this.problem.status;
  }

  /** Field messages from a 400 validation problem, keyed by field path. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.path] ??= e.message;
    return out;
  }
}

/**
 * The origin refused a request for being one too many (429). A kind of OriginProblem, so code
 * that picks the problems it handles by status passes it on; the error page uses its Retry-After.
 */
export class OriginRateLimited extends OriginProblem {
  constructor(
    problem: Problem,
    readonly retryAfterSeconds: number,
  ) {
    super(problem);
  }
}

/**
 * The member's session was ended at the origin (logout, log out everywhere, a new password, the
 * account deleted): the edge's cookie or URL token is still well signed but no longer a session.
 * Not an OriginProblem, so no page mistakes it for a 401 of its own (a wrong password).
 */
export class SessionEnded extends Error {
  constructor(readonly problem: Problem) {
    super(`origin session ended${problem.detail ? ` (${problem.detail})` : ''}`);
  }
}

export type UnavailableReason =
  | 'timeout'
  | 'network'
  | 'circuit-open'
  | 'origin-unavailable'
  | 'server-error'
  | 'signature'
  | 'bad-response';

/**
 * The origin did not give a usable answer: down, slow, 5xx, a signature it kept refusing, or a
 * response we cannot parse. Shown as the 503 "try again" page; the session is kept.
 */
export class OriginUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    detail?: string,
  ) {
    super(`origin unavailable: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}
