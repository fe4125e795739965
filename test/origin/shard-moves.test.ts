import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moveLogicalShard, moveMember } from '../../origin/store/shards/mover.js';
import { items } from '../../origin/store/shards/schema-shard.js';
import { shardOfId } from '../../shared/ids.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { testDatabaseUrls } from '../support/services.js';

// Moves need several real databases: they run against PostgreSQL (CI), in their own group of
// databases so the fences and map changes cannot disturb other suites.
const databases = testDatabaseUrls({ name: 'moves', shards: 3 });

describe.skipIf(!databases)('moving rows between databases while writes go on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ databases });
  });
  afterAll(() => h?.close());

  /** Posts as fast as it can until stopped; returns the ids the API confirmed. */
  function keepPosting(member: string) {
    let stop = false;
    const confirmed: string[] = [];
    const failures: string[] = [];
    const done = (async () => {
      for (let i = 0; !stop; i++) {
        const res = await h.call('POST', '/v1/posts', { member, body: { text: `steady ${i}` } });
        if (res.status === 201) confirmed.push(((await res.json()) as { id: string }).id);
        else failures.push(`${res.status} ${await res.text()}`);
      }
    })();
    return {
      confirmed,
      failures,
      async finish() {
        stop = true;
        await done;
      },
    };
  }

  async function itemsOn(dbName: string, actor: string) {
    const db = h.runtime.ctx.cluster.router.byNameOrThrow(dbName);
    return db.db
      .select({ id: items.id })
      .from(items)
      .where(and(eq(items.tenantId, h.tenantId), eq(items.actorId, BigInt(actor))));
  }

  it('moves a whole logical shard: nothing lost or duplicated, reads and writes continue', async () => {
    const ann = await signupMember(h, 'mover_ann');
    const bob = await signupMember(h, 'mover_bob');
    await befriend(h, ann, bob);
    const router = h.runtime.ctx.cluster.router;
    const logical = shardOfId(ann);
    const from = router.forLogical(logical).name;
    const to = router.physical.find((db) => db.name !== from)!.name;

    const writer = keepPosting(ann);
    await new Promise((r) => setTimeout(r, 300));
    const report = await moveLogicalShard(h.runtime.ctx.cluster, logical, to, { graceMs: 200 });
    await new Promise((r) => setTimeout(r, 300));
    await writer.finish();

    expect(writer.failures).toEqual([]);
    expect(writer.confirmed.length).toBeGreaterThan(10);
    expect(report).toMatchObject({ from, to, verified: true });
    expect(report.rowsCopied).toBeGreaterThan(0);
    expect(router.forLogical(logical).name).toBe(to);
    const onTarget = (await itemsOn(to, ann)).map((r) => r.id.toString());
    expect(new Set(onTarget).size).toBe(onTarget.length);
    expect(onTarget.sort()).toEqual([...writer.confirmed].sort());
    expect(await itemsOn(from, ann)).toEqual([]);

    // Everything still works through the API on the new database.
    await h.settle();
    const home = await h.call('GET', '/v1/streams/home?limit=100', { member: bob });
    const homeIds = ((await home.json()) as { entries: { id: string }[] }).entries.map((e) => e.id);
    expect(homeIds).toEqual(expect.arrayContaining(writer.confirmed.slice(-20)));
    const profile = (await (await h.call('GET', `/v1/members/${ann}`, { member: bob })).json()) as {
      relation: string;
      friendCount: number;
    };
    expect(profile).toMatchObject({ relation: 'friend', friendCount: 1 });
  });

  it('moves one member off its logical shard and back', async () => {
    const cat = await signupMember(h, 'mover_cat');
    const dan = await signupMember(h, 'mover_dan');
    await befriend(h, cat, dan);
    const router = h.runtime.ctx.cluster.router;
    const home = router.forMember(cat).name;
    const away = router.physical.find((db) => db.name !== home)!.name;

    const writer = keepPosting(cat);
    await new Promise((r) => setTimeout(r, 200));
    const out = await moveMember(h.runtime.ctx.cluster, h.tenantId, BigInt(cat), away, { graceMs: 100 });
    await new Promise((r) => setTimeout(r, 200));
    await writer.finish();

    expect(writer.failures).toEqual([]);
    expect(out.verified).toBe(true);
    expect(router.forMember(cat).name).toBe(away);
    // Other members of the same logical shard did not move.
    expect(router.forLogical(shardOfId(cat)).name).toBe(home);
    const moved = (await itemsOn(away, cat)).map((r) => r.id.toString()).sort();
    expect(moved).toEqual([...writer.confirmed].sort());
    // Item lookups by id find the moved member's items (the id names only the logical shard).
    const stream = await h.call('GET', `/v1/members/${cat}/stream?limit=100`, { member: dan });
    expect(((await stream.json()) as { entries: unknown[] }).entries.length).toBe(Math.min(100, moved.length));
    await h.settle();
    const danHome = await h.call('GET', '/v1/streams/home?limit=5', { member: dan });
    expect(((await danHome.json()) as { entries: { id: string }[] }).entries[0]?.id).toBe(writer.confirmed.at(-1));

    const back = await moveMember(h.runtime.ctx.cluster, h.tenantId, BigInt(cat), home, { graceMs: 50 });
    expect(back.verified).toBe(true);
    expect(router.forMember(cat).name).toBe(home);
    expect((await itemsOn(home, cat)).length).toBe(moved.length);
  });
});
