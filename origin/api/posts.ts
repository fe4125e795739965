// Publishing and deleting events, and the streams. Every stream answers JSON (StreamPage) or,
// asked for `application/activity+json`, ActivityStreams 2.0 (see streams/activitystreams.ts).
import { type Context, Hono } from 'hono';
import {
  AudienceChange,
  EventInput,
  PostInput,
  type StreamEntry,
  type StreamPage,
  StreamQuery,
} from '../../shared/api.js';
import { placeSlug } from '../../shared/events.js';
import { enforce } from '../abuse/rate-limits.js';
import type { OriginContext } from '../context.js';
import type { AppEnv } from '../http/app-env.js';
import { badRequest } from '../http/problem.js';
import { changeAudience } from '../items/audience.js';
import { deleteItem, restoreItem } from '../items/delete.js';
import { createEvent, createPost } from '../items/events.js';
import { type ItemRow, loadItems } from '../items/items.js';
import { getMember, parseMemberId } from '../members/members.js';
import { toOrderedCollectionPage, wantsActivityStreams } from '../streams/activitystreams.js';
import { readHome } from '../streams/home.js';
import { readPage } from '../streams/page.js';
import { presentEntry } from '../streams/present.js';
import { canSee, loadViewer } from '../streams/rules.js';
import { readShared } from '../streams/shared-streams.js';
import { json, query, requireMember, tenantOf } from './validate.js';

/** Item ids in URLs: malformed ones are a 404, like unknown ones. */
const parseItemId = (text: string) => parseMemberId(text);

export function respondStream(c: Context<AppEnv>, page: StreamPage) {
  if (!wantsActivityStreams(c.req.header('accept'), c.req.query('format'))) return c.json(page);
  return c.body(JSON.stringify(toOrderedCollectionPage(page, new URL(c.req.url))), 200, {
    'content-type': 'application/activity+json; charset=utf-8',
  });
}

const TAG = /^[\p{L}\p{N}_]{1,50}$/u;

export function postRoutes(ctx: OriginContext) {
  /**
   * The just-written item as the author sees it in a stream. A like or comment whose object is
   * gone or hidden from its author has no stream entry: it is answered without the object.
   */
  async function presentOwn(tenantId: string, me: bigint, item: ItemRow): Promise<StreamEntry> {
    const viewer = await loadViewer(ctx, tenantId, me);
    const page = await readPage(ctx, {
      tenantId,
      viewer,
      olderThan: item.id + 1n,
      limit: 1,
      rule: canSee,
      skeleton: async () => ({ entries: [{ id: item.id.toString(), type: item.verb as never }], exhausted: true }),
    });
    if (page.entries[0]) return page.entries[0];
    const author = await getMember(ctx, tenantId, me);
    return presentEntry({ ...item, objectId: null }, { members: new Map([[author.id, author]]), objects: new Map() })!;
  }

  return new Hono<AppEnv>()
    .post('/posts', json(PostInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await enforce(ctx, tenant.id, [['postsMember', me.toString()]]);
      await getMember(ctx, tenant.id, me); // a signed id of a deleted or unknown member posts nothing
      const item = await createPost(ctx, tenant, me, c.req.valid('json'));
      return c.json(await presentOwn(tenant.id, me, item), 201);
    })
    .post('/events', json(EventInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await enforce(ctx, tenant.id, [['postsMember', me.toString()]]);
      await getMember(ctx, tenant.id, me);
      const item = await createEvent(ctx, tenant, me, c.req.valid('json'));
      return c.json(await presentOwn(tenant.id, me, item), 201);
    })
    .patch('/posts/:id', json(AudienceChange), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await getMember(ctx, tenant.id, me); // a deleted account's stale session changes nothing
      const item = await changeAudience(ctx, tenant, me, parseItemId(c.req.param('id')), c.req.valid('json'));
      return c.json(await presentOwn(tenant.id, me, item));
    })
    .delete('/posts/:id', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await getMember(ctx, tenant.id, me);
      await deleteItem(ctx, tenant, me, parseItemId(c.req.param('id')));
      return c.body(null, 204);
    })
    .post('/posts/:id/restore', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await getMember(ctx, tenant.id, me);
      const id = parseItemId(c.req.param('id'));
      await restoreItem(ctx, tenant, me, id);
      const item = (await loadItems(ctx, tenant.id, [id])).get(id.toString())!;
      return c.json(await presentOwn(tenant.id, me, item));
    })
    .get('/streams/home', query(StreamQuery), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const { older, limit, types } = c.req.valid('query');
      return respondStream(c, await readHome(ctx, tenant, me, older, limit, types));
    })
    .get('/streams/public', query(StreamQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const { older, limit, types } = c.req.valid('query');
      const ref = { tenant: tenant.id, kind: 'public' as const, owner: '' };
      return respondStream(c, await readShared(ctx, tenant, ref, c.get('memberId'), older, limit, types));
    })
    .get('/tags/:tag/stream', query(StreamQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const tag = c.req.param('tag').replace(/^#/, '').toLowerCase();
      if (!TAG.test(tag)) throw badRequest('a hashtag is 1-50 letters, digits or underscores');
      const { older, limit, types } = c.req.valid('query');
      const ref = { tenant: tenant.id, kind: 'tag' as const, owner: tag };
      return respondStream(c, await readShared(ctx, tenant, ref, c.get('memberId'), older, limit, types));
    })
    .get('/places/:place/stream', query(StreamQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const slug = placeSlug(c.req.param('place'));
      if (!slug) throw badRequest('name a place');
      const { older, limit, types } = c.req.valid('query');
      const ref = { tenant: tenant.id, kind: 'place' as const, owner: slug };
      return respondStream(c, await readShared(ctx, tenant, ref, c.get('memberId'), older, limit, types));
    });
}
