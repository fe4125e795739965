// Renders a friendly error page in the visitor's tier. Error pages are never cached and never
// carry forms, so they are safe to show before the tenant or session is known.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { safeBackPath } from '../../forms/read-form.js';
import { renderPage } from '../../ui/render.js';
import { type ErrorKind, errorModel, rateLimitedModel } from './model.js';
import { errorView } from './view.js';

export async function renderError(c: Context<AppEnv>, status: number, kind?: ErrorKind, detail?: string | null) {
  const model = errorModel(kind ?? kindForStatus(status), detail ?? null);
  const response = await renderPage(c, errorView(model));
  response.headers.set('Cache-Control', 'private, no-store');
  if (model.status === 503 || model.status === 429) response.headers.set('Retry-After', '30');
  return response;
}

/**
 * The 429 page, from the edge's limits or the origin's, with the wait they gave as Retry-After.
 * After a form post it says that nothing was saved and links back to the page the form was on
 * (what was typed is still there in most browsers' history), so no post is lost unnoticed.
 */
export async function renderRateLimited(c: Context<AppEnv>, retryAfterSeconds: number) {
  const posted = c.req.method === 'POST';
  const model = rateLimitedModel(retryAfterSeconds, posted ? formPageOf(c) : null);
  const response = await renderPage(c, errorView(model));
  response.headers.set('Cache-Control', 'private, no-store');
  response.headers.set('Retry-After', String(retryAfterSeconds));
  return response;
}

/** The same-site page a form was posted from, by its Referer (when the browser sent one). */
function formPageOf(c: Context<AppEnv>): string {
  try {
    const referer = new URL(c.req.header('referer') ?? '');
    if (referer.origin === new URL(c.req.url).origin) return safeBackPath(referer.pathname + referer.search, '/');
  } catch {
    // no Referer, or not a URL
  }
  return '/';
}

export function kindForStatus(status: number): ErrorKind {
  switch (status) {
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 413:
      return 'too-large';
    case 429:
      return 'rate-limited';
    case 503:
      return 'unavailable';
    default:
      return status >= 500 ? 'internal' : 'bad-request';
  }
}
