// GET /home (members only) and POST /posts, which comes back to /home or shows the form errors.
import type { Context } from 'hono';
import type { EventType } from '../../../shared/events.js';
import type { AppEnv } from '../../env.js';
import type { FieldErrors } from '../../forms/field-errors.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { parseTypeFilter } from '../../ui/type-filter.js';
import { renderError } from '../error/render-error.js';
import { buildHomeModel, type PostDraft, submitPost } from './model.js';
import { homeView } from './view.js';

async function render(
  c: Context<AppEnv>,
  older?: string,
  draft?: PostDraft,
  errors?: FieldErrors,
  types: EventType[] | null = null,
) {
  const load = (limit: number) =>
    buildHomeModel(c.get('origin'), c.get('tenant'), c.get('session')!.memberId, older, draft, errors, limit, types);
  const model = await load(listLimitFor(c));
  return renderPage(c, homeView(model, load));
}

/** GET /home, optionally `?types=photo,video` (an unknown type is a 400 page, not an origin call). */
export function homePage(c: Context<AppEnv>) {
  const filter = parseTypeFilter(c.req.query('types'));
  if (!filter.ok) return renderError(c, 400, 'bad-request', filter.detail);
  return render(c, c.req.query('older'), undefined, undefined, filter.types);
}

export async function createPost(c: Context<AppEnv>) {
  const form = await readForm(c);
  const outcome = await submitPost(c.get('origin'), form);
  if (!outcome.ok) return render(c, undefined, outcome.draft, outcome.errors);
  return c.redirect(safeBackPath(form.back, '/home'), 303);
}
