// Two promises a reader relies on: a new audience holds at once, in every stream and in every
// origin process (the item was fanned out long ago, and each process caches items it shows);
// and a cursor keeps its place while new entries arrive on top of the stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamEntry, StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testDatabaseUrls, testRedisUrl } from '../support/services.js';

let h: Harness;
let ann: string;
let bob: string;
let cat: string;
let dee: string;
beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ac_ann');
  bob = await signupMember(h, 'ac_bob');
  cat = await signupMember(h, 'ac_cat');
  dee = await signupMember(h, 'ac_dee');
  await befriend(h, ann, bob);
  await befriend(h, ann, dee);
  await h.settle();
});
afterAll(() => h.close());

async function page(path: string, member?: string, harness = h): Promise<StreamPage> {
  const res = await harness.call('GET', path, { member });
  expect(res.status).toBe(200);
  return (await res.json()) as StreamPage;
}
const ids = async (path: string, member?: string, harness = h) =>
  (await page(path, member, harness)).entries.map((e) => e.id);

async function publish(member: string, text: string, audience = 'public'): Promise<string> {
  const res = await h.call('POST', '/v1/events', { member, body: { type: 'status', text, audience } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const patch = (member: string, id: string, body: unknown, harness = h) =>
  harness.call('PATCH', `/v1/posts/${id}`, { member, body });

/** Where the item is visible to each viewer, as one comparable record. */
async function whereVisible(id: string, harness = h) {
  const sees = async (path: string, member?: string) => (await ids(path, member, harness)).includes(id);
  return {
    bobHome: await sees('/v1/streams/home', bob),
    deeHome: await sees('/v1/streams/home', dee),
    annHome: await sees('/v1/streams/home', ann),
    catProfile: await sees(`/v1/members/${ann}/stream`, cat),
    anonymousPublic: await sees('/v1/streams/public'),
    anonymousTag: await sees('/v1/tags/audiencetest/stream'),
  };
}

describe('a new audience holds at once, long after fan-out', () => {
  it('public -> friends -> list -> only me -> public, through every stream', async () => {
    const id = await publish(ann, 'changing minds #audiencetest', 'public');
    await h.settle();
    const everyone = {
      bobHome: true,
      deeHome: true,
      annHome: true,
      catProfile: true,
      anonymousPublic: true,
      anonymousTag: true,
    };
    expect(await whereVisible(id)).toEqual(everyone);

    expect((await patch(ann, id, { audience: 'friends' })).status).toBe(200);
    expect(await whereVisible(id)).toEqual({
      ...everyone,
      catProfile: false,
      anonymousPublic: false,
      anonymousTag: false,
    });

    const list = await h.call('POST', '/v1/lists', { member: ann, body: { name: 'only dee', members: [dee] } });
    const listId = ((await list.json()) as { id: string }).id;
    const toList = await patch(ann, id, { audience: 'list', listId });
    expect(toList.status).toBe(200);
    expect(((await toList.json()) as StreamEntry).audience).toBe('list');
    expect(await whereVisible(id)).toEqual({
      bobHome: false,
      deeHome: true,
      annHome: true,
      catProfile: false,
      anonymousPublic: false,
      anonymousTag: false,
    });

    expect((await patch(ann, id, { audience: 'only_me' })).status).toBe(200);
    expect(await whereVisible(id)).toEqual({
      bobHome: false,
      deeHome: false,
      annHome: true,
      catProfile: false,
      anonymousPublic: false,
      anonymousTag: false,
    });

    expect((await patch(ann, id, { audience: 'public' })).status).toBe(200);
    await h.settle();
    expect(await whereVisible(id)).toEqual(everyone);
  });

  it('bad changes get a clear 4xx and change nothing', async () => {
    const id = await publish(ann, 'stays as it is', 'friends');
    await h.settle();
    const before = await whereVisible(id);
    const cases: [string, unknown, number][] = [
      [bob, { audience: 'public' }, 404], // not bob's item
      [ann, { audience: 'list' }, 400], // a list audience needs the list
      [ann, { audience: 'friends', listId: '123' }, 400], // a list without audience 'list'
      [ann, { audience: 'everyone' }, 400],
      [ann, { audience: 'public', text: 'rewritten' }, 400], // only the audience changes here
      [ann, { audience: 'list', listId: '424242' }, 422], // no such list of ann's
    ];
    for (const [member, body, status] of cases) {
      const res = await patch(member, id, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await patch(ann, '999999999', { audience: 'public' })).status).toBe(404);
    expect((await h.call('PATCH', `/v1/posts/${id}`, { member: ann, rawBody: '{not json' })).status).toBe(400);
    expect(await whereVisible(id)).toEqual(before);
  });
});

// Two origin processes on the same databases and Redis: one changes the audience, the other
// (which has the item in its hydration cache) must hide it at its very next read.
describe.skipIf(!testDatabaseUrls() || !testRedisUrl())('across origin processes', () => {
  it('the other process forgets its cached copy at once', async () => {
    // Serving reads only: every write's relay and jobs run in the first process.
    const other = await startHarness({ tenantId: h.tenantId, processors: false, relay: false });
    try {
      const id = await publish(ann, 'seen by two processes #audiencetest', 'public');
      await h.settle();
      expect(await ids('/v1/streams/public', undefined, other)).toContain(id); // cached there now
      expect((await patch(ann, id, { audience: 'only_me' })).status).toBe(200);
      await expect
        .poll(async () => (await ids('/v1/streams/public', undefined, other)).includes(id), { timeout: 1000 })
        .toBe(false);
    } finally {
      await other.close();
    }
  });
});

describe('cursors keep their place while new entries arrive', () => {
  it('pages after new posts continue exactly where the last page ended', async () => {
    for (let i = 0; i < 7; i++) await publish(ann, `older ${i}`, 'friends');
    await h.settle();
    const before = await ids('/v1/streams/home?limit=100', bob);
    const seen: string[] = [];
    let older: string | null = null;
    let arrived = 0;
    do {
      const p = await page(`/v1/streams/home?limit=3${older ? `&older=${encodeURIComponent(older)}` : ''}`, bob);
      seen.push(...p.entries.map((e) => e.id));
      older = p.older;
      // Between every two pages, something new lands on top of bob's stream.
      await publish(ann, `newer ${arrived++}`, 'friends');
      await h.settle();
    } while (older);
    expect(seen).toEqual(before);
    const top = await ids('/v1/streams/home?limit=3', bob);
    expect(top).not.toEqual(before.slice(0, 3)); // the new ones are on top for a fresh read
  });
});
