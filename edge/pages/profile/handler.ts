// GET /u/:username: public for anonymous visitors (and cached), personal for members.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { renderPage } from '../../ui/render.js';
import { renderError } from '../error/render-error.js';
import { ProfileBasic } from './basic.js';
import { buildProfileModel } from './model.js';
import { ProfileRich } from './rich.js';

export async function profilePage(c: Context<AppEnv>) {
  const loggedIn = c.var.session !== null;
  // A tenant can keep its members' pages away from the public.
  if (!loggedIn && !c.var.tenant.switches.publicPages) return c.redirect('/login', 303);
  const model = await buildProfileModel(
    c.var.origin,
    c.var.tenant,
    c.req.param('username') ?? '',
    loggedIn,
    c.req.query('older'),
  );
  if (!model) return renderError(c, 404, 'not-found');
  const title = model.profile.member.displayName;
  return renderPage(c, { title, model, rich: ProfileRich, basic: ProfileBasic });
}
