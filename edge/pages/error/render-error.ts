// Renders a friendly error page in the visitor's tier. Error pages are never cached and never
// carry forms, so they are safe to show before the tenant or session is known.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { renderPage } from '../../ui/render.js';
import { type ErrorKind, errorModel } from './model.js';
import { errorView } from './view.js';

export async function renderError(c: Context<AppEnv>, status: number, kind?: ErrorKind, detail?: string | null) {
  const model = errorModel(kind ?? kindForStatus(status), detail ?? null);
  const response = await renderPage(c, errorView(model));
  response.headers.set('Cache-Control', 'private, no-store');
  if (model.status === 503 || model.status === 429) response.headers.set('Retry-After', '30');
  return response;
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
