// Soft delete, restore within the window, and the purge job that removes for good.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeDeleted } from '../../origin/jobs/purge.js';
import { memberNames } from '../../origin/store/shards/schema-directory.js';
import { friendships, items, members } from '../../origin/store/shards/schema-shard.js';
import type { StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const ids = async (path: string, member?: string) =>
  ((await (await h.call('GET', path, { member })).json()) as StreamPage).entries.map((e) => e.id);

async function post(member: string, text: string, audience = 'public') {
  const res = await h.call('POST', '/v1/posts', { member, body: { text, audience } });
  return ((await res.json()) as { id: string }).id;
}

const afterRetention = () => Date.now() + h.runtime.ctx.config.PURGE_AFTER_HOURS * 3_600_000 + 60_000;

describe('deleting and restoring a post', () => {
  it('disappears from every stream at once, comes back on restore, and only its author can do either', async () => {
    const ann = await signupMember(h, 'del_ann');
    const bob = await signupMember(h, 'del_bob');
    await befriend(h, ann, bob);
    const id = await post(ann, 'regrettable');
    await h.settle();
    expect(await ids('/v1/streams/home', bob)).toContain(id);

    expect((await h.call('DELETE', `/v1/posts/${id}`, { member: bob })).status).toBe(404);
    expect((await h.call('DELETE', `/v1/posts/${id}`, { member: ann })).status).toBe(204);
    expect((await h.call('DELETE', `/v1/posts/${id}`, { member: ann })).status).toBe(404);
    await h.settle();
    expect(await ids('/v1/streams/home', bob)).not.toContain(id);
    expect(await ids('/v1/streams/public')).not.toContain(id);
    expect(await ids(`/v1/members/${ann}/stream`, ann)).not.toContain(id);
    // The timelines no longer hold it either (the unfanout job ran).
    const mri = (await h.runtime.ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner: bob }, null, 100))
      .entries;
    expect(mri.map((e) => e.id)).not.toContain(id);

    const restored = await h.call('POST', `/v1/posts/${id}/restore`, { member: ann });
    expect(restored.status).toBe(200);
    await h.settle();
    expect(await ids('/v1/streams/home', bob)).toContain(id);
    expect(await ids('/v1/streams/public')).toContain(id);
  });

  it('cannot be restored after the retention window', async () => {
    const cat = await signupMember(h, 'del_cat');
    const id = await post(cat, 'old news');
    await h.call('DELETE', `/v1/posts/${id}`, { member: cat });
    const db = h.runtime.ctx.cluster.router.forMember(BigInt(cat));
    await db.db
      .update(items)
      .set({ deletedAt: new Date(Date.now() - (h.runtime.ctx.config.PURGE_AFTER_HOURS + 1) * 3_600_000) })
      .where(and(eq(items.tenantId, h.tenantId), eq(items.id, BigInt(id))));
    expect((await h.call('POST', `/v1/posts/${id}/restore`, { member: cat })).status).toBe(404);
  });

  it('the purge job removes deleted items for good once the window has passed, and nothing else', async () => {
    const dan = await signupMember(h, 'del_dan');
    const keep = await post(dan, 'keep me');
    const gone = await post(dan, 'purge me');
    await h.settle();
    await h.call('DELETE', `/v1/posts/${gone}`, { member: dan });
    await h.settle();
    await purgeDeleted(h.runtime.ctx); // still inside the window: restorable, so kept
    const db = h.runtime.ctx.cluster.router.forMember(BigInt(dan));
    const before = await db.db
      .select({ id: items.id })
      .from(items)
      .where(eq(items.id, BigInt(gone)));
    expect(before).toHaveLength(1);
    const report = await purgeDeleted(h.runtime.ctx, afterRetention());
    expect(report.items).toBeGreaterThanOrEqual(1);
    const left = await db.db
      .select({ id: items.id })
      .from(items)
      .where(and(eq(items.tenantId, h.tenantId), eq(items.actorId, BigInt(dan))));
    expect(left.map((r) => r.id.toString())).toEqual([keep]);
    expect((await h.call('POST', `/v1/posts/${gone}/restore`, { member: dan })).status).toBe(404);
  });
});

describe('deleting an account', () => {
  it('hides the member at once, restores with the password, and purges everything later', async () => {
    const eve = await signupMember(h, 'del_eve');
    const fay = await signupMember(h, 'del_fay');
    await befriend(h, eve, fay);
    const id = await post(eve, 'from eve');
    await h.settle();

    expect((await h.call('DELETE', '/v1/members/me', { member: eve })).status).toBe(204);
    expect((await h.call('GET', `/v1/members/${eve}`)).status).toBe(404);
    expect(await ids('/v1/streams/home', fay)).not.toContain(id);
    const login = await h.call('POST', '/v1/sessions', { body: { username: 'del_eve', password: 'correct horse' } });
    expect(login.status).toBe(401);

    const wrong = await h.call('POST', '/v1/members/restore', { body: { username: 'del_eve', password: 'nope' } });
    expect(wrong.status).toBe(401);
    const back = await h.call('POST', '/v1/members/restore', {
      body: { username: 'del_eve', password: 'correct horse' },
    });
    expect(back.status).toBe(200);
    expect(await ids('/v1/streams/home', fay)).toContain(id);

    await h.call('DELETE', '/v1/members/me', { member: eve });
    await purgeDeleted(h.runtime.ctx, afterRetention());
    const router = h.runtime.ctx.cluster.router;
    const eveRows = await router
      .forMember(BigInt(eve))
      .db.select()
      .from(members)
      .where(and(eq(members.tenantId, h.tenantId), eq(members.id, BigInt(eve))));
    expect(eveRows).toEqual([]);
    // The other half of the friendship and the friend's counter are gone too.
    const fayEdges = await router
      .forMember(BigInt(fay))
      .db.select()
      .from(friendships)
      .where(and(eq(friendships.tenantId, h.tenantId), eq(friendships.memberId, BigInt(fay))));
    expect(fayEdges).toEqual([]);
    const fayProfile = (await (await h.call('GET', `/v1/members/${fay}`)).json()) as { friendCount: number };
    expect(fayProfile.friendCount).toBe(0);
    // The username is free again.
    const names = await h.runtime.ctx.cluster.directory.db
      .select()
      .from(memberNames)
      .where(and(eq(memberNames.tenantId, h.tenantId), eq(memberNames.username, 'del_eve')));
    expect(names).toEqual([]);
    await signupMember(h, 'del_eve');
  });
});
