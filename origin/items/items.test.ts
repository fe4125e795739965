// Item lookups by id are bounded by the lowest and highest id asked for, so Postgres reads only
// the monthly partitions in between (items.ts BY_IDS). Ids of several months in one lookup
// must still all be found: this month's, last year's (the default partition: no month of its
// own) and one 40 days ahead, asked for out of order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeId, shardOfId } from '../../shared/ids.js';
import { befriend, type Harness, signupMember, startHarness } from '../../test/support/origin-harness.js';
import { loadItems, loadItemsWithFriends } from './items.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ processors: false });
});
afterAll(() => h.close());

describe('item lookups by id', () => {
  it('find items of different months in one lookup, with their actors’ friends', async () => {
    const ann = await signupMember(h, 'ann_items');
    const bob = await signupMember(h, 'bob_items');
    const carol = await signupMember(h, 'carol_items');
    await befriend(h, ann, bob);
    await befriend(h, ann, carol);
    const { ctx } = h.runtime;
    const db = ctx.cluster.router.forMember(BigInt(ann));
    const now = Date.now();
    const months = [now, now - 400 * 86_400_000, now + 40 * 86_400_000];
    const ids = months.map((ms, i) => composeId(ms, shardOfId(ann), 60, i));
    for (const id of ids)
      await db.rows(
        `INSERT INTO items (tenant_id, id, actor_id, verb, audience, text) VALUES ($1, $2::bigint, $3::bigint, 'status', 'friends', 'x')`,
        [h.tenantId, id.toString(), ann],
      );
    const missing = composeId(now - 200 * 86_400_000, shardOfId(ann), 60, 9);

    const found = await loadItems(ctx, h.tenantId, [ids[1]!, missing, ids[2]!, ids[0]!]);
    expect([...found.keys()].sort()).toEqual(ids.map(String).sort());
    expect(found.get(ids[1]!.toString())?.actorId).toBe(BigInt(ann));

    const withFriends = await loadItemsWithFriends(ctx, h.tenantId, [ids[2]!, ids[0]!, ids[1]!]);
    expect([...withFriends.keys()].sort()).toEqual(ids.map(String).sort());
    for (const id of ids) {
      const { friendIds, friendCount } = withFriends.get(id.toString())!;
      expect(friendIds.split(',').sort()).toEqual([bob, carol].sort());
      expect(friendCount).toBe(2);
    }

    // One id: the bounds are that id itself.
    expect([...(await loadItems(ctx, h.tenantId, [ids[2]!])).keys()]).toEqual([ids[2]!.toString()]);
  });
});
