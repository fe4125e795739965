import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_TYPES, type StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
let ann: string;
let bob: string;
let eve: string;
beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ann');
  bob = await signupMember(h, 'bob');
  eve = await signupMember(h, 'eve'); // not anyone's friend
  await befriend(h, ann, bob);
});
afterAll(() => h.close());

async function post(member: string, text: string, audience: 'public' | 'friends' | 'only_me' = 'friends') {
  const res = await h.call('POST', '/v1/posts', { member, body: { text, audience } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function stream(path: string, member?: string): Promise<StreamPage> {
  const res = await h.call('GET', path, { member });
  expect(res.status).toBe(200);
  return (await res.json()) as StreamPage;
}

describe('posting and the home stream', () => {
  it("a post reaches the author's and friends' home streams, newest first, but not strangers'", async () => {
    const first = await post(ann, 'first from ann');
    const second = await post(bob, 'then bob');
    await h.settle();
    const annHome = await stream('/v1/streams/home', ann);
    expect(annHome.entries.map((e) => e.id).slice(0, 2)).toEqual([second, first]);
    expect(annHome.entries[0]).toMatchObject({ text: 'then bob', actor: { id: bob, username: 'bob' } });
    const bobHome = await stream('/v1/streams/home', bob);
    expect(bobHome.entries.map((e) => e.id)).toContain(first);
    const eveHome = await stream('/v1/streams/home', eve);
    expect(eveHome.entries.map((e) => e.id)).not.toContain(first);
  });

  it('pages with an opaque "older" cursor without gaps or repeats', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await post(bob, `paging ${i}`));
    await h.settle();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/streams/home?limit=3${cursor ? `&older=${cursor}` : ''}`;
      const page = await stream(path, ann);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.older;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, 7)).toEqual([...ids].reverse());
  });

  it('friends-only posts stay out of the public stream and away from strangers; public ones show', async () => {
    const secret = await post(ann, 'friends only', 'friends');
    const open = await post(ann, 'hello world', 'public');
    await h.settle();
    const publicIds = (await stream('/v1/streams/public')).entries.map((e) => e.id);
    expect(publicIds).toContain(open);
    expect(publicIds).not.toContain(secret);
    const asStranger = (await stream(`/v1/members/${ann}/stream`, eve)).entries.map((e) => e.id);
    const asAnonymous = (await stream(`/v1/members/${ann}/stream`)).entries.map((e) => e.id);
    const asFriend = (await stream(`/v1/members/${ann}/stream`, bob)).entries.map((e) => e.id);
    expect(asStranger).toContain(open);
    expect(asStranger).not.toContain(secret);
    expect(asAnonymous).not.toContain(secret);
    expect(asFriend).toEqual(expect.arrayContaining([open, secret]));
  });

  it('"only me" posts reach nobody but their author', async () => {
    const note = await post(ann, 'note to self', 'only_me');
    await h.settle();
    expect((await stream('/v1/streams/home', ann)).entries.map((e) => e.id)).toContain(note);
    expect((await stream(`/v1/members/${ann}/stream`, ann)).entries.map((e) => e.id)).toContain(note);
    expect((await stream('/v1/streams/home', bob)).entries.map((e) => e.id)).not.toContain(note);
    expect((await stream(`/v1/members/${ann}/stream`, bob)).entries.map((e) => e.id)).not.toContain(note);
    expect((await stream('/v1/streams/public')).entries.map((e) => e.id)).not.toContain(note);
  });

  it('unfriending hides already fanned-out posts at once', async () => {
    const cat = await signupMember(h, 'cat');
    await befriend(h, cat, ann);
    const id = await post(cat, 'before the falling out');
    await h.settle();
    expect((await stream('/v1/streams/home', ann)).entries.map((e) => e.id)).toContain(id);
    expect((await h.call('DELETE', `/v1/friends/${cat}`, { member: ann })).status).toBe(204);
    expect((await stream('/v1/streams/home', ann)).entries.map((e) => e.id)).not.toContain(id);
  });

  it('a new friend brings their recent posts into your home stream', async () => {
    const dee = await signupMember(h, 'dee');
    const earlier = await post(dee, 'said before we met');
    await h.settle();
    expect((await stream('/v1/streams/home', bob)).entries.map((e) => e.id)).not.toContain(earlier);
    await befriend(h, dee, bob);
    await h.settle();
    expect((await stream('/v1/streams/home', bob)).entries.map((e) => e.id)).toContain(earlier);
  });

  it('rebuilds a lost home timeline from the shards', async () => {
    const id = await post(ann, 'survives a cache loss');
    await h.settle();
    await h.runtime.ctx.timelines.clear({ tenant: h.tenantId, kind: 'mri', owner: bob });
    expect(await h.runtime.ctx.timelines.state({ tenant: h.tenantId, kind: 'mri', owner: bob })).toBe('missing');
    expect((await stream('/v1/streams/home', bob)).entries.map((e) => e.id)).toContain(id);
  });
});

describe('bad input changes nothing', () => {
  async function homeIds(member: string) {
    return (await stream('/v1/streams/home?limit=100', member)).entries.map((e) => e.id);
  }

  it('rejects empty, blank and oversized posts', async () => {
    const before = await homeIds(ann);
    for (const text of ['', '   ', 'x'.repeat(501)]) {
      const res = await h.call('POST', '/v1/posts', { member: ann, body: { text } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { errors: { path: string }[] }).errors[0]?.path).toBe('text');
    }
    const bad = await h.call('POST', '/v1/posts', { member: ann, body: { text: 'ok', audience: 'everyone' } });
    expect(bad.status).toBe(400);
    await h.settle();
    expect(await homeIds(ann)).toEqual(before);
  });

  it('rejects malformed JSON with a problem document', async () => {
    const res = await h.call('POST', '/v1/posts', { member: ann, rawBody: '{"text": "unterminated' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('requires a member to post or read a home stream', async () => {
    expect((await h.call('POST', '/v1/posts', { body: { text: 'anonymous' } })).status).toBe(401);
    expect((await h.call('GET', '/v1/streams/home')).status).toBe(401);
  });

  it('rejects malformed cursors and cursors of another tenant', async () => {
    expect((await h.call('GET', '/v1/streams/home?older=garbage', { member: ann })).status).toBe(400);
    const foreign = Buffer.from(JSON.stringify({ t: 'other-tenant', o: '12345678901' })).toString('base64url');
    const res = await h.call('GET', `/v1/streams/home?older=${foreign}`, { member: ann });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/another community/);
    expect((await h.call('GET', '/v1/streams/public?limit=100000')).status).toBe(400);
  });

  it('a member id from a signed header that does not exist cannot post', async () => {
    const res = await h.call('POST', '/v1/posts', { member: '123456789012345678', body: { text: 'ghost' } });
    // Refused before any handler: no such member, so no session of theirs is live.
    expect(res.status).toBe(401);
    expect(((await res.json()) as { type: string }).type).toBe(PROBLEM_TYPES.sessionEnded);
  });
});
