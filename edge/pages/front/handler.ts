// GET / : members go to their home stream; everyone else sees the (cacheable) front page.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { renderPage } from '../../ui/render.js';
import { FrontBasic } from './basic.js';
import { buildFrontModel } from './model.js';
import { FrontRich } from './rich.js';

export async function frontPage(c: Context<AppEnv>) {
  if (c.var.session) return c.redirect('/home', 303);
  const model = await buildFrontModel(c.var.origin, c.var.tenant, c.req.query('older'));
  return renderPage(c, { title: 'Welcome', model, rich: FrontRich, basic: FrontBasic });
}
