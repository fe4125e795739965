import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPage } from '../../shared/api.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';

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
});
