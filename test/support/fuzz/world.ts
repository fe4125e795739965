// A small world for the fuzz suites, so hostile requests can name ids that exist: two tenants,
// members in each (one deleted), friendships, a pending request, a mute and a block, a friend
// list, posts of every audience with a tag and a place, likes and a comment that notify.
import { randomBytes } from 'node:crypto';
import { ensureTenant } from '../../../origin/tenants/tenants.js';
import { type SessionStart, sessionHeaderOf } from '../../../shared/api.js';
import type { Harness } from '../origin-harness.js';

export const WORLD_PASSWORD = 'correct horse';

/**
 * Origin settings for a fuzzed world: the fuzzing logs in as the world's members hundreds of times
 * (and sessions it ended are begun again by log-in), so the per-account log-in limit is off; every
 * other limit stays, and a 429 is checked like any other answer.
 */
export const FUZZ_ORIGIN_ENV = { RATE_LIMIT_LOGIN_ACCOUNT: 'off' };
export const WORLD_TAG = 'fuzzfest';
export const WORLD_PLACE = 'Fuzz Park';

/** A member as the edge names one: id and session (x-chorus-session). */
export interface Actor {
  tenant: string;
  username: string;
  id: string;
  session: string;
}

export interface TenantWorld {
  id: string;
  host: string;
  /** username -> member id (the deleted member included). */
  members: Record<string, string>;
  /** username -> the session sign-up began (the deleted member's has ended). */
  sessions: Record<string, string>;
  items: string[];
  notifications: string[];
  lists: string[];
}

export interface World {
  a: TenantWorld;
  b: TenantWorld;
  /** Who acts in requests: a member and a friend in tenant a, a member of tenant b. */
  actors: { member: Actor; friend: Actor; other: Actor };
  /** A member of tenant a, deleted (restorable), with the session deletion ended. */
  deleted: Actor;
  /** Ids that are well-formed but name nothing. */
  unknownIds: string[];
  /** Tenant ids no tenant has. */
  unknownTenants: string[];
  /** Every id of both tenants, for generators. */
  allIds(): string[];
}

async function expectStatus(res: Response, status: number, what: string): Promise<Response> {
  if (res.status !== status) throw new Error(`world: ${what}: ${res.status} ${await res.text()}`);
  return res;
}

async function idOf(res: Response): Promise<string> {
  return ((await res.json()) as { id: string }).id;
}

/** Signs a member up (password WORLD_PASSWORD) and returns it with its first session. */
export async function signUp(h: Harness, tenant: string, username: string): Promise<Actor> {
  const body = {
    username,
    displayName: `${username} Member`,
    password: WORLD_PASSWORD,
    email: `${username}@fuzz.test`,
  };
  const res = await expectStatus(await h.call('POST', '/v1/members', { tenant, body }), 201, `sign up ${username}`);
  const started = (await res.json()) as SessionStart;
  return { tenant, username, id: started.id, session: sessionHeaderOf(started.session) };
}

/** A member's session still works, or they get a new one (restored first if they were deleted). */
export async function revive(h: Harness, actor: Actor): Promise<Actor> {
  const probe = await h.call('GET', '/v1/friend-requests', {
    tenant: actor.tenant,
    member: actor.id,
    session: actor.session,
  });
  if (probe.status === 200) return actor;
  const credentials = { username: actor.username, password: WORLD_PASSWORD };
  let res = await h.call('POST', '/v1/sessions', { tenant: actor.tenant, body: credentials });
  if (res.status !== 200)
    res = await h.call('POST', '/v1/members/restore', { tenant: actor.tenant, body: credentials });
  const started = (await expectStatus(res, 200, `revive ${actor.username}`).then((r) => r.json())) as SessionStart;
  return { ...actor, session: sessionHeaderOf(started.session) };
}

