// GET /home (members only) and POST /posts, which comes back to /home or shows the form errors.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import type { FieldErrors } from '../../forms/field-errors.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { renderPage } from '../../ui/render.js';
import { HomeBasic } from './basic.js';
import { buildHomeModel, type PostDraft, submitPost } from './model.js';
import { HomeRich } from './rich.js';

async function render(c: Context<AppEnv>, older?: string, draft?: PostDraft, errors?: FieldErrors) {
  const model = await buildHomeModel(c.var.origin, c.var.tenant, c.var.session!.memberId, older, draft, errors);
  const status = errors ? 400 : 200;
  return renderPage(c, { title: 'Home', model, rich: HomeRich, basic: HomeBasic, status });
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
