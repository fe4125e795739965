// The consistency checker finds and repairs one-sided friendships, drifted counters and orphaned
// rows, reports what it fixed, and resumes from its checkpoint after an interruption.
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConsistencyCheck } from '../../origin/jobs/consistency-check.js';
import { friendRequests, friendships, members } from '../../origin/store/shards/schema-shard.js';
import { composeId } from '../../shared/ids.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const old = sql`now() - interval '1 hour'`;

describe('consistency checker', () => {
  it('repairs what a crash between cross-shard writes leaves behind, and reports it', async () => {
    const router = h.runtime.ctx.cluster.router;
    const ann = BigInt(await signupMember(h, 'cc_ann'));
    const bob = BigInt(await signupMember(h, 'cc_bob'));
    await befriend(h, ann.toString(), bob.toString());
    await h.call('POST', '/v1/posts', { member: ann.toString(), body: { text: 'one' } });
    const t = h.tenantId;
    // A crash after accept wrote ann's half but before bob's: bob's half is missing.
    await router
      .forMember(bob)
      .db.delete(friendships)
      .where(and(eq(friendships.tenantId, t), eq(friendships.memberId, bob)));
    await router
      .forMember(ann)
      .db.update(friendships)
      .set({ createdAt: old })
      .where(and(eq(friendships.tenantId, t), eq(friendships.memberId, ann)));
    // A drifted counter, and a friend request whose member no longer exists.
    await router
      .forMember(ann)
      .db.update(members)
      .set({ friendCount: 7 })
      .where(and(eq(members.tenantId, t), eq(members.id, ann)));
    const ghost = composeId(Date.now() - 5000, Number((ann >> 12n) & 1023n), 0, 0);
    await router
      .forMember(ghost)
      .db.insert(friendRequests)
      .values({
        tenantId: t,
        ownerId: ghost,
        otherId: ann,
        direction: 'out',
        createdAt: new Date(Date.now() - 3_600_000),
      });

    const report = await runConsistencyCheck(h.runtime.ctx);
    expect(report.fixed.oneSidedFriendships).toBeGreaterThanOrEqual(1);
    expect(report.fixed.friendCounts).toBeGreaterThanOrEqual(1);
    expect(report.fixed.orphans).toBeGreaterThanOrEqual(1);
    expect(report.checked.members).toBeGreaterThanOrEqual(2);

    const annProfile = (await (await h.call('GET', `/v1/members/${bob}`, { member: ann.toString() })).json()) as {
      relation: string;
    };
    expect(annProfile.relation).toBe('none');
    const [annRow] = await router
      .forMember(ann)
      .db.select()
      .from(members)
      .where(and(eq(members.tenantId, t), eq(members.id, ann)));
    expect(annRow).toMatchObject({ friendCount: 0 });
    const [ghostEdge] = await router
      .forMember(ghost)
      .db.select()
      .from(friendRequests)
      .where(and(eq(friendRequests.tenantId, t), eq(friendRequests.ownerId, ghost)));
    expect(ghostEdge).toBeUndefined();
    // A second run finds nothing more in this tenant's rows.
    const again = await runConsistencyCheck(h.runtime.ctx);
    expect(again.resumed).toBe(false);
  });

  it('leaves fresh edges alone: an accept may be halfway done', async () => {
    const cat = BigInt(await signupMember(h, 'cc_cat'));
    const dan = BigInt(await signupMember(h, 'cc_dan'));
    await befriend(h, cat.toString(), dan.toString());
    await h.runtime.ctx.cluster.router
      .forMember(dan)
      .db.delete(friendships)
      .where(and(eq(friendships.tenantId, h.tenantId), eq(friendships.memberId, dan)));
    await runConsistencyCheck(h.runtime.ctx);
    const [edge] = await h.runtime.ctx.cluster.router
      .forMember(cat)
      .db.select()
      .from(friendships)
      .where(and(eq(friendships.tenantId, h.tenantId), eq(friendships.memberId, cat)));
    expect(edge).toBeDefined();
  });

  it('resumes from its checkpoint after being interrupted', async () => {
    for (let i = 0; i < 5; i++) await signupMember(h, `cc_many_${i}`);
    await expect(runConsistencyCheck(h.runtime.ctx, { batch: 2, failAfterPages: 3 })).rejects.toThrow(/interrupted/);
    const resumed = await runConsistencyCheck(h.runtime.ctx, { batch: 2 });
    expect(resumed.resumed).toBe(true);
    expect(resumed.checked.members).toBeGreaterThanOrEqual(7);
  });
});
