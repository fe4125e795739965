import { isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../../origin/jobs/outbox-relay.js';
import { startProcessors } from '../../origin/jobs/processors.js';
import { outbox } from '../../origin/store/shards/schema-shard.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ processors: false });
});
afterAll(() => h.close());

describe('transactional outbox', () => {
  it('a post committed while the relay and workers are down is fanned out once they return', async () => {
    const ann = await signupMember(h, 'ann_o');
    const bob = await signupMember(h, 'bob_o');
    await befriend(h, ann, bob);
    await h.runtime.relay.stop(); // the relay "crashes"
    const res = await h.call('POST', '/v1/posts', { member: ann, body: { text: 'written during an outage' } });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const pending = await h.runtime.ctx.cluster.router
      .forMember(ann)
      .db.select()
      .from(outbox)
      .where(isNull(outbox.dispatchedAt));
    expect(pending.some((row) => row.payload.itemId === id)).toBe(true);
    // A fresh relay (another process after restart) and workers come up.
    const relay = new OutboxRelay(h.runtime.ctx);
    expect(await relay.drainAll()).toBeGreaterThanOrEqual(1);
    startProcessors(h.runtime.ctx);
    await h.runtime.ctx.queue.idle();
    const home = await h.call('GET', '/v1/streams/home', { member: bob });
    const ids = ((await home.json()) as { entries: { id: string }[] }).entries.map((e) => e.id);
    expect(ids.filter((x) => x === id)).toHaveLength(1);
    expect(await relay.drainAll()).toBe(0);
  });
});