async function seedTenant(h: Harness, tenant: string, names: string[]): Promise<TenantWorld> {
  const members: Record<string, string> = {};
  const sessions: Record<string, string> = {};
  for (const name of names) {
    const actor = await signUp(h, tenant, name);
    members[name] = actor.id;
    sessions[name] = actor.session;
  }
  const [first, second, third] = names.map((n) => members[n]!);
  const call = (method: string, path: string, member: string, body?: unknown) =>
    h.call(method, path, { tenant, member, body });
  const world: TenantWorld = {
    id: tenant,
    host: `${tenant}.test`,
    members,
    sessions,
    items: [],
    notifications: [],
    lists: [],
  };

  for (const friend of [second!, third!]) {
    await expectStatus(await call('POST', '/v1/friend-requests', first!, { to: friend }), 201, 'request');
    await expectStatus(await call('POST', `/v1/friend-requests/${first}/accept`, friend), 200, 'accept');
  }
  await expectStatus(await call('POST', '/v1/friend-requests', second!, { to: third }), 201, 'pending request');
  await expectStatus(await call('POST', `/v1/members/${second}/mute`, third!), 204, 'mute');
  const list = await call('POST', '/v1/lists', first!, { name: 'inner', members: [second] });
  world.lists.push(await idOf(await expectStatus(list, 201, 'list')));

  const publish = async (member: string, body: Record<string, unknown>) =>
    world.items.push(await idOf(await expectStatus(await call('POST', '/v1/events', member, body), 201, 'publish')));
  await publish(first!, { text: `public #${WORLD_TAG}`, audience: 'public', type: 'checkin', place: WORLD_PLACE });
  await publish(first!, { text: 'friends only', audience: 'friends' });
  await publish(first!, { text: 'only me', audience: 'only_me' });
  await publish(first!, { text: 'list only', audience: 'list', listId: world.lists[0] });
  await publish(second!, { text: 'second speaks', audience: 'public' });
  await publish(second!, { type: 'like', object: world.items[0] });
  await publish(third!, { type: 'comment', object: world.items[0], text: 'a comment' });
  await h.settle();

  const notes = await expectStatus(await call('GET', '/v1/notifications', first!), 200, 'notifications');
  for (const n of ((await notes.json()) as { entries: { ids: string[] }[] }).entries)
    world.notifications.push(...n.ids);
  if (world.notifications.length === 0) throw new Error('world: no notifications were written');
  return world;
}

/** Seeds both tenants through the harness (tenant a is the harness's own). */
export async function seedWorld(h: Harness): Promise<World> {
  const b = `t${randomBytes(5).toString('hex')}`;
  await ensureTenant(h.runtime.ctx, { id: b, slug: b, name: `Other ${b}`, hosts: [`${b}.test`] });
  const a = await seedTenant(h, h.tenantId, ['ann', 'bob', 'cat', 'eve', 'dan', 'zed']);
  const other = await seedTenant(h, b, ['bea', 'ben', 'bix']);
  // Eve is blocked by Bob; Dan posts, mutes Eve and deletes his account (his id stays signed in
  // stale sessions, and his rows stay restorable: a stale session must not touch them).
  const dan = await h.call('POST', '/v1/posts', { member: a.members.dan, body: { text: 'dan was here' } });
  a.items.push(await idOf(await expectStatus(dan, 201, 'dan posts')));
  await expectStatus(await h.call('POST', `/v1/members/${a.members.eve}/mute`, { member: a.members.dan }), 204, 'mute');
  await expectStatus(
    await h.call('POST', `/v1/members/${a.members.eve}/block`, { member: a.members.bob }),
    204,
    'block',
  );
  await expectStatus(await h.call('DELETE', '/v1/members/me', { member: a.members.dan }), 204, 'delete');
  await h.settle();
  const minted = BigInt(a.items[0]!);
  const actor = (t: TenantWorld, username: string): Actor => ({
    tenant: t.id,
    username,
    id: t.members[username]!,
    session: t.sessions[username]!,
  });
  return {
    a,
    b: other,
    actors: { member: actor(a, 'ann'), friend: actor(a, 'bob'), other: actor(other, 'bea') },
    deleted: actor(a, 'dan'),
    // A neighbour of a real id (same time and shard, another sequence) and the largest bigint.
    unknownIds: [(minted ^ 1n).toString(), (minted + 17n).toString(), '9223372036854775807', '1'],
    unknownTenants: ['', 'tnobody', 'admin', `${a.id}x`],
    allIds() {
      return [a, other].flatMap((t) => [...Object.values(t.members), ...t.items, ...t.notifications, ...t.lists]);
    },
  };
}
