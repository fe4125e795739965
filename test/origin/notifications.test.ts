import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const list = async (member: string, query = '') =>
  (await (await h.call('GET', `/v1/notifications${query}`, { member })).json()) as NotificationPage;

describe('notifications', () => {
  it('a friend request and its acceptance notify the other member, with unseen and unread counts', async () => {
    const ann = await signupMember(h, 'note_ann', 'Ann');
    const bob = await signupMember(h, 'note_bob', 'Bob');
    await h.call('POST', '/v1/friend-requests', { member: ann, body: { to: bob } });
    const bobs = await list(bob);
    expect(bobs.entries).toMatchObject([{ kind: 'friend-request', actor: { id: ann }, seen: false, read: false }]);
    expect(bobs).toMatchObject({ unseen: 1, unread: 1 });

    await h.call('POST', `/v1/friend-requests/${ann}/accept`, { member: bob });
    const anns = await list(ann);
    expect(anns.entries.map((n) => n.kind)).toEqual(['friend-accepted']);
    expect(anns.entries[0]?.actor.id).toBe(bob);

    expect((await h.call('POST', '/v1/notifications/seen', { member: bob })).status).toBe(204);
    expect(await list(bob)).toMatchObject({ unseen: 0, unread: 1 });
    const id = bobs.entries[0]!.id;
    expect((await h.call('POST', `/v1/notifications/${id}/read`, { member: bob })).status).toBe(204);
    expect(await list(bob)).toMatchObject({ unseen: 0, unread: 0 });
    // Someone else's notification cannot be touched.
    expect((await h.call('POST', `/v1/notifications/${id}/read`, { member: ann })).status).toBe(404);
  });

  it('pages newest first and needs a member', async () => {
    const star = await signupMember(h, 'note_star');
    for (let i = 0; i < 5; i++) {
      const fan = await signupMember(h, `note_fan_${i}`);
      await h.call('POST', '/v1/friend-requests', { member: fan, body: { to: star } });
    }
    const first = await list(star, '?limit=3');
    expect(first.entries).toHaveLength(3);
    expect(first.older).not.toBeNull();
    const second = await list(star, `?limit=3&older=${first.older}`);
    expect(second.entries).toHaveLength(2);
    const names = [...first.entries, ...second.entries].map((n) => n.actor.username);
    expect(names).toEqual(['note_fan_4', 'note_fan_3', 'note_fan_2', 'note_fan_1', 'note_fan_0']);
    expect((await h.call('GET', '/v1/notifications')).status).toBe(401);
    expect((await h.call('GET', '/v1/notifications?older=bogus', { member: star })).status).toBe(400);
  });

  it('folded likes count once; deleted likes and blocked or muted members drop out of the list and the counts', async () => {
    const ann = await signupMember(h, 'nr_ann', 'Ann');
    const fans = [];
    for (const name of ['nr_bob', 'nr_cat', 'nr_dee', 'nr_eve']) {
      const fan = await signupMember(h, name);
      await befriend(h, ann, fan);
      fans.push(fan);
    }
    const [bob, cat, dee, eve] = fans as [string, string, string, string];
    // The friendships' notifications, read and done with: the counts start at zero.
    await h.call('POST', '/v1/notifications/seen', { member: ann });
    for (const n of (await list(ann)).entries) await h.call('POST', `/v1/notifications/${n.id}/read`, { member: ann });
    expect(await list(ann)).toMatchObject({ unseen: 0, unread: 0 });
    const photo = await h.call('POST', '/v1/events', {
      member: ann,
      body: {
        type: 'photo',
        text: 'sunset',
        images: [{ url: 'https://img.example/s.jpg', width: 800, format: 'jpeg' }],
      },
    });
    const photoId = ((await photo.json()) as { id: string }).id;
    const likes = new Map<string, string>();
    for (const f of fans) {
      const res = await h.call('POST', '/v1/events', { member: f, body: { type: 'like', object: photoId } });
      likes.set(f, ((await res.json()) as { id: string }).id);
    }
    await h.settle();
    const likeEntries = (page: NotificationPage) => page.entries.filter((n) => n.kind === 'like');
    let page = await list(ann);
    expect(likeEntries(page)).toMatchObject([{ actorCount: 4, item: { id: photoId } }]);
    expect(page).toMatchObject({ unseen: 1, unread: 1 });

    // cat takes her like back: it leaves the entry (and comes back with a restore).
    expect((await h.call('DELETE', `/v1/posts/${likes.get(cat)}`, { member: cat })).status).toBe(204);
    await h.settle();
    expect(likeEntries(await list(ann))).toMatchObject([{ actorCount: 3 }]);
    expect((await h.call('POST', `/v1/posts/${likes.get(cat)}/restore`, { member: cat })).status).toBe(200);
    await h.settle();
    expect(likeEntries(await list(ann))).toMatchObject([{ actorCount: 4 }]);

    // Blocked and muted members are out of the list and of the counts.
    expect((await h.call('POST', `/v1/members/${dee}/block`, { member: ann })).status).toBe(204);
    expect((await h.call('POST', `/v1/members/${eve}/mute`, { member: ann })).status).toBe(204);
    page = await list(ann);
    expect(likeEntries(page)).toMatchObject([{ actorCount: 2 }]);
    const shown = new Set(page.entries.flatMap((n) => [n.actor.id, ...n.others.map((o) => o.id)]));
    expect(shown.has(dee) || shown.has(eve)).toBe(false);
    expect(page).toMatchObject({ unseen: 1, unread: 1 });

    // Every like withdrawn: nothing left to notify about, nothing counted.
    for (const f of [bob, cat]) await h.call('DELETE', `/v1/posts/${likes.get(f)}`, { member: f });
    await h.settle();
    page = await list(ann);
    expect(likeEntries(page)).toEqual([]);
    expect(page).toMatchObject({ unseen: 0, unread: 0 });
  });

  it('is also an ActivityStreams 2.0 OrderedCollectionPage with the counts', async () => {
    const ann = await signupMember(h, 'as_ann', 'Ann');
    const bob = await signupMember(h, 'as_bob', 'Bob');
    await h.call('POST', '/v1/friend-requests', { member: bob, body: { to: ann } });
    for (const path of ['/v1/notifications?format=as2', '/v1/notifications']) {
      const res = await h.call('GET', path, {
        member: ann,
        ...(path.endsWith('as2') ? {} : { headers: { accept: 'application/activity+json' } }),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/activity+json');
      const body = (await res.json()) as Record<string, unknown> & { orderedItems: Record<string, unknown>[] };
      expect(body).toMatchObject({ type: 'OrderedCollectionPage', 'chorus:unseen': 1, 'chorus:unread': 1 });
      expect(body.orderedItems).toMatchObject([
        { type: 'Offer', 'chorus:kind': 'friend-request', actor: { type: 'Person', preferredUsername: 'as_bob' } },
      ]);
    }
  });
});
