// GET /notifications (members only): the list, fitted to the budget; once it is shown, everything
// counts as seen at the origin. POST /notifications/:id/read marks one (and those folded into it).
import type { Context } from 'hono';
import { isId } from '../../../shared/ids.js';
import type { AppEnv } from '../../env.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { NOTIFICATION_BYTES } from '../../ui/budget.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { deferWork } from '../../worker-context.js';
import { renderError } from '../error/render-error.js';
import { buildNotificationsModel } from './model.js';
import { notificationsView } from './view.js';

export async function notificationsPage(c: Context<AppEnv>) {
  const older = c.req.query('older');
  const load = (limit: number) => buildNotificationsModel(c.get('origin'), older, limit);
  const model = await load(listLimitFor(c, NOTIFICATION_BYTES));
  // Rendered first (a shorter list may be loaded again while fitting), so the new ones still
  // show as new on this visit; marked seen after, without keeping the visitor waiting.
  const response = await renderPage(c, notificationsView(model, load));
  if (model.unseen > 0) deferWork(c, c.get('origin').post('/v1/notifications/seen', {}));
  return response;
}

export async function markNotificationRead(c: Context<AppEnv>) {
  const form = await readForm(c);
  const id = c.req.param('id') ?? '';
  if (!isId(id)) return renderError(c, 404, 'not-found');
  await c.get('origin').post(`/v1/notifications/${id}/read`, {});
  return c.redirect(safeBackPath(form.back, '/notifications'), 303);
}
