// The activity stream engine through the API: event types, celebrity pull, read-time rules
// (blocks, mutes, lists, audience), aggregation, tag and place streams, idle readers, AS2 and
// bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage, StreamEntry, StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
const LIMIT = 3;
beforeAll(async () => {
  h = await startHarness({ celebrityLimit: LIMIT });
});
afterAll(() => h.close());

async function publish(member: string, body: Record<string, unknown>, status = 201) {
  const res = await h.call('POST', '/v1/events', { member, body });
  expect(res.status, await res.clone().text()).toBe(status);
  return (await res.json()) as StreamEntry;
}

async function stream(path: string, member?: string): Promise<StreamPage> {
  const res = await h.call('GET', path, { member });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as StreamPage;
}

const ids = async (path: string, member?: string) => (await stream(path, member)).entries.map((e) => e.id);
const photo = { url: 'https://img.example/p/1-320.jpg', width: 320, format: 'jpeg' };

describe('event types', () => {
  it('publishes every client event type and shows each in the home stream with its fields', async () => {
    const ann = await signupMember(h, 'ev_ann');
    const bob = await signupMember(h, 'ev_bob');
    await befriend(h, ann, bob);
    const status = await publish(ann, { type: 'status', text: 'hello #Chorus', audience: 'public' });
    const events = [
      { type: 'photo', images: [photo], text: 'a view' },
      { type: 'album', title: 'Holidays', images: [photo, photo] },
      { type: 'comment', object: status.id, text: 'nice' },
      { type: 'profile-photo', images: [photo] },
      { type: 'group-join', group: 'Cyclists' },
      { type: 'blog-post', title: 'On cycling', text: 'long read' },
      { type: 'video', url: 'https://video.example/v/1', title: 'Clip' },
      { type: 'link', url: 'https://news.example/a', title: 'News' },
      { type: 'game-score', game: { name: 'Snake', score: 1200 } },
      { type: 'ecard', target: ann, design: 'balloons' },
      { type: 'checkin', place: 'Café Central', audience: 'public' },
    ];
    for (const e of events) await publish(bob, e);
    await publish(bob, { type: 'like', object: status.id });
    await h.settle();
    const home = await stream('/v1/streams/home?limit=50', ann);
    const types = new Set(home.entries.map((e) => e.type));
    for (const t of [...events.map((e) => e.type), 'like', 'status', 'friendship']) expect(types).toContain(t);
    const byType = (t: string) => home.entries.find((e) => e.type === t)!;
    expect(byType('status').tags).toEqual(['chorus']);
    expect(byType('like').object).toMatchObject({ id: status.id, actor: { id: ann } });
    expect(byType('checkin').place).toBe('Café Central');
    expect(byType('game-score').game).toEqual({ name: 'Snake', score: 1200 });
    expect(byType('ecard').target?.id).toBe(ann);
    expect(byType('photo').images).toEqual([photo]);
    expect(byType('friendship').target?.id).toBeDefined();
  });

  it('filters by type on the skeleton and rejects unknown types', async () => {
    const cat = await signupMember(h, 'ev_cat');
    await publish(cat, { type: 'photo', images: [photo] });
    await publish(cat, { type: 'status', text: 'words' });
    await h.settle();
    const photos = await stream('/v1/streams/home?types=photo', cat);
    expect(photos.entries.map((e) => e.type)).toEqual(['photo']);
    // A rare type deep in the stream: pages may come back short, but the cursor leads to it.
    for (let i = 0; i < 30; i++) await publish(cat, { type: 'status', text: `filler ${i}` });
    await h.settle();
    const found: string[] = [];
    let cursor: string | null = '';
    for (let pages = 0; cursor !== null && pages < 20; pages++) {
      const page = await stream(`/v1/streams/home?types=photo&limit=1&older=${cursor}`, cat);
      found.push(...page.entries.map((e) => e.type));
      cursor = page.older;
    }
    expect(found).toEqual(['photo']);
    const bad = await h.call('GET', '/v1/streams/home?types=photo,teleport', { member: cat });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('teleport');
  });

  it('rejects events missing what their type needs, system types, and likes of invisible items', async () => {
    const dan = await signupMember(h, 'ev_dan');
    const stranger = await signupMember(h, 'ev_stranger');
    const secret = await publish(stranger, { type: 'status', text: 'friends only' });
    await publish(dan, { type: 'photo' }, 400);
    await publish(dan, { type: 'friendship' }, 400);
    await publish(dan, { type: 'checkin' }, 400);
    await publish(dan, { type: 'like', object: secret.id }, 422);
    await publish(dan, { type: 'ecard', target: stranger }, 422);
    const pub = await publish(stranger, { type: 'status', text: 'for all', audience: 'public' });
    await publish(dan, { type: 'like', object: pub.id });
    await publish(dan, { type: 'like', object: pub.id }, 409);
    await h.settle();
    expect((await ids(`/v1/members/${dan}/stream`, dan)).length).toBe(1);
  });
});

