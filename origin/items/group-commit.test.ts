// Group commit shares one statement among the events that reach a database together; one bad
// event in such a batch must fail alone, never another member's post.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, signupMember, startHarness } from '../../test/support/origin-harness.js';
import { requireTenant } from '../tenants/tenants.js';
import { insertItem, loadItems } from './items.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ processors: false });
});
afterAll(() => h.close());

describe('group commit', () => {
  it('one bad event in a batch fails alone; the others in the batch commit', async () => {
    const { ctx } = h.runtime;
    const tenant = await requireTenant(ctx, h.tenantId);
    const members: bigint[] = [];
    for (let i = 0; i < 5; i++) members.push(BigInt(await signupMember(h, `grouped_${i}`)));
    // Same database for all, so they share statements: the first writes alone, the rest wait and batch.
    const db = ctx.cluster.router.forMember(members[0]!);
    const same = members.filter((m) => ctx.cluster.router.forMember(m) === db);
    const post = (actor: bigint, text: string) =>
      insertItem(ctx, tenant, actor, { type: 'status', text, audience: 'friends' });
    const first = post(same[0]!, 'first, alone');
    // Validation keeps NUL out of the API; here it reaches Postgres, which refuses it.
    const outcomes = await Promise.allSettled([
      post(same[0]!, 'bad \u0000 text'),
      ...members.map((m, i) => post(m, `good ${i}`)),
    ]);
    await first;
    expect(outcomes[0]!.status).toBe('rejected');
    const good = outcomes.slice(1);
    expect(good.map((o) => o.status)).toEqual(members.map(() => 'fulfilled'));
    const ids = good.map((o) => (o as PromiseFulfilledResult<{ id: bigint }>).value.id);
    const stored = await loadItems(ctx, h.tenantId, ids);
    expect([...stored.values()].map((i) => i.text).sort()).toEqual(members.map((_, i) => `good ${i}`).sort());
  });
});
