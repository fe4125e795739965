// A member sees their own post on the very next page, however far behind fan-out is: here no
// fan-out job runs here, the author's home timeline is ready (so the read goes through it, not
// through Postgres), and every post is in the next read — in this process and in another one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildTimeline } from '../../origin/streams/timelines.js';
import type { StreamPage } from '../../shared/api.js';
import { befriend, type Harness, signupMember, startHarness } from '../support/origin-harness.js';

let h: Harness;
let other: Harness;
let ann: string;
let bob: string;

beforeAll(async () => {
  h = await startHarness();
  ann = await signupMember(h, 'ann_ryw');
  bob = await signupMember(h, 'bob_ryw');
  await befriend(h, ann, bob);
  await h.settle();
  // From here on nothing is fanned out: the relay and the workers belong to a process we close.
  await h.close();
  h = await startHarness({ tenantId: h.tenantId, processors: false, relay: false });
  other = await startHarness({ tenantId: h.tenantId, processors: false, relay: false });
  for (const owner of [ann, bob]) await rebuildTimeline(h.runtime.ctx, { tenant: h.tenantId, kind: 'mri', owner });
});
afterAll(async () => {
  await other?.close();
  await h?.close();
});

const homeTexts = async (on: Harness, member: string) =>
  ((await (await on.call('GET', '/v1/streams/home?limit=10', { member })).json()) as StreamPage).entries.map(
    (e) => e.text,
  );

describe('read-your-writes', () => {
  it('the author sees each post at the top of the next home page, before any fan-out', async () => {
    for (let i = 0; i < 10; i++) {
      const text = `note to self ${i}`;
      expect((await h.call('POST', '/v1/posts', { member: ann, body: { text } })).status).toBe(201);
      expect((await homeTexts(h, ann))[0]).toBe(text);
    }
    // Read through her timeline, which fan-out has not touched.
    const page = await h.runtime.ctx.timelines.page({ tenant: h.tenantId, kind: 'mri', owner: ann }, null, 10);
    expect(page.state).toBe('ready');
  });

  it('another origin process serving the next page shows it too', async () => {
    const text = 'posted on one process, read on the other';
    expect((await h.call('POST', '/v1/posts', { member: ann, body: { text } })).status).toBe(201);
    // The other process learns of the post over the activity bus (milliseconds).
    await expect.poll(async () => (await homeTexts(other, ann))[0], { timeout: 2000, interval: 10 }).toBe(text);
  });
});
