// Redis stopped or paused: the origin keeps serving what does not truly need Redis — home and
// public streams from Postgres, log-ins, profiles — accepts writes, and fans them out from the
// outbox once Redis is back (empty: it keeps nothing on disk). Nothing waits longer than a
// command timeout. Runs on a redis-server and databases of its own (an outbox relay takes
// every tenant's records on its databases into its queue).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStart, StreamPage } from '../../shared/api.js';
import { befriend, type Harness, startHarness } from '../support/origin-harness.js';
import { type PrivateRedis, startPrivateRedis } from '../support/private-redis.js';
import { freshDatabases, oracleServicesAvailable } from './oracle/services.js';

const available = oracleServicesAvailable();
let redis: PrivateRedis;
let h: Harness;
let ann: string;
let bob: string;

/** A call that must answer, however Redis is doing: a hang fails the test instead of stalling it. */
async function answered(res: Promise<Response>, what: string): Promise<Response> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within 10 s`)), 10_000);
  });
  try {
    return await Promise.race([res, hung]);
  } finally {
    clearTimeout(timer);
  }
}

async function homeTexts(member: string): Promise<string[]> {
  const res = await answered(h.call('GET', '/v1/streams/home?limit=50', { member }), 'home');
  expect(res.status).toBe(200);
  return ((await res.json()) as StreamPage).entries.map((e) => e.text);
}

async function post(member: string, text: string): Promise<string> {
  const res = await answered(h.call('POST', '/v1/posts', { member, body: { text } }), 'post');
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** The outbox record of an item's fan-out is done: its job ran and reported back. */
async function fannedOut(itemId: string): Promise<boolean> {
  const db = h.runtime.ctx.cluster.router.forMember(ann);
  const rows = await db.rows<{ done: boolean }>(
    `SELECT done_at IS NOT NULL AS done FROM outbox WHERE kind = 'fanout' AND payload->>'itemId' = $1`,
    [itemId],
  );
  return rows.length > 0 && rows.every((r) => r.done);
}

async function inBobsTimeline(itemId: string): Promise<boolean> {
  const page = await h.runtime.ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner: bob }, null, 50);
  return page.state === 'ready' && page.entries.some((e) => e.id === itemId);
}

describe.skipIf(!available.ok)('Redis stopped or paused', () => {
  beforeAll(async () => {
    redis = await startPrivateRedis();
    const databases = await freshDatabases('redisdown', 2);
    h = await startHarness({
      databases,
      env: { REDIS_URL: redis.url, REDIS_COMMAND_TIMEOUT_MS: '300', OUTBOX_REDELIVER_MS: '1000' },
    });
    const signup = async (username: string) => {
      const res = await h.call('POST', '/v1/members', {
        body: { username, displayName: username, password: 'correct horse' },
      });
      return ((await res.json()) as SessionStart).id;
    };
    ann = await signup('ann_rd');
    bob = await signup('bob_rd');
    await befriend(h, ann, bob);
    await h.settle();
    await homeTexts(bob); // builds Bob's timeline
    await h.settle();
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await redis?.close();
  });

  it('with Redis stopped, reads and log-ins are served from Postgres and writes are accepted', async () => {
    await redis.stop();
    expect(await homeTexts(bob)).not.toContain('while Redis is down');
    const id = await post(ann, 'while Redis is down');
    // Bob's home is read from Postgres meanwhile, so the post is there at once.
    expect(await homeTexts(bob)).toContain('while Redis is down');
    const login = await answered(
      h.call('POST', '/v1/sessions', { body: { username: 'bob_rd', password: 'correct horse' } }),
      'log-in',
    );
    expect(login.status).toBe(200);
    for (const path of ['/v1/streams/public', `/v1/members/${ann}`, `/v1/members/${ann}/stream`]) {
      expect((await answered(h.call('GET', path, { member: bob }), path)).status).toBe(200);
    }
    expect(await fannedOut(id)).toBe(false);

    // Redis comes back with nothing in it: the outbox fans the post out, and Bob's timeline is
    // rebuilt on his next read.
    await redis.start();
    await expect.poll(() => fannedOut(id), { timeout: 30_000, interval: 200 }).toBe(true);
    await expect
      .poll(async () => (await homeTexts(bob)).includes('while Redis is down') && (await inBobsTimeline(id)), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(true);
  }, 90_000);

  it('with Redis paused, requests still get answers and writes still fan out', async () => {
    await redis.pause(3000);
    const texts = await homeTexts(bob);
    expect(texts).toContain('while Redis is down');
    const id = await post(ann, 'while Redis is paused');
    expect(await homeTexts(bob)).toContain('while Redis is paused');
    await expect.poll(() => fannedOut(id), { timeout: 30_000, interval: 200 }).toBe(true);
    await expect.poll(() => inBobsTimeline(id), { timeout: 30_000, interval: 200 }).toBe(true);
  }, 60_000);
});
