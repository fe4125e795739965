// Every failure ends as a friendly page in the visitor's tier: origin down or slow -> 503,
// origin 4xx -> the matching page (401 -> log in), CSRF -> 403, bad input -> 4xx. Only a bug
// in the edge itself reaches the 500 page, and it is logged with the request id.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../env.js';
import { OriginProblem, OriginUnavailable } from '../origin-client/origin-errors.js';
import { renderError } from '../pages/error/render-error.js';
import { CsrfRejected } from '../session/csrf.js';
import { endSession } from '../session/session.js';

function log(c: Context<AppEnv>, level: 'warn' | 'error', msg: string, err: unknown) {
  const line = { level, msg, requestId: c.get('requestId'), path: c.req.path, err: String(err) };
  (level === 'error' ? console.error : console.warn)(JSON.stringify(line));
}

export async function onError(err: Error, c: Context<AppEnv>): Promise<Response> {
  try {
    if (err instanceof OriginUnavailable) {
      log(c, 'warn', 'origin unavailable', err);
      return await renderError(c, 503, 'unavailable');
    }
    if (err instanceof CsrfRejected) {
      log(c, 'warn', 'csrf rejected', err);
      return await renderError(c, 403, 'csrf');
    }
    if (err instanceof OriginProblem) {
      if (err.status === 401) {
        // The origin no longer accepts this member (deleted, signed out elsewhere): log in again.
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
