import { Hono } from 'hono';
import { StreamQuery } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { parseMemberId } from '../members/members.js';
import { markAllSeen, markRead, readNotifications } from '../notifications/notifications.js';
import { notificationsToOrderedCollectionPage, wantsActivityStreams } from '../streams/activitystreams.js';
import { query, requireMember, tenantOf } from './validate.js';

export function notificationRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>()
    .get('/notifications', query(StreamQuery), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const { older, limit } = c.req.valid('query');
      const page = await readNotifications(ctx, tenant, me, older, limit);
      if (!wantsActivityStreams(c.req.header('accept'), c.req.query('format'))) return c.json(page);
      return c.body(JSON.stringify(notificationsToOrderedCollectionPage(page, new URL(c.req.url))), 200, {
        'content-type': 'application/activity+json; charset=utf-8',
      });
    })
    .post('/notifications/seen', async (c) => {
      const me = requireMember(c);
      await markAllSeen(ctx, await tenantOf(ctx, c), me);
      return c.body(null, 204);
    })
    .post('/notifications/:id/read', async (c) => {
      const me = requireMember(c);
      // Notification ids parse like any id: malformed ones are a 404.
      await markRead(ctx, await tenantOf(ctx, c), me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    });
}
