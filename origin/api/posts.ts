import { Hono } from 'hono';
import { PostInput, StreamQuery } from '../../shared/api.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { deleteItem, restoreItem } from '../items/delete.js';
import { createPost, loadItems } from '../items/items.js';
import { getMember, parseMemberId } from '../members/members.js';
import { readHome } from '../streams/home.js';
import { presentEntry } from '../streams/present.js';
import { readPublic } from '../streams/public-stream.js';
import { json, query, requireMember, tenantOf } from './validate.js';

/** Item ids in URLs: malformed ones are a 404, like unknown ones. */
const parseItemId = (text: string) => parseMemberId(text);

export function postRoutes(ctx: OriginContext) {
  return new Hono<AppEnv>()
    .post('/posts', json(PostInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const actor = await getMember(ctx, tenant.id, me);
      const item = await createPost(ctx, tenant, me, c.req.valid('json'));
      return c.json(presentEntry(item, actor), 201);
    })
    .delete('/posts/:id', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await deleteItem(ctx, tenant, me, parseItemId(c.req.param('id')));
      return c.body(null, 204);
    })
    .post('/posts/:id/restore', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const id = parseItemId(c.req.param('id'));
      await restoreItem(ctx, tenant, me, id);
      const item = (await loadItems(ctx, tenant.id, [id])).get(id.toString())!;
      return c.json(presentEntry(item, await getMember(ctx, tenant.id, me)));
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
