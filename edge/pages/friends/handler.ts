// GET /friends, and the friend actions posted from it and from profiles; each action goes back
// (303) to where it was posted from.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { renderPage } from '../../ui/render.js';
import { renderError } from '../error/render-error.js';
import { FriendsBasic } from './basic.js';
import { buildFriendsModel, type FriendAction, performFriendAction } from './model.js';
import { FriendsRich } from './rich.js';

export async function friendsPage(c: Context<AppEnv>) {
  const model = await buildFriendsModel(c.var.origin, c.var.tenant, c.var.session!.memberId);
  return renderPage(c, { title: 'Friends', model, rich: FriendsRich, basic: FriendsBasic });
}

export function friendAction(action: FriendAction) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    const otherId = action === 'request' ? (form.to ?? '') : (c.req.param('id') ?? '');
    if (!(await performFriendAction(c.var.origin, action, otherId))) return renderError(c, 400, 'bad-request');
    return c.redirect(safeBackPath(form.back, '/friends'), 303);
  };
}