describe('system events', () => {
  it('a profile change and a birthday greeting reach friends; a blocked member cannot ask again', async () => {
    const ann = await signupMember(h, 'sy_ann');
    const bob = await signupMember(h, 'sy_bob');
    await befriend(h, ann, bob);
    const res = await h.call('PATCH', '/v1/members/me', { member: ann, body: { bio: 'cyclist' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { bio: string }).bio).toBe('cyclist');
    expect((await h.call('PATCH', '/v1/members/me', { member: ann, body: {} })).status).toBe(400);
    const greeting = await publish(bob, { type: 'birthday', target: ann, text: 'Happy birthday!' });
    await h.settle();
    const home = await stream('/v1/streams/home', bob);
    expect(home.entries.find((e) => e.type === 'profile-update')).toMatchObject({ actor: { id: ann, bio: 'cyclist' } });
    const notes = (await (await h.call('GET', '/v1/notifications', { member: ann })).json()) as NotificationPage;
    expect(notes.entries.some((n) => n.kind === 'ecard' && n.item?.id === greeting.id)).toBe(true);
    await h.call('POST', `/v1/members/${bob}/block`, { member: ann });
    const again = await h.call('POST', '/v1/friend-requests', { member: ann, body: { to: bob } });
    expect(again.status).toBe(403);
  });
});

describe('privacy and rules at read time', () => {
  it('custom friend lists: only list members see the item; lists with non-friends are refused', async () => {
    const ann = await signupMember(h, 'pr_ann');
    const bob = await signupMember(h, 'pr_bob');
    const cat = await signupMember(h, 'pr_cat');
    const eve = await signupMember(h, 'pr_eve');
    await befriend(h, ann, bob);
    await befriend(h, ann, cat);
    const refused = await h.call('POST', '/v1/lists', { member: ann, body: { name: 'close', members: [bob, eve] } });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain(eve);
    const res = await h.call('POST', '/v1/lists', { member: ann, body: { name: 'close', members: [bob] } });
    expect(res.status).toBe(201);
    const list = (await res.json()) as { id: string };
    const item = await publish(ann, { type: 'status', text: 'for bob', audience: 'list', listId: list.id });
    await publish(ann, { type: 'status', text: 'no list', audience: 'list' }, 400);
    await h.settle();
    expect(await ids('/v1/streams/home', bob)).toContain(item.id);
    expect(await ids('/v1/streams/home', cat)).not.toContain(item.id);
    expect(await ids(`/v1/members/${ann}/stream`, cat)).not.toContain(item.id);
    // Taking bob off the list hides it from him at once.
    await h.call('PUT', `/v1/lists/${list.id}`, { member: ann, body: { name: 'close', members: [] } });
    expect(await ids('/v1/streams/home', bob)).not.toContain(item.id);
  });

  it('mutes hide a friend from home; blocks end the friendship and hide both ways everywhere', async () => {
    const ann = await signupMember(h, 'ru_ann');
    const bob = await signupMember(h, 'ru_bob');
    await befriend(h, ann, bob);
    const loud = await publish(bob, { type: 'status', text: 'loud', audience: 'public' });
    await h.settle();
    expect(await ids('/v1/streams/home', ann)).toContain(loud.id);
    expect((await h.call('POST', `/v1/members/${bob}/mute`, { member: ann })).status).toBe(204);
    expect(await ids('/v1/streams/home', ann)).not.toContain(loud.id);
    expect(await ids('/v1/streams/home', bob)).toContain(loud.id); // nothing changes for bob
    await h.call('DELETE', `/v1/members/${bob}/mute`, { member: ann });
    expect(await ids('/v1/streams/home', ann)).toContain(loud.id);
    expect((await h.call('POST', `/v1/members/${ann}/block`, { member: bob })).status).toBe(204);
    expect(await ids('/v1/streams/home', ann)).not.toContain(loud.id);
    expect(await ids('/v1/streams/public', ann)).not.toContain(loud.id);
    const profile = (await (await h.call('GET', `/v1/members/${bob}`, { member: ann })).json()) as { relation: string };
    expect(profile.relation).toBe('none');
  });
});

describe('celebrities are pulled, not pushed', () => {
  it("a member above the tenant's limit is not pushed to friends, yet friends see their events", async () => {
    const star = await signupMember(h, 'ce_star');
    const fans: string[] = [];
    for (let i = 0; i < LIMIT + 1; i++) {
      const fan = await signupMember(h, `ce_fan${i}`);
      await befriend(h, star, fan);
      fans.push(fan);
    }
    await h.settle();
    expect(h.runtime.ctx.activity.isCelebrity(h.tenantId, BigInt(star))).toBe(true);
    for (const fan of fans) await stream('/v1/streams/home', fan); // MRIs exist
    const news = await publish(star, { type: 'status', text: 'for my fans' });
    await h.settle();
    const mri = (await h.runtime.ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner: fans[0]! }, null, 100))
      .entries;
    expect(mri.map((e) => e.id)).not.toContain(news.id);
    for (const fan of fans) expect(await ids('/v1/streams/home', fan)).toContain(news.id);
    // Dropping back under the limit: their recent events are pushed to every friend.
    await h.call('DELETE', `/v1/friends/${fans[0]}`, { member: star });
    await h.settle();
    expect(h.runtime.ctx.activity.isCelebrity(h.tenantId, BigInt(star))).toBe(false);
    const mri1 = (await h.runtime.ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner: fans[1]! }, null, 100))
      .entries;
    expect(mri1.map((e) => e.id)).toContain(news.id);
    expect(await ids('/v1/streams/home', fans[0]!)).not.toContain(news.id);
  });
});

