// One author with 100,000 friends must not stall everyone else (issue #4). When a tenant lets
// such an author be pushed (its celebrity limit above 100,000), the event's MRI inserts go out as
// part jobs of PART_RECIPIENTS friends each, in a queue of their own: other authors' fan-out runs
// meanwhile. Here the part jobs are held back (no worker takes them yet) to show it: another
// member's post reaches its friend while all of the big fan-out still waits, and once the parts
// run, every friend has the big post; once it is deleted, none has. On databases of its own: the
// other suites' relays would take its outbox records, their consistency checks its friendships.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillFriend, fanoutItems, fanoutPart, PART_RECIPIENTS, unfanoutItem } from '../../origin/streams/fanout.js';
import { composeId } from '../../shared/ids.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testDatabaseUrls } from '../support/services.js';

const FRIENDS = 100_000;
const SAMPLE = 500; // friends whose home timelines exist (fan-out skips the rest, as idle readers)
let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    processors: false,
    celebrityLimit: 1_000_000,
    databases: testDatabaseUrls({ name: 'bigfanout', shards: 2 }),
  });
  h.runtime.ctx.queue.process('fanout', (data) => fanoutItems(h.runtime.ctx, data), { concurrency: 4 });
}, 60_000);
afterAll(() => h.close());

describe('one author with 100,000 friends', () => {
  it('is pushed in part jobs that do not hold up anyone else', async () => {
    const ctx = h.runtime.ctx;
    const star = await signupMember(h, 'bf_star');
    const ann = await signupMember(h, 'bf_ann');
    const bob = await signupMember(h, 'bf_bob');
    await befriend(h, ann, bob);
    // The star's side of 100,000 friendships (fan-out reads the author's side), and home
    // timelines for a sample of those friends.
    const base = Date.now() - 86_400_000;
    const friends = Array.from({ length: FRIENDS }, (_, i) => composeId(base + i, i % 1024, 5, 0).toString());
    await ctx.cluster.router
      .forMember(BigInt(star))
      .rows(`INSERT INTO friendships (tenant_id, member_id, friend_id) SELECT $1, $2::bigint, unnest($3::bigint[])`, [
        h.tenantId,
        star,
        friends,
      ]);
    const sample = friends.filter((_, i) => i % (FRIENDS / SAMPLE) === 0);
    for (const owner of [...sample, bob, star]) {
      const ref = { tenant: h.tenantId, kind: 'mri' as const, owner };
      await ctx.timelines.beginRebuild(ref);
      await ctx.timelines.completeRebuild(ref, []);
    }
    const post = async (member: string, text: string) => {
      const res = await h.call('POST', '/v1/posts', { member, body: { text } });
      expect(res.status).toBe(201);
      return ((await res.json()) as { id: string }).id;
    };
    const inMri = async (owner: string, id: string) =>
      (await ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner }, null, 100)).entries.some(
        (e) => e.id === id,
      );

    const waitingBefore = (await ctx.queue.counts()).waiting; // the friendship's backfill, unhandled here
    const big = await post(star, 'hello, all 100,000 of you');
    const small = await post(ann, 'hello bob');
    await expect.poll(() => inMri(bob, small), { timeout: 20_000 }).toBe(true);
    // Bob has Ann's post; the star's event waits in part jobs, all of them (none runs yet).
    await expect
      .poll(async () => (await ctx.queue.counts()).waiting - waitingBefore, { timeout: 20_000 })
      .toBe(FRIENDS / PART_RECIPIENTS);
    expect(await inMri(star, big)).toBe(true); // the author's own timeline at once
    for (const owner of sample.slice(0, 20)) expect(await inMri(owner, big)).toBe(false);

    ctx.queue.process('fanout-part', (data) => fanoutPart(ctx, data), { concurrency: 2 });
    ctx.queue.process('backfill', (data) => backfillFriend(ctx, data));
    await h.settle(60_000);
    const reached = await Promise.all(sample.map((owner) => inMri(owner, big)));
    expect(reached.filter(Boolean).length).toBe(SAMPLE);

    // Deleting it takes it out of all 100,000 timelines again (in batches, like the fan-out).
    ctx.queue.process('unfanout', (data) => unfanoutItem(ctx, data));
    expect((await h.call('DELETE', `/v1/posts/${big}`, { member: star })).status).toBe(204);
    await h.settle(60_000);
    const left = await Promise.all(sample.map((owner) => inMri(owner, big)));
    expect(left.filter(Boolean).length).toBe(0);
  }, 120_000);
});
