// GET /tags/:tag and GET /places/:place: public for anonymous visitors (and cached, like
// profiles: the route uses pageCache), personal for members. Every spelling of a topic
// (#Picnic, PICNIC, "Café Luna") redirects to its one canonical path, so the shared cache holds
// one copy per topic and purges (after a post with a hashtag) reach it.
import type { Context } from 'hono';
import type { AppEnv } from '../../env.js';
import { listLimitFor, renderPage } from '../../ui/render.js';
import { renderError } from '../error/render-error.js';
import { buildTopicModel, TOPIC_PROBLEM, type TopicKind, topicKey, topicPath } from './model.js';
import { topicView } from './view.js';

export function topicPage(kind: TopicKind) {
  return async (c: Context<AppEnv>) => {
    if (!c.get('session') && !c.get('tenant').switches.publicPages) return c.redirect('/login', 303);
    const key = topicKey(kind, c.req.param(kind) ?? '');
    if (key === null) return renderError(c, 400, 'bad-request', TOPIC_PROBLEM[kind]);
    const path = topicPath(kind, key);
    const older = c.req.query('older');
    if (new URL(c.req.url).pathname !== path) {
      return c.redirect(older ? `${path}?older=${encodeURIComponent(older)}` : path, 301);
    }
    const load = (limit: number) => buildTopicModel(c.get('origin'), kind, key, older, limit);
    const model = await load(listLimitFor(c));
    return renderPage(c, topicView(model, load));
  };
}