describe('aggregation', () => {
  it('folds likes of one item into "Ann and N others" in home and in notifications', async () => {
    const owner = await signupMember(h, 'ag_owner');
    const viewer = await signupMember(h, 'ag_viewer');
    const likers: string[] = [];
    await befriend(h, owner, viewer);
    const item = await publish(owner, { type: 'photo', images: [photo], audience: 'public' });
    for (let i = 0; i < 4; i++) {
      const liker = await signupMember(h, `ag_liker${i}`);
      await befriend(h, liker, viewer);
      likers.push(liker);
    }
    for (const liker of likers) await publish(liker, { type: 'like', object: item.id });
    await h.settle();
    const likes = (await stream('/v1/streams/home?types=like', viewer)).entries;
    expect(likes).toHaveLength(1);
    expect(likes[0]!.actorCount).toBe(4);
    expect(likes[0]!.others).toHaveLength(3);
    expect(likes[0]!.actor.id).toBe(likers[3]);
    const res = await h.call('GET', '/v1/notifications', { member: owner });
    const notes = (await res.json()) as NotificationPage;
    const liked = notes.entries.filter((n) => n.kind === 'like');
    expect(liked).toHaveLength(1);
    expect(liked[0]).toMatchObject({ actorCount: 4, item: { id: item.id, type: 'photo' } });
    // Counted as listed: the four likes are one unread entry.
    expect(notes.unread).toBe(notes.entries.filter((n) => !n.read).length);
    await h.call('POST', `/v1/notifications/${liked[0]!.id}/read`, { member: owner });
    const after = (await (await h.call('GET', '/v1/notifications', { member: owner })).json()) as NotificationPage;
    expect(after.entries.find((n) => n.kind === 'like')?.read).toBe(true);
  });
});

