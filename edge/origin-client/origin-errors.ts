// What can go wrong talking to the origin, as two kinds the pages handle differently:
// the origin answered with a problem (4xx: show it), or it could not answer (show 503).
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

export type UnavailableReason = 'timeout' | 'network' | 'circuit-open' | 'server-error' | 'bad-response';

/** The origin did not give a usable answer: down, slow, 5xx, or a response we cannot parse. */
export class OriginUnavailable extends Error {
  constructor(
    readonly reason: UnavailableReason,
    detail?: string,
  ) {
    super(`origin unavailable: ${reason}${detail ? ` (${detail})` : ''}`);
  }
}
