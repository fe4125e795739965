// GET / : members go to their home stream; everyone else sees the (cacheable) front page, with
// as many public updates as the device's page budget takes.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { buildFrontModel } from './model.js';
import { frontView } from './view.js';

export async function frontPage(c: Context<AppEnv>) {
  if (c.get('session')) return c.redirect('/home', 303);
  const older = c.req.query('older');
  const load = (limit: number) => buildFrontModel(c.get('origin'), c.get('tenant'), older, limit);
  const model = await load(listLimitFor(c));
  return renderPage(c, frontView(model, load));
}
