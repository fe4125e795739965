// Home streams against an oracle (issue #4, "Must show"): a random, seeded workload through the
// API — members, friendships, members crossing the celebrity limit both ways, posts with every
// audience, likes and comments, deletes and restores, blocks, unfriends, mutes, list edits — and
// then every member's home stream, paged to the end, must equal the stream computed by brute force
// from Postgres (test/origin/oracle/oracle.ts). Checked after the plain workload, after a fan-out
// worker process is SIGKILLed in the middle of a job (another process takes the job over), after a
// real Redis FLUSHALL in the middle of the workload, and once more with every timeline rebuilt.
//
// The origin runs in this process (API and outbox relay); job workers are separate processes
// (test/origin/oracle/fanout-worker.ts). Everything runs on databases and a redis-server of its own
// (test/origin/oracle/services.ts), so nothing here disturbs the suites running in parallel.
// Reproduce a run with ORACLE_SEED=<seed printed on start>; ORACLE_AVOID=refriend,list-add,
// delete-restore leaves out the operations behind the failures reproduced at the end of this file;
// ORACLE_DEBUG=1 prints the Redis keys of the home timeline of every reader whose stream differs.
// The suite runs twice: with timelines of the default length, and trimmed to 10 entries, so that
// most of every stream is read on in Postgres past the end of its timeline.
// Needs TEST_DATABASE_URL and redis-server; skipped otherwise.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recomputeCelebrities } from '../../origin/activity/rebuild.js';
import { isClusterUrl } from '../../origin/store/redis.js';
import { TIMELINE_KEY_PREFIX } from '../../origin/store/timelines/timeline-store.js';
import { backfillAllFriends, fanoutItems, unfanoutItem } from '../../origin/streams/fanout.js';
import { requireTenant, setCelebrityLimit } from '../../origin/tenants/tenants.js';
import type { StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { type PrivatePostgres, startPrivatePostgres } from '../support/private-postgres.js';
import { type ExpectedEntry, homeItems, inHome, isFriend, loadWorld, pagesOf, type World } from './oracle/oracle.js';
import { type OracleOrigin, startOrigin, startWorker, type WorkerProcess } from './oracle/origin.js';
import {
  freshDatabases,
  type OracleDatabases,
  oracleServicesAvailable,
  type RedisServer,
  startOracleRedis,
} from './oracle/services.js';
import { prng, Workload } from './oracle/workload.js';

const available = oracleServicesAvailable();
const SEED = process.env.ORACLE_SEED ? Number(process.env.ORACLE_SEED) : Math.floor(Math.random() * 2 ** 31);
const MEMBERS = 14;
const HUBS = 3;
const CELEBRITY_LIMIT = 3;
/** Small, so one fan-out job is several timeline writes and a kill can land between them. */
const FANOUT_BATCH = 2;
const LOCK_MS = 2000;
const STALLED_MS = 1000;
/** Page sizes compared: one page per stream, and many small pages (cursor, aggregation per page). */
const PAGE_SIZES = [100, 4];
/** How long Redis, and then a shard, are stopped in the outage case (the issue asks for 20 s). */
const OUTAGE_MS = Number(process.env.ORACLE_OUTAGE_MS ?? 20_000);

/** The suite, with timelines of the default length or trimmed short (read on in Postgres). */
const oracleSuite = (title: string, timelineMaxLength?: number, outages = false) =>
  describe.skipIf(!available.ok)(title, () => {
    let databases: OracleDatabases;
    let redis: RedisServer;
    /** With outages: shard-1 runs on a PostgreSQL server of the suite's own, which it stops. */
    let stoppable: PrivatePostgres | undefined;
    let origin: OracleOrigin;
    const queueNamespace = `oracle-${randomBytes(4).toString('hex')}`;
    const tenantId = `oracle${randomBytes(4).toString('hex')}`;
    const workers: WorkerProcess[] = [];
    let workload: Workload;

    const workerSettings = () => ({
      databases,
      redisUrl: redis.url,
      queueNamespace,
      timelineMaxLength,
      fanoutBatch: FANOUT_BATCH,
      lockMs: LOCK_MS,
      stalledMs: STALLED_MS,
    });

    async function spawnWorker(name: string): Promise<WorkerProcess> {
      const w = startWorker(name, workerSettings());
      workers.push(w);
      await w.ready;
      return w;
    }

    beforeAll(async () => {
      console.log(`streams oracle: seed ${SEED} (ORACLE_SEED=${SEED} reproduces the workload)`);
      if (outages) stoppable = await startPrivatePostgres();
      databases = await freshDatabases('oracle', 2, stoppable && { index: 1, server: stoppable });
      redis = await startOracleRedis();
      origin = await startOrigin({
        // Jobs lost with a stopped or flushed Redis are delivered again within a second.
        env: { OUTBOX_REDELIVER_MS: '1000', REDIS_COMMAND_TIMEOUT_MS: '500' },
        databases,
        redisUrl: redis.url,
        queueNamespace,
        tenantId,
        celebrityLimit: CELEBRITY_LIMIT,
        timelineMaxLength,
        fanoutBatch: FANOUT_BATCH,
      });
      await spawnWorker('worker-a');
      workload = new Workload(
        origin,
        prng(SEED),
        CELEBRITY_LIMIT,
        new Set((process.env.ORACLE_AVOID ?? '').split(',')),
      );
      await workload.signup(MEMBERS, HUBS);
      // Every member reads once, so their home timelines exist and fan-out lands in them.
      for (const m of workload.members) await workload.readHome(m);
    }, 60_000);

    afterAll(async () => {
      for (const w of workers) {
        if (w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill('SIGTERM');
          const timer = setTimeout(() => w.child.kill('SIGKILL'), 5000);
          await w.exited;
          clearTimeout(timer);
        }
      }
      await origin?.close();
      await redis?.stop();
      stoppable?.close();
    });

    async function readAll(member: string, limit: number): Promise<StreamPage[]> {
      const pages: StreamPage[] = [];
      let older: string | null = null;
      do {
        const res = await origin.call(
          'GET',
          `/v1/streams/home?limit=${limit}${older ? `&older=${encodeURIComponent(older)}` : ''}`,
          { member },
        );
        if (res.status !== 200) throw new Error(`home of ${workload.name(member)}: ${res.status} ${await res.text()}`);
        const page = (await res.json()) as StreamPage;
        pages.push(page);
        older = page.older;
        if (pages.length > 500) throw new Error(`home of ${workload.name(member)}: more than 500 pages`);
      } while (older);
      return pages;
    }

    /** Everything useful about one item that is wrongly in or out of a reader's stream. */
    async function describeItem(world: World, reader: string, id: string): Promise<string> {
      const item = world.items.get(id);
      if (!item) return `${id}: not an item of this tenant`;
      const actor = item.actor;
      const relation =
        actor === reader
          ? 'own'
          : [
              isFriend(world, reader, actor) ? 'friend' : 'not a friend',
              world.muted.get(reader)?.has(actor) ? 'muted' : '',
              world.blocked.get(reader)?.has(actor) ? 'blocked' : '',
            ]
              .filter(Boolean)
              .join(', ');
      const count = world.friendCount.get(actor) ?? 0;
      const mri = (
        await origin.runtime.ctx.timelines.page({ tenant: tenantId, kind: 'mri', owner: reader }, null, 5000)
      ).entries;
      const inMri = mri.some((e) => e.id === id);
      if (process.env.ORACLE_DEBUG) {
        const { openRedis } = await import('../../origin/store/redis.js');
        const r = openRedis(redis.url);
        const keys = await r.keys(`${TIMELINE_KEY_PREFIX}{${tenantId}:${reader}}:mri*`);
        for (const k of keys.sort()) {
          const t = await r.type(k);
          console.log(
            k,
            t,
            t === 'list' ? JSON.stringify(await r.lrange(k, 0, -1)) : JSON.stringify(await r.hgetall(k)),
          );
        }
        console.log('looking for', id);
        r.disconnect();
      }
      const list =
        item.audience === 'list'
          ? ` [list ${item.listId}: ${[...(world.lists.get(item.listId!)?.members ?? [])].map((m) => workload.name(m)).join(', ')}]`
          : '';
      const object = item.object ? ` on ${item.object}` : '';
      return (
        `${id} ${item.verb}${object} by ${workload.name(actor)} (${relation}; ${count} friends${count > CELEBRITY_LIMIT ? ', celebrity' : ''}), ` +
        `audience ${item.audience}${list}${item.deleted ? ', deleted' : ''}, written at ${workload.writtenAt(id)}, ` +
        `${inMri ? 'in' : 'not in'} the reader's MRI`
      );
    }

    function firstDifference(expected: ExpectedEntry[], actual: ExpectedEntry[]): number {
      let i = 0;
      while (i < expected.length && i < actual.length && isDeepStrictEqual(expected[i], actual[i])) i++;
      return i;
    }

    /** Settles, then compares every member's home stream with the oracle at every page size. */
    async function compareAll(label: string): Promise<void> {
      await origin.settle();
      const counts = await origin.runtime.ctx.queue.counts();
      const world = await loadWorld(origin.runtime.ctx.cluster.router.physical, tenantId);
      const problems: string[] = [];

      // The model the workload keeps and Postgres agree (a sanity check of the test itself and of
      // the two-sided friendship writes).
      for (const m of workload.members) {
        const inDb = [...(world.friends.get(m) ?? [])].sort();
        const inModel = [...workload.friendsOf(m)].sort();
        if (!isDeepStrictEqual(inDb, inModel))
          problems.push(
            `${workload.name(m)}'s friends: Postgres ${inDb.map((x) => workload.name(x))}, model ${inModel.map((x) => workload.name(x))}`,
          );
        if ((world.friendCount.get(m) ?? 0) !== inDb.length)
          problems.push(`${workload.name(m)}: friend_count ${world.friendCount.get(m)} but ${inDb.length} friendships`);
      }
      // The celebrities this process pulls are exactly the members above the limit.
      const celebritiesNow = workload.members.filter((m) => (world.friendCount.get(m) ?? 0) > CELEBRITY_LIMIT).sort();
      const indexed = origin.runtime.ctx.activity.celebritiesOf(tenantId).sort();
      if (!isDeepStrictEqual(indexed, celebritiesNow))
        problems.push(
          `activity index celebrities ${indexed.map((x) => workload.name(x))}, Postgres ${celebritiesNow.map((x) => workload.name(x))}`,
        );
      if (counts.failed > 0) problems.push(`${counts.failed} jobs failed for good`);

      let entries = 0;
      for (const reader of workload.members) {
        const items = homeItems(world, reader);
        for (const limit of PAGE_SIZES) {
          const expected = pagesOf(items, limit).flat();
          const pages = await readAll(reader, limit);
          const actual = pages.flatMap((p) => p.entries.map((e) => ({ id: e.id, actorCount: e.actorCount })));
          entries += actual.length;
          const oversized = pages.find((p) => p.entries.length > limit);
          if (oversized) problems.push(`${workload.name(reader)}: a page of ${oversized.entries.length} > ${limit}`);
          if (isDeepStrictEqual(actual, expected)) continue;
          const expectedIds = new Set(expected.map((e) => e.id));
          const actualIds = new Set(actual.map((e) => e.id));
          const lines = [
            `${workload.name(reader)} (${reader}), limit ${limit}: ${actual.length} entries, oracle ${expected.length}; first difference at #${firstDifference(expected, actual)}`,
          ];
          for (const e of expected.filter((x) => !actualIds.has(x.id)))
            lines.push(`  missing    ${await describeItem(world, reader, e.id)}`);
          for (const e of actual.filter((x) => !expectedIds.has(x.id))) {
            const item = world.items.get(e.id);
            const why = item && !inHome(world, reader, item) ? ' (the oracle excludes it)' : '';
            lines.push(`  unexpected ${await describeItem(world, reader, e.id)}${why}`);
          }
          for (const e of expected) {
            const got = actual.find((x) => x.id === e.id);
            if (got && got.actorCount !== e.actorCount)
              lines.push(`  actorCount of ${e.id}: ${got.actorCount}, oracle ${e.actorCount}`);
          }
          if (new Set(actual.map((e) => e.id)).size !== actual.length) lines.push('  an entry appears twice');
          problems.push(lines.join('\n'));
        }
      }
      if (problems.length > 0) {
        const logFile = join(tmpdir(), `streams-oracle-${SEED}.log`);
        writeFileSync(logFile, `${workload.log.join('\n')}\n`);
        expect.fail(
          `seed ${SEED}, ${label}: home streams differ from the oracle (workload log: ${logFile})\n\n${problems.join('\n\n')}`,
        );
      }
      expect(entries).toBeGreaterThan(0);
    }

    it('after a random workload (members crossing the celebrity limit both ways)', async () => {
      await workload.run(140);
      await workload.crossBothWays();
      await compareAll('after the workload');
      expect(workload.crossings.up, 'members went above the celebrity limit').toBeGreaterThan(0);
      expect(workload.crossings.down, 'members fell back under the celebrity limit').toBeGreaterThan(0);
    }, 60_000);

    it('after a fan-out worker process is killed in the middle of a job', async () => {
      await origin.settle();
      const [victim] = workers;
      // Every home timeline exists, so the kill leaves some with the event and some without.
      for (const m of workload.members) await workload.readHome(m);
      // The author: below the limit (so the event is pushed) with the most friends.
      const pushed = workload.members.filter((m) => !workload.isCelebrity(m));
      const author = pushed.sort((x, y) => workload.friendsOf(y).size - workload.friendsOf(x).size)[0]!;
      await workload.befriendUntil(author, 2);
      await origin.settle();
      await workload.readHome(author);
      await victim!.arm(author);
      await workload.post(author, 'friends');
      const caught = await Promise.race([
        victim!.midJob,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the worker never reached the job')), 15_000),
        ),
      ]);
      victim!.child.kill('SIGKILL');
      expect((await victim!.exited).signal).toBe('SIGKILL');
      workload.pinned.add(caught.itemId);
      expect(caught.landed, 'timeline writes landed before the kill').toBeGreaterThan(0);
      expect((await origin.runtime.ctx.queue.counts()).active, 'the job is still taken').toBeGreaterThan(0);
      const readers = [...workload.friendsOf(author)];
      const has = async (reader: string) =>
        (
          await origin.runtime.ctx.timelines.page({ tenant: tenantId, kind: 'mri', owner: reader }, null, 5000)
        ).entries.some((e) => e.id === caught.itemId);
      const reached = (await Promise.all(readers.map(has))).filter(Boolean).length;
      workload.log.push(
        `worker-a killed during the fan-out of ${caught.itemId}: ${reached} of ${readers.length} friends reached`,
      );

      // The workload goes on with no worker alive: its jobs wait.
      await workload.run(40);
      await spawnWorker('worker-b');
      await compareAll('after a worker was killed mid-job');
      // The replacement ran the interrupted job to the end: pushed (not just rebuilt on read) to
      // every friend it had missed, as far as the author is still below the limit and still friends.
      // (A short timeline may have trimmed the entry away since: then Postgres serves it.)
      if (!workload.isCelebrity(author) && timelineMaxLength === undefined) {
        const stillFriends = readers.filter((r) => workload.areFriends(author, r));
        const after = await Promise.all(stillFriends.map(has));
        const lacking = stillFriends.filter((_, i) => !after[i]).map((m) => workload.name(m));
        expect(
          lacking,
          `friends of ${workload.name(author)} whose timeline lacks ${caught.itemId} after the takeover`,
        ).toEqual([]);
      }
    }, 60_000);

    it('after a Redis FLUSHALL in the middle of the workload', async () => {
      await workload.run(30);
      // No settle: jobs are queued and running while everything in Redis goes.
      await redis.flushAll();
      workload.log.push('FLUSHALL');
      expect(await redis.keyCount()).toBeLessThan(50);
      await workload.run(50);
      await compareAll('after FLUSHALL mid-workload');
    }, 60_000);

    it.skipIf(!outages)(
      'after Redis is stopped for 20 s, then a shard for 20 s, in the middle of the workload',
      async () => {
        await origin.settle();
        // Redis away: the workload goes on (writes accepted, streams read from Postgres); then it
        // comes back with nothing in it (no persistence): queues and timelines are gone.
        await redis.halt!();
        workload.log.push('Redis stopped');
        let steps = 0;
        for (const until = Date.now() + OUTAGE_MS; Date.now() < until; steps++) await workload.step();
        await redis.resume!();
        workload.log.push(`Redis back, empty, after ${steps} operations`);
        expect(steps, 'operations while Redis was stopped').toBeGreaterThan(10);
        await workload.run(20);
        await compareAll('after Redis was stopped for 20 s');

        // A shard away: members on the other one go on posting to their friends, wherever those
        // live; jobs that need the stopped shard wait and retry until it is back.
        const router = origin.runtime.ctx.cluster.router;
        const healthy = workload.members.filter((m) => router.forMember(m).name !== 'shard-1');
        expect(healthy.length).toBeGreaterThan(0);
        expect(healthy.length).toBeLessThan(workload.members.length);
        stoppable!.stop();
        workload.log.push('shard-1 stopped');
        let posts = 0;
        for (const until = Date.now() + OUTAGE_MS; Date.now() < until; posts++) {
          await workload.post(healthy[posts % healthy.length]!, 'friends');
          await new Promise((r) => setTimeout(r, 50));
        }
        stoppable!.start();
        workload.log.push(`shard-1 back after ${posts} posts`);
        await workload.run(20);
        await compareAll('after a shard was stopped for 20 s');
      },
      240_000,
    );

    it('after one more FLUSHALL, with every timeline rebuilt from Postgres', async () => {
      await origin.settle();
      await redis.flushAll();
      await compareAll('with every timeline rebuilt');
    }, 60_000);

    it('after a FLUSHALL takes the queued fan-out job of a celebrity’s post', async () => {
      await origin.settle();
      // A new celebrity who asked for every friendship: the accepters wrote the friendship events,
      // so nothing of theirs has been fanned out yet.
      const [star, ...fans] = await workload.signup(CELEBRITY_LIMIT + 2);
      for (const fan of fans) await workload.befriend(star!, fan, star);
      await origin.settle();
      for (const fan of fans) await workload.readHome(fan);
      // No worker for a moment: the post's fan-out job waits in Redis when everything goes.
      const worker = workers.at(-1)!;
      worker.child.kill('SIGTERM');
      await worker.exited;
      const id = await workload.post(star!, 'friends');
      await origin.runtime.relay.drainAll();
      await redis.flushAll();
      workload.log.push(`FLUSHALL with the fan-out job of ${id} queued`);
      await spawnWorker('worker-c');
      await compareAll('after a FLUSHALL took a celebrity’s queued fan-out job');
    }, 60_000);
  });