describe('tag and place streams', () => {
  it('public events with a hashtag or a place appear in its stream; private ones never', async () => {
    const ann = await signupMember(h, 'tg_ann');
    const open = await publish(ann, { type: 'status', text: 'Sunny #Beach day', audience: 'public' });
    const closed = await publish(ann, { type: 'status', text: 'secret #beach', audience: 'friends' });
    const there = await publish(ann, { type: 'checkin', place: 'Main Square', audience: 'public' });
    await h.settle();
    expect(await ids('/v1/tags/beach/stream')).toEqual([open.id]);
    expect(await ids('/v1/tags/BEACH/stream')).not.toContain(closed.id);
    expect(await ids('/v1/places/main-square/stream')).toEqual([there.id]);
    expect((await h.call('GET', '/v1/tags/no%20spaces/stream')).status).toBe(400);
  });
});

describe('rebuilds and idle readers', () => {
  it('a reader idle past the idle time is skipped by fan-out and rebuilt on return', async () => {
    const quick = await startHarness({ tenantId: h.tenantId, env: { TIMELINE_IDLE_DAYS: String(0.5 / 86_400) } });
    try {
      const ann = await signupMember(quick, 'id_ann');
      const bob = await signupMember(quick, 'id_bob');
      await befriend(quick, ann, bob);
      const mri = { tenant: h.tenantId, kind: 'mri' as const, owner: bob };
      await quick.call('GET', '/v1/streams/home', { member: bob });
      await new Promise((r) => setTimeout(r, 700));
      expect(await quick.runtime.ctx.timelines.state(mri)).toBe('missing');
      const res = await quick.call('POST', '/v1/posts', { member: ann, body: { text: 'while bob was away' } });
      const { id } = (await res.json()) as { id: string };
      await quick.settle();
      expect(await quick.runtime.ctx.timelines.state(mri)).toBe('missing'); // skipped
      const home = (await (await quick.call('GET', '/v1/streams/home', { member: bob })).json()) as StreamPage;
      expect(home.entries.map((e) => e.id)).toContain(id);
    } finally {
      await quick.close();
    }
  });
});

describe('ActivityStreams 2.0', () => {
  it('serves the same page as an OrderedCollectionPage with next/prev links', async () => {
    const ann = await signupMember(h, 'as_ann');
    for (let i = 0; i < 3; i++) await publish(ann, { type: 'status', text: `as2 ${i}`, audience: 'public' });
    await h.settle();
    const res = await h.call('GET', `/v1/members/${ann}/stream?limit=2&format=as2`, { member: ann });
    expect(res.headers.get('content-type')).toContain('application/activity+json');
    const page = (await res.json()) as Record<string, unknown> & { orderedItems: Record<string, unknown>[] };
    expect(page['@context']).toBe('https://www.w3.org/ns/activitystreams');
    expect(page.type).toBe('OrderedCollectionPage');
    expect(page.orderedItems).toHaveLength(2);
    expect(page.orderedItems[0]).toMatchObject({ type: 'Create', object: { type: 'Note', content: 'as2 2' } });
    const next = new URL(page.next as string);
    expect(next.searchParams.get('older')).toBeTruthy();
    const second = await h.call('GET', `${next.pathname}${next.search}`, { member: ann });
    const page2 = (await second.json()) as { orderedItems: unknown[]; prev?: string };
    expect(page2.orderedItems).toHaveLength(1);
    expect(page2.prev).toBeDefined();
  });
});

describe('bad input', () => {
  it('gets a clear 4xx: unknown stream, malformed or foreign cursor', async () => {
    const ann = await signupMember(h, 'bi_ann');
    expect((await h.call('GET', '/v1/streams/nope', { member: ann })).status).toBe(404);
    const malformed = await h.call('GET', '/v1/streams/home?older=%%%', { member: ann });
    expect(malformed.status).toBe(400);
    const foreign = Buffer.from(JSON.stringify({ t: 'other-tenant', o: '123' })).toString('base64url');
    const res = await h.call('GET', `/v1/streams/home?older=${foreign}`, { member: ann });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('another community');
  });
});
