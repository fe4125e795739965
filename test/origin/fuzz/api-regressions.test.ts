// Cases the API fuzz suite found, kept as plain tests beside it (api-fuzz.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamEntry } from '../../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../../support/origin-harness.js';

let h: Harness;
let ann: string;
let bob: string;
beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ann');
  bob = await signupMember(h, 'bob');
  await befriend(h, ann, bob);
});
afterAll(() => h.close());

async function publish(member: string, body: Record<string, unknown>): Promise<string> {
  const res = await h.call('POST', '/v1/events', { member, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe('answers about a reaction whose post is gone', () => {
  it('a new audience for a like of a deleted post answers the like, without the post (was a 200 with no body)', async () => {
    const post = await publish(ann, { text: 'soon gone', audience: 'public' });
    const like = await publish(bob, { type: 'like', object: post });
    expect((await h.call('DELETE', `/v1/posts/${post}`, { member: ann })).status).toBe(204);
    const res = await h.call('PATCH', `/v1/posts/${like}`, { member: bob, body: { audience: 'only_me' } });
    expect(res.status).toBe(200);
    const entry = StreamEntry.parse(await res.json());
    expect(entry).toMatchObject({ id: like, type: 'like', audience: 'only_me', object: null });
    expect(entry.actor.id).toBe(bob);
  });

  it('restoring a comment on a deleted post answers the comment, without the post', async () => {
    const post = await publish(ann, { text: 'also gone', audience: 'friends' });
    const comment = await publish(bob, { type: 'comment', object: post, text: 'nice' });
    expect((await h.call('DELETE', `/v1/posts/${comment}`, { member: bob })).status).toBe(204);
    expect((await h.call('DELETE', `/v1/posts/${post}`, { member: ann })).status).toBe(204);
    const res = await h.call('POST', `/v1/posts/${comment}/restore`, { member: bob });
    expect(res.status).toBe(200);
    expect(StreamEntry.parse(await res.json())).toMatchObject({ id: comment, text: 'nice', object: null });
  });
});

describe("a deleted account's stale session", () => {
  it('can neither change, delete nor restore its posts', async () => {
    const dan = await signupMember(h, 'dan');
    const kept = await publish(dan, { text: 'kept', audience: 'public' });
    const deleted = await publish(dan, { text: 'deleted', audience: 'public' });
    expect((await h.call('DELETE', `/v1/posts/${deleted}`, { member: dan })).status).toBe(204);
    expect((await h.call('DELETE', '/v1/members/me', { member: dan })).status).toBe(204);

    // Refused before any handler (401: no live member), or by the post routes themselves (404).
    const refused = [401, 404];
    const patch = await h.call('PATCH', `/v1/posts/${kept}`, { member: dan, body: { audience: 'only_me' } });
    expect(refused).toContain(patch.status);
    expect(refused).toContain((await h.call('DELETE', `/v1/posts/${kept}`, { member: dan })).status);
    expect(refused).toContain((await h.call('POST', `/v1/posts/${deleted}/restore`, { member: dan })).status);

    // Restored, Dan finds both posts as he left them.
    const back = await h.call('POST', '/v1/members/restore', { body: { username: 'dan', password: 'correct horse' } });
    expect(back.status).toBe(200);
    const own = await h.call('GET', `/v1/members/${dan}/stream`, { member: dan });
    const entries = ((await own.json()) as { entries: { id: string; audience: string }[] }).entries;
    expect(entries.map((e) => [e.id, e.audience])).toEqual([[kept, 'public']]);
  });
});
