// GET /u/:username: public for anonymous visitors (and cached), personal for members.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { renderError } from '../error/render-error.js';
import { buildProfileModel } from './model.js';
import { profileView } from './view.js';

export async function profilePage(c: Context<AppEnv>) {
  const loggedIn = c.get('session') !== null;
  // A tenant can keep its members' pages away from the public.
  if (!loggedIn && !c.get('tenant').switches.publicPages) return c.redirect('/login', 303);
  const username = c.req.param('username') ?? '';
  const older = c.req.query('older');
  const load = (limit: number) =>
    buildProfileModel(c.get('origin'), c.get('tenant'), username, loggedIn, older, limit).then((m) => {
      if (!m) throw new Error('the member disappeared while the page was being fitted');
      return m;
    });
  const model = await buildProfileModel(c.get('origin'), c.get('tenant'), username, loggedIn, older, listLimitFor(c));
  if (!model) return renderError(c, 404, 'not-found');
  return renderPage(c, profileView(model, load));
}
