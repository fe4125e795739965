// GET /friends, and the friend actions posted from it and from profiles; each action goes back
// (303) to where it was posted from.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { readForm, safeBackPath } from '../../forms/read-form.js';
import { PERSON_BYTES } from '../../ui/budget.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { renderError } from '../error/render-error.js';
import { type FriendAction, fetchFriendLists, parseFrom, performFriendAction } from './model.js';
import { friendsView } from './view.js';

/** Most people on one friends page, however big the budget. */
export const MAX_PEOPLE = 50;

export async function friendsPage(c: Context<AppEnv>) {
  const lists = await fetchFriendLists(c.get('origin'), c.get('session')!.memberId);
  const from = parseFrom(c.req.query('from'));
  const open = c.get('tenant').switches.friending;
  return renderPage(c, friendsView(lists, open, from, listLimitFor(c, PERSON_BYTES, MAX_PEOPLE)));
}

export function friendAction(action: FriendAction) {
  return async (c: Context<AppEnv>) => {
    const form = await readForm(c);
    const otherId = action === 'request' ? (form.to ?? '') : (c.req.param('id') ?? '');
    if (!(await performFriendAction(c.get('origin'), action, otherId))) return renderError(c, 400, 'bad-request');
    return c.redirect(safeBackPath(form.back, '/friends'), 303);
  };
}
