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

describe('outbox relay: eager dispatch', () => {
  let live: Harness;
  beforeAll(async () => {
    live = await startHarness();
  });
  afterAll(() => live.close());

  const homeIds = async (member: string) =>
    (
      (await (await live.call('GET', '/v1/streams/home', { member })).json()) as { entries: { id: string }[] }
    ).entries.map((e) => e.id);

  it('the writer enqueues its records and marks them dispatched, so no poll relays them again', async () => {
    const ann = await signupMember(live, 'ann_e');
    const bob = await signupMember(live, 'bob_e');
    await befriend(live, ann, bob);
    await live.settle();
    const res = await live.call('POST', '/v1/posts', { member: ann, body: { text: 'handed to the relay' } });
    const { id } = (await res.json()) as { id: string };
    // drainAll waits for the eager enqueue and mark, then relays whatever is still pending.
    expect(await live.runtime.relay.drainAll()).toBe(0);
    const rows = await live.runtime.ctx.cluster.router.forMember(ann).db.select().from(outbox);
    const record = rows.find((row) => row.payload.itemId === id);
    expect(record?.dispatchedAt).toBeInstanceOf(Date);
    await live.settle();
    expect((await homeIds(bob)).filter((x) => x === id)).toHaveLength(1);
  });

  it("another process's poll relays the records of a writer that stopped before enqueueing them", async () => {
    // A second origin process on the same databases whose relay never runs: it commits, then "crashes".
    const writer = await startHarness({ relay: false, processors: false, tenantId: live.tenantId });
    try {
      const ann = await signupMember(live, 'ann_p');
      const bob = await signupMember(live, 'bob_p');
      await befriend(live, ann, bob);
      await live.settle();
      // Bob's home timeline exists (a first read builds it, in a job), so the post reaches it only
      // by fan-out: while it is being built, home reads come from Postgres.
      await homeIds(bob);
      await live.settle();
      expect(await live.runtime.ctx.timelines.state({ tenant: live.tenantId, kind: 'mri', owner: bob })).toBe('ready');
      const res = await writer.call('POST', '/v1/posts', { member: ann, body: { text: 'left in the outbox' } });
      const { id } = (await res.json()) as { id: string };
      // No drainAll: the running relay's poll picks the record up once it is older than its grace,
      // enqueues it and marks it (the fan-out may land before the mark commits).
      const dispatchedAt = async () =>
        (await live.runtime.ctx.cluster.router.forMember(ann).db.select().from(outbox)).find(
          (row) => row.payload.itemId === id,
        )?.dispatchedAt;
      const deadline = Date.now() + 15_000;
      while ((!(await homeIds(bob)).includes(id) || !(await dispatchedAt())) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 200));
      expect((await homeIds(bob)).filter((x) => x === id)).toHaveLength(1);
      expect(await dispatchedAt()).toBeInstanceOf(Date);
    } finally {
      await writer.close();
    }
  });

  it('records whose enqueue failed stay in the outbox and are relayed later', async () => {
    const ann = await signupMember(live, 'ann_f');
    const bob = await signupMember(live, 'bob_f');
    await befriend(live, ann, bob);
    await live.settle();
    const queue = live.runtime.ctx.queue;
    const addBulk = queue.addBulk.bind(queue);
    let failed = 0;
    queue.addBulk = async (jobs) => {
      if (failed === 0 && jobs.some((j) => j.name === 'fanout')) {
        failed++;
        throw new Error('queue unavailable');
      }
      return addBulk(jobs);
    };
    try {
      const res = await live.call('POST', '/v1/posts', { member: ann, body: { text: 'queue was down' } });
      const { id } = (await res.json()) as { id: string };
      // The eager enqueue fails; the record is still pending, and the relay's pick takes it.
      expect(await live.runtime.relay.drainAll()).toBe(1);
      expect(failed).toBe(1);
      await live.settle();
      expect((await homeIds(bob)).filter((x) => x === id)).toHaveLength(1);
    } finally {
      queue.addBulk = addBulk;
    }
  });
});
