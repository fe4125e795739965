// Timelines keep only their newest TIMELINE_MAX_LENGTH entries (10 here), and may be missing
// (Redis flushed, an idle reader's expired). Readers must not notice: a stream reads on in
// Postgres past the end of what its timeline keeps, and while a missing timeline is rebuilt in
// the background the reader is served from Postgres. Unlike Mastodon, whose home feed ends
// where its Redis list was trimmed (800).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

const MAX = 10;
let h: Harness;
let ann: string;
let bob: string;
let cat: string;
const posts: { id: string; by: string; audience: string }[] = [];

beforeAll(async () => {
  h = await startHarness({ env: { TIMELINE_MAX_LENGTH: String(MAX) } });
  ann = await signupMember(h, 'ann');
  bob = await signupMember(h, 'bob');
  cat = await signupMember(h, 'cat'); // a stranger to both
  await befriend(h, ann, bob);
  await h.settle();
  for (const who of [ann, bob, cat]) await readAll('/v1/streams/home', who); // timelines exist
  await h.settle();
  for (let i = 0; i < 3 * MAX + 5; i++) {
    const by = i % 3 === 0 ? ann : bob;
    const audience = i % 7 === 0 ? 'only_me' : i % 5 === 0 ? 'friends' : 'public';
    const res = await h.call('POST', '/v1/events', {
      member: by,
      body: { type: 'status', text: `post ${i} #long`, audience },
    });
    expect(res.status).toBe(201);
    posts.push({ id: ((await res.json()) as { id: string }).id, by, audience });
  }
  await h.settle();
}, 60_000);
afterAll(() => h.close());

/** Every page of a stream, `limit` entries at a time, following the cursor to the end. */
async function readAll(path: string, member?: string, limit = 4): Promise<string[]> {
  const ids: string[] = [];
  let older: string | null = null;
  for (let page = 0; page < 100; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const res = await h.call(
      'GET',
      `${path}${sep}limit=${limit}${older ? `&older=${encodeURIComponent(older)}` : ''}`,
      {
        member,
      },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as StreamPage;
    ids.push(...body.entries.filter((e) => e.type === 'status').map((e) => e.id));
    older = body.older;
    if (!older) return ids;
  }
  throw new Error(`${path} did not end`);
}

const newestFirst = (list: typeof posts) => list.map((p) => p.id).reverse();
const visibleTo = (viewer: string) => (p: (typeof posts)[number]) => p.by === viewer || p.audience !== 'only_me';

describe('streams go on past what their timeline keeps', () => {
  it('home: every post of the reader and their friends, newest first, no gaps or repeats', async () => {
    expect(await readAll('/v1/streams/home', ann)).toEqual(newestFirst(posts.filter(visibleTo(ann))));
    expect(await readAll('/v1/streams/home', bob, 7)).toEqual(newestFirst(posts.filter(visibleTo(bob))));
    expect(await readAll('/v1/streams/home', cat)).toEqual([]);
  });

  it("a member's own stream, the public stream and a hashtag stream, with audiences applied", async () => {
    expect(await readAll(`/v1/members/${bob}/stream`, ann)).toEqual(
      newestFirst(posts.filter((p) => p.by === bob && p.audience !== 'only_me')),
    );
    expect(await readAll(`/v1/members/${bob}/stream`, cat)).toEqual(
      newestFirst(posts.filter((p) => p.by === bob && p.audience === 'public')),
    );
    const everyPublic = newestFirst(posts.filter((p) => p.audience === 'public'));
    expect(await readAll('/v1/streams/public')).toEqual(everyPublic);
    expect(await readAll('/v1/tags/long/stream', cat, 6)).toEqual(everyPublic);
  });

  it('the timeline itself holds no more than it keeps', async () => {
    const { entries, truncatedAtMs } = await h.runtime.ctx.timelines.page(
      { tenant: h.tenantId, kind: 'mri', owner: ann },
      null,
      1000,
    );
    expect(truncatedAtMs).not.toBeNull();
    expect(entries.length).toBeGreaterThanOrEqual(MAX);
    // The newest MAX, less than a segment more (trimmed a segment at a time), and the head; with
    // a maximum this short, segments and the head are MAX long.
    expect(entries.length).toBeLessThan(3 * MAX);
  });
});

describe('a lost timeline is rebuilt in the background while Postgres serves its reader', () => {
  it('while another process is still rebuilding it (BUILDING), and after', async () => {
    const mri = { tenant: h.tenantId, kind: 'mri' as const, owner: bob };
    const expected = newestFirst(posts.filter(visibleTo(bob)));
    await h.runtime.ctx.timelines.clear(mri);
    await h.runtime.ctx.timelines.beginRebuild(mri); // a rebuild under way somewhere: nothing loaded yet
    expect(await h.runtime.ctx.timelines.state(mri)).toBe('building');
    expect(await readAll('/v1/streams/home', bob)).toEqual(expected);
    await h.settle(); // the rebuild job the read queued
    expect(await h.runtime.ctx.timelines.state(mri)).toBe('ready');
    expect(await readAll('/v1/streams/home', bob)).toEqual(expected);
  });

  it('when it is missing (Redis flushed): the first read queues the rebuild and is served at once', async () => {
    const ori = { tenant: h.tenantId, kind: 'ori' as const, owner: ann };
    const expected = newestFirst(posts.filter((p) => p.by === ann && p.audience !== 'only_me'));
    await h.runtime.ctx.timelines.clear(ori);
    expect(await readAll(`/v1/members/${ann}/stream`, bob)).toEqual(expected);
    await h.settle();
    expect(await h.runtime.ctx.timelines.state(ori)).toBe('ready');
    expect(await readAll(`/v1/members/${ann}/stream`, bob)).toEqual(expected);
  });
});
