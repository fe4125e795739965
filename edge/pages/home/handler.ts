// GET /home (members only) and POST /posts, which comes back to /home or shows the form errors.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import type { FieldErrors } from '../../forms/field-errors.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { listLimit } from '../../ui/budget.js';
import { markupFor, renderPage } from '../../ui/render.js';
import { buildHomeModel, type PostDraft, submitPost } from './model.js';
import { homeView } from './view.js';

async function render(c: Context<AppEnv>, older?: string, draft?: PostDraft, errors?: FieldErrors) {
  const markup = markupFor(c);
  const load = (limit: number) =>
    buildHomeModel(c.var.origin, c.var.tenant, c.var.session!.memberId, older, draft, errors, limit);
  const model = await load(listLimit(markup.budget, markup.tier));
  return renderPage(c, homeView(model, load));
}

export function homePage(c: Context<AppEnv>) {
  return render(c, c.req.query('older'));
}

export async function createPost(c: Context<AppEnv>) {
  const form = await readForm(c);
  const outcome = await submitPost(c.var.origin, form);
  if (!outcome.ok) return render(c, undefined, outcome.draft, outcome.errors);
  return c.redirect(safeBackPath(form.back, '/home'), 303);
}
