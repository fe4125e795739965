import { Hono } from 'hono';
import { FriendRequestInput } from '../../shared/api.js';
import { enforce } from '../abuse/rate-limits.js';
import type { OriginContext } from '../context.js';
import { accept, decline, listRequests, sendRequest, unfriend } from '../graph/friends.js';
import type { AppEnv } from '../http/app-env.js';
import { parseMemberId } from '../members/members.js';
import { json, requireMember, tenantOf } from './validate.js';

export function friendRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>()
    .get('/friend-requests', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      return c.json(await listRequests(ctx, tenant.id, me));
    })
    .post('/friend-requests', json(FriendRequestInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await enforce(ctx, tenant.id, [['friendRequestsMember', me.toString()]]);
      const relation = await sendRequest(ctx, tenant, me, BigInt(c.req.valid('json').to));
      return c.json({ relation }, 201);
    })
    .post('/friend-requests/:id/accept', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await accept(ctx, tenant, me, parseMemberId(c.req.param('id')));
      return c.json({ relation: 'friend' });
    })
    .post('/friend-requests/:id/decline', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await decline(ctx, tenant, me, parseMemberId(c.req.param('id')));
      return c.json({ relation: 'none' });
    })
    .delete('/friends/:id', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await unfriend(ctx, tenant, me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    });
}
