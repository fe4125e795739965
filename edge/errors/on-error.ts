// Every failure ends as a friendly page in the visitor's tier: origin down or slow -> 503,
// origin 4xx -> the matching page, CSRF -> 403, bad input -> 4xx. Origin 401s are told apart by
// problem type: the member's session was ended -> forget it here and log in again; a refused
// signature (already retried once by the client) -> the 503 "try again" page, the session kept;
// any other 401 ("log in first") -> the log-in page. Only a bug in the edge itself reaches the
// 500 page, and it is logged with the request id.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';
import { OriginProblem, OriginRateLimited, OriginUnavailable, SessionEnded } from '../origin-client/origin-errors.js';
import { renderError, renderRateLimited } from '../pages/error/render-error.js';
import { CsrfRejected } from '../session/csrf.js';
import { endSession } from '../session/session.js';

function log(c: Context<AppEnv>, level: 'info' | 'warn' | 'error', msg: string, err: unknown) {
  const line = { level, msg, requestId: c.get('requestId'), path: c.req.path, err: String(err) };
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(JSON.stringify(line));
}

export async function onError(err: Error, c: Context<AppEnv>): Promise<Response> {
  try {
    if (err instanceof OriginUnavailable) {
      log(c, 'warn', 'origin unavailable', err);
      return await renderError(c, 503, 'unavailable');
    }
    if (err instanceof SessionEnded) {
      // Ended elsewhere (logout, log out everywhere, a new password): the cookie or token goes,
      // so the log-in page that follows is not bounced back here.
      log(c, 'info', 'origin session ended', err);
      endSession(c);
      return c.redirect('/login', 303);
    }
    if (err instanceof CsrfRejected) {
      log(c, 'warn', 'csrf rejected', err);
      return await renderError(c, 403, 'csrf');
    }
    if (err instanceof OriginRateLimited) {
      log(c, 'warn', 'origin rate limited', err);
      return await renderRateLimited(c, err.retryAfterSeconds);
    }
    if (err instanceof OriginProblem) {
      if (err.status === 401) {
        // "Log in first": the origin has no member on this request. A session the edge still
        // holds is of no use to it, and keeping it would bounce /login back to the member pages.
        endSession(c);
        return c.redirect('/login', 303);
      }
      return await renderError(c, err.status, undefined, err.problem.detail ?? null);
    }
    if (err instanceof HTTPException && err.status < 500) {
      return await renderError(c, err.status, undefined, err.message || null);
    }
    log(c, 'error', 'unexpected error', err instanceof Error ? (err.stack ?? err) : err);
    return await renderError(c, 500, 'internal');
  } catch (renderFailure) {
    // Rendering the error page failed too: plain text, still friendly, still logged.
    log(c, 'error', 'error page failed', renderFailure);
    return c.text('Something went wrong. Please try again.', 500, { 'Cache-Control': 'private, no-store' });
  }
}
