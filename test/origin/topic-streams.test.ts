// Hashtag and place streams anyone can ask for: a random topic costs one indexed query (checked
// with EXPLAIN), leaves nothing in Redis and queues no rebuild; "nothing here" is remembered
// briefly; the first public post of a topic creates its timeline. And a scatter-gather query past
// its deadline is cancelled on the database, not left running.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scatterGather } from '../../origin/store/shards/scatter.js';
import type { TimelineRef } from '../../origin/store/timelines/timeline-store.js';
import { sharedSourceSql } from '../../origin/streams/timelines.js';
import type { StreamPage } from '../../shared/api.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testDatabaseUrls } from '../support/services.js';

let h: Harness;
let ann: string;
beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ann_topics');
});
afterAll(() => h.close());

const ref = (kind: 'tag' | 'place', owner: string): TimelineRef => ({ tenant: h.tenantId, kind, owner });

describe('topic streams', () => {
  it('a topic nobody posted about answers empty, leaves no timeline and queues no rebuild', async () => {
    const tag = `nothing${randomBytes(4).toString('hex')}`;
    const place = `nowhere-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 3; i++) {
      const t = await h.call('GET', `/v1/tags/${tag}/stream`);
      expect(t.status).toBe(200);
      expect(((await t.json()) as StreamPage).entries).toEqual([]);
      const p = await h.call('GET', `/v1/places/${place}/stream`);
      expect(p.status).toBe(200);
    }
    await h.settle();
    expect(await h.runtime.ctx.timelines.state(ref('tag', tag))).toBe('missing');
    expect(await h.runtime.ctx.timelines.state(ref('place', place))).toBe('missing');
  });

  it('the first public post of a topic creates its timeline; readers see it', async () => {
    const tag = `fresh${randomBytes(4).toString('hex')}`;
    expect((await h.call('GET', `/v1/tags/${tag}/stream`)).status).toBe(200); // remembered empty here
    const res = await h.call('POST', '/v1/events', {
      member: ann,
      body: { type: 'checkin', place: 'Harbour Café', text: `hello #${tag}`, audience: 'public' },
    });
    expect(res.status).toBe(201);
    await h.settle();
    expect(await h.runtime.ctx.timelines.state(ref('tag', tag))).toBe('ready');
    expect(await h.runtime.ctx.timelines.state(ref('place', 'harbour-café'))).toBe('ready');
    const page = (await (await h.call('GET', `/v1/tags/${tag}/stream`)).json()) as StreamPage;
    expect(page.entries.map((e) => e.text)).toEqual([`hello #${tag}`]);
  });

  it('a friends-only post makes no topic timeline', async () => {
    const tag = `quiet${randomBytes(4).toString('hex')}`;
    await h.call('POST', '/v1/posts', { member: ann, body: { text: `#${tag}`, audience: 'friends' } });
    await h.settle();
    expect(await h.runtime.ctx.timelines.state(ref('tag', tag))).toBe('missing');
  });
});

describe.skipIf(!testDatabaseUrls())('topic queries on PostgreSQL', () => {
  it('use their indexes for a topic nobody posted about, among many public posts', async () => {
    const db = h.runtime.ctx.cluster.router.forMember(ann);
    // Many public posts with common tags and places, straight into one shard.
    await db.rows(
      `INSERT INTO items (tenant_id, id, actor_id, verb, audience, text, data, created_at)
       SELECT $1, $2::bigint + g, $3::bigint, 'status', 'public', 'x',
              jsonb_build_object('tags', jsonb_build_array('common' || (g % 5)), 'placeSlug', 'town-' || (g % 5)),
              now()
       FROM generate_series(1, 5000) g`,
      [h.tenantId, (BigInt(ann) + 1_000_000n).toString(), ann],
    );
    await db.rows('ANALYZE items');
    // The month's partition that holds them must be searched by index (empty ones may be scanned).
    const [{ partition }] = (await db.rows<{ partition: string }>(
      'SELECT tableoid::regclass::text AS partition FROM items WHERE tenant_id = $1 AND id = $2::bigint + 1',
      [h.tenantId, (BigInt(ann) + 1_000_000n).toString()],
    )) as [{ partition: string }];
    for (const [kind, topic] of [
      ['tag', `random${randomBytes(4).toString('hex')}`],
      ['place', `nowhere-${randomBytes(4).toString('hex')}`],
    ] as const) {
      const sql = sharedSourceSql(kind);
      const plan = (await db.rows<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, [h.tenantId, 20, null, topic]))
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      expect(plan, `${kind} plan:\n${plan}`).toMatch(
        new RegExp(`(Index (Only )?Scan using \\S+ on ${partition} |Bitmap Index Scan on ${partition}_)`),
      );
      expect(plan, `${kind} plan:\n${plan}`).not.toContain(`Seq Scan on ${partition} `);
    }
  });

  it('a scatter-gather query past its deadline is cancelled on the database', async () => {
    const marker = `cancel_me_${randomBytes(4).toString('hex')}`;
    const result = await scatterGather(
      h.runtime.ctx.cluster.router.physical,
      (db, limits) => db.rows(`SELECT pg_sleep(5), '${marker}'`, [], limits),
      { timeoutMs: 200 },
    );
    expect(result.partial).toBe(true);
    const directory = h.runtime.ctx.cluster.directory;
    const running = async () =>
      Number(
        (
          await directory.rows<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%' || $1 || '%' AND state = 'active' AND pid <> pg_backend_pid()`,
            [marker],
          )
        )[0]!.n,
      );
    await expect.poll(running, { timeout: 2000, interval: 50 }).toBe(0);
  });
});
