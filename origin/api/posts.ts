import { Hono } from 'hono';
import { PostInput, StreamQuery } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { createPost } from '../items/items.js';
import { getMember } from '../members/members.js';
import { readHome } from '../streams/home.js';
import { presentEntry } from '../streams/present.js';
import { readPublic } from '../streams/public-stream.js';
import { json, query, requireMember, tenantOf } from './validate.js';

export function postRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>()
    .post('/posts', json(PostInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const actor = await getMember(ctx, tenant.id, me);
      const item = await createPost(ctx, tenant, me, c.req.valid('json'));
      return c.json(presentEntry(item, actor), 201);
    })
    .get('/streams/home', query(StreamQuery), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const { older, limit } = c.req.valid('query');
      return c.json(await readHome(ctx, tenant, me, older, limit));
    })
    .get('/streams/public', query(StreamQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const { older, limit } = c.req.valid('query');
      return c.json(await readPublic(ctx, tenant, older, limit));
    });
}