// Outages need a redis-server and a PostgreSQL server the suite can stop: not on a Redis Cluster.
oracleSuite(
  'home streams equal a brute-force oracle over Postgres',
  undefined,
  !isClusterUrl(process.env.TEST_REDIS_URL ?? ''),
);
// Timelines trimmed to 10 entries: every stream is mostly read on in Postgres past the timeline's
// end (the same Redis code either way: not again on the cluster).
if (!isClusterUrl(process.env.TEST_REDIS_URL ?? ''))
  oracleSuite('home streams equal the oracle with timelines trimmed to 10 entries', 10);

// What the oracle found, each reduced to the fewest steps. These run on the ordinary test
// services (embedded or real), like the other origin suites.
describe('home streams: minimal reproductions of oracle findings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  async function post(member: string, text: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await h.call('POST', '/v1/events', { member, body: { type: 'status', text, ...extra } });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  }

  async function home(member: string, limit = 100): Promise<StreamPage> {
    const res = await h.call('GET', `/v1/streams/home?limit=${limit}`, { member });
    expect(res.status).toBe(200);
    return (await res.json()) as StreamPage;
  }

  const ids = async (member: string) => (await home(member)).entries.map((e) => e.id);

  it('friends again: posts from the time apart reach the home stream (re-friend backfill)', async () => {
    const ann = await signupMember(h, 'refriend_ann');
    const bob = await signupMember(h, 'refriend_bob');
    await befriend(h, ann, bob);
    await h.settle();
    await home(ann); // ann's home timeline exists
    expect((await h.call('DELETE', `/v1/friends/${bob}`, { member: ann })).status).toBe(204);
    const apart = await post(bob, 'posted while we were not friends');
    await h.settle();
    await befriend(h, ann, bob);
    await h.settle();
    // Postgres (and a rebuilt timeline) say ann sees it; the second backfill job has the first
    // one's job id (backfill-<tenant>-<reader>-<author>) and is dropped while the queue still
    // remembers the completed first one.
    expect(await ids(ann)).toContain(apart);
  });

  it('a member added to a friend list sees the list posts from before (as after a rebuild)', async () => {
    const ann = await signupMember(h, 'list_ann');
    const bob = await signupMember(h, 'list_bob');
    const cat = await signupMember(h, 'list_cat');
    await befriend(h, ann, bob);
    await befriend(h, ann, cat);
    await h.settle();
    await home(cat); // cat's home timeline exists
    const created = await h.call('POST', '/v1/lists', { member: ann, body: { name: 'close', members: [bob] } });
    expect(created.status).toBe(201);
    const list = ((await created.json()) as { id: string }).id;
    const secret = await post(ann, 'for the list', { audience: 'list', listId: list });
    await h.settle();
    expect(await ids(cat)).not.toContain(secret);
    const edited = await h.call('PUT', `/v1/lists/${list}`, {
      member: ann,
      body: { name: 'close', members: [bob, cat] },
    });
    expect(edited.status).toBe(200);
    // The list is read when the stream is read, and a rebuilt timeline holds every friend's list
    // posts; but fan-out pushed this one only to the list's members of the time.
    const before = await ids(cat);
    await h.runtime.ctx.timelines.clear({ tenant: h.tenantId, kind: 'mri', owner: cat });
    const rebuilt = await ids(cat);
    expect(rebuilt, 'after a rebuild').toContain(secret);
    expect(before, 'without a rebuild').toContain(secret);
  });

  it('a restore whose fan-out runs before the delete’s unfanout leaves the item in the streams', async () => {
    const ann = await signupMember(h, 'restore_ann');
    const bob = await signupMember(h, 'restore_bob');
    await befriend(h, ann, bob);
    await h.settle();
    await home(bob);
    const id = await post(ann, 'deleted, then restored');
    await h.settle();
    expect(await ids(bob)).toContain(id);
    expect((await h.call('DELETE', `/v1/posts/${id}`, { member: ann })).status).toBe(204);
    expect((await h.call('POST', `/v1/posts/${id}/restore`, { member: ann })).status).toBe(200);
    await h.settle();
    // The two jobs are on different queues with their own workers: nothing orders the restore's
    // fan-out after the delete's unfanout. Run them in the unlucky order.
    const job = { tenant: h.tenantId, itemId: id };
    await fanoutItems(h.runtime.ctx, job);
    await unfanoutItem(h.runtime.ctx, job);
    expect(await ids(bob)).toContain(id);
  });

  // Two origin processes (the API and a worker) share databases only on a real server.
  it.skipIf(!process.env.TEST_DATABASE_URL)(
    'a worker process that cached the tenant before a limit change still pushes by the old limit',
    async () => {
      // Jobs are run by hand, to name the process that runs each.
      const api = await startHarness({ celebrityLimit: 3, processors: false });
      const worker = await startHarness({ tenantId: api.tenantId, processors: false });
      try {
        const star = await signupMember(api, 'limit_star');
        const fans: string[] = [];
        for (const name of ['limit_a', 'limit_b', 'limit_c', 'limit_d']) {
          fans.push(await signupMember(api, name));
          await befriend(api, fans.at(-1)!, star);
        }
        const reader = fans[0]!;
        expect(api.runtime.ctx.activity.isCelebrity(api.tenantId, BigInt(star))).toBe(true);
        await api.call('GET', '/v1/streams/home', { member: reader }); // the reader's timeline exists
        await requireTenant(worker.runtime.ctx, api.tenantId); // the worker has the tenant cached (5 s)
        // The admin route's steps: 4 friends is no longer above the limit; readers stop pulling.
        await setCelebrityLimit(api.runtime.ctx, api.tenantId, 4);
        await recomputeCelebrities(api.runtime.ctx, await requireTenant(api.runtime.ctx, api.tenantId));
        await backfillAllFriends(api.runtime.ctx, { tenant: api.tenantId, author: star });
        const res = await api.call('POST', '/v1/posts', { member: star, body: { text: 'just after the change' } });
        const id = ((await res.json()) as { id: string }).id;
        // The worker fans it out with the cached limit (3): not pushed, and no reader pulls it.
        await fanoutItems(worker.runtime.ctx, { tenant: api.tenantId, itemId: id });
        const page = (await (await api.call('GET', '/v1/streams/home', { member: reader })).json()) as StreamPage;
        expect(page.entries.map((e) => e.id)).toContain(id);
      } finally {
        await worker.close();
        await api.close();
      }
    },
  );
});
