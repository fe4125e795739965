import { describe, expect, it } from 'vitest';
import { mriListOf } from '../../origin/store/timelines/mri-list.js';
import type { TimelineRef, TimelineStore } from '../../origin/store/timelines/timeline-store.js';
import { composeId, ID_EPOCH_MS, timeOfId } from '../../shared/ids.js';
import { timelineAdapters, uniqueTenant } from './adapters.js';

const MAX = 50;
const id = (ms: number, seq = 0) => composeId(ID_EPOCH_MS + ms, 7, 1, seq).toString();
const status = (itemId: string) => ({ id: itemId, type: 'status' as const });
const write = (timeline: TimelineRef, itemId: string, type: 'status' | 'photo' = 'status') => ({
  timelines: [timeline],
  entry: { id: itemId, type },
  ms: timeOfId(itemId),
});

async function ready(store: TimelineStore, ref: TimelineRef) {
  await store.beginRebuild(ref);
  await store.completeRebuild(ref, []);
}

describe.each(timelineAdapters(MAX))('timeline store contract: $name', (adapter) => {
  it('pages newest first with a strict "older than" cursor, including ids in the same millisecond', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '42' };
    await ready(store, ref);
    const ids = [id(1000), id(1000, 1), id(1000, 2), id(2000), id(3000)];
    await store.add(ids.map((i) => write(ref, i)));
    expect((await store.page(ref, null, 10)).entries).toEqual([...ids].reverse().map(status));
    expect((await store.page(ref, null, 2)).entries).toEqual([id(3000), id(2000)].map(status));
    expect((await store.page(ref, BigInt(id(1000, 2)), 10)).entries).toEqual([id(1000, 1), id(1000)].map(status));
    expect((await store.page(ref, BigInt(id(1000)), 10)).entries).toEqual([]);
    // A window: nothing from before the given millisecond.
    expect((await store.page(ref, null, 10, ID_EPOCH_MS + 2000)).entries).toEqual([id(3000), id(2000)].map(status));
    expect((await store.page(ref, BigInt(id(3000)), 10, ID_EPOCH_MS + 1000)).entries).toEqual(
      [id(2000), id(1000, 2), id(1000, 1), id(1000)].map(status),
    );
    await store.close();
  });

  it('keeps each entry with its event type', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'ori' as const, owner: '9' };
    await ready(store, ref);
    await store.add([write(ref, id(10), 'photo'), write(ref, id(20), 'status')]);
    expect((await store.page(ref, null, 10)).entries).toEqual([
      { id: id(20), type: 'status' },
      { id: id(10), type: 'photo' },
    ]);
    await store.close();
  });

  it('adding the same entry twice keeps one copy (fan-out retries are harmless)', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'ori' as const, owner: '7' };
    await ready(store, ref);
    await store.add([write(ref, id(5)), write(ref, id(5))]);
    await store.add([write(ref, id(5))]);
    expect((await store.page(ref, null, 10)).entries).toEqual([status(id(5))]);
    await store.close();
  });

  it('trims to the configured length, dropping the oldest', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'public' as const, owner: '' };
    await ready(store, ref);
    const ids = Array.from({ length: 3 * MAX }, (_, i) => id(10_000 + i));
    await store.add(ids.map((i) => write(ref, i)));
    const { entries: kept, truncatedAtMs } = await store.page(ref, null, 1000);
    // At least the newest MAX, newest first; at most a segment's worth more until the next trim.
    expect(kept.length).toBeGreaterThanOrEqual(MAX);
    expect(kept.length).toBeLessThanOrEqual(2 * MAX);
    expect(kept.map((e) => e.id)).toEqual([...ids].reverse().slice(0, kept.length));
    expect(kept.map((e) => e.id)).not.toContain(ids[0]);
    // The floor: nothing newer than its millisecond is missing (readers continue in Postgres
    // from there), and nothing older is returned.
    expect(truncatedAtMs).not.toBeNull();
    expect(truncatedAtMs!).toBeLessThanOrEqual(timeOfId(kept.at(-1)!.id));
    const above = (list: string[]) => list.filter((i) => timeOfId(i) > truncatedAtMs!);
    expect(above(kept.map((e) => e.id))).toEqual(above([...ids].reverse()));
    expect(await store.state(ref)).toBe('ready');
    await store.close();
  });

  it('skips timelines that do not exist: fan-out never half-creates one', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '1' };
    expect(await store.state(ref)).toBe('missing');
    expect(await store.add([write(ref, id(1))])).toBe(0);
    expect(await store.state(ref)).toBe('missing');
    expect((await store.page(ref, null, 10)).entries).toEqual([]);
    await store.close();
  });

  it('MRIs named by a list of owners get the entry, except those that do not exist, and the count says so', async () => {
    const store = await adapter.open();
    const tenant = uniqueTenant();
    const mri = (owner: string) => ({ tenant, kind: 'mri' as const, owner });
    const ori = { tenant, kind: 'ori' as const, owner: '10' };
    for (const ref of [ori, mri('11'), mri('12'), mri('14')]) await ready(store, ref);
    const entry = status(id(500));
    const mris = mriListOf(tenant, ['11', '12', '13', '14']);
    // The ORI and three existing MRIs; 13 has no timeline.
    expect(await store.add([{ entry, ms: timeOfId(entry.id), timelines: [ori], mris }])).toBe(4);
    for (const owner of ['11', '12', '14']) expect((await store.page(mri(owner), null, 10)).entries).toEqual([entry]);
    expect(await store.state(mri('13'))).toBe('missing');
    // A retried job: still one copy.
    await store.add([{ entry, ms: timeOfId(entry.id), timelines: [], mris }]);
    expect((await store.page(mri('12'), null, 10)).entries).toEqual([entry]);
    // Another tenant's MRI of the same owner is not touched.
    const other = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '11' };
    await ready(store, other);
    await store.add([{ entry: status(id(600)), ms: timeOfId(id(600)), timelines: [], mris }]);
    expect((await store.page(other, null, 10)).entries).toEqual([]);
    await store.close();
  });

  it('a list of more MRIs than one call takes lands in each of them', async () => {
    const store = await adapter.open();
    const tenant = uniqueTenant();
    const owners = Array.from({ length: 1_234 }, (_, i) => String(1_000_000 + i));
    for (const owner of owners) await ready(store, { tenant, kind: 'mri', owner });
    const entries = [status(id(700)), status(id(800))];
    const mris = mriListOf(tenant, owners);
    const landed = await store.add(entries.map((entry) => ({ entry, ms: timeOfId(entry.id), timelines: [], mris })));
    expect(landed).toBe(2 * owners.length);
    for (const owner of [owners[0]!, owners[499]!, owners[500]!, owners[1_233]!])
      expect((await store.page({ tenant, kind: 'mri', owner }, null, 10)).entries).toEqual([...entries].reverse());
    await store.close();
  });

  it('lands writes made during a rebuild, then marks the timeline ready', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '2' };
    await store.beginRebuild(ref);
    expect(await store.state(ref)).toBe('building');
    expect(await store.add([write(ref, id(300))])).toBe(1);
    await store.completeRebuild(ref, [{ entry: status(id(100)), ms: timeOfId(id(100)) }]);
    expect(await store.state(ref)).toBe('ready');
    expect((await store.page(ref, null, 10)).entries.map((e) => e.id)).toEqual([id(300), id(100)]);
    await store.close();
  });

  it('removes entries and keeps tenants apart', async () => {
    const store = await adapter.open();
    const a = { tenant: uniqueTenant(), kind: 'tag' as const, owner: 'cats' };
    const b = { ...a, tenant: uniqueTenant() };
    await ready(store, a);
    await store.add([write(a, id(1)), write(b, id(1))]);
    expect(await store.state(b)).toBe('missing');
    expect((await store.page(b, null, 10)).entries).toEqual([]);
    await store.remove([a, b], [status(id(1))]);
    expect((await store.page(a, null, 10)).entries).toEqual([]);
    expect(await store.state(a)).toBe('ready');
    await store.clear(a);
    expect(await store.state(a)).toBe('missing');
    await store.close();
  });
  it('a rebuild after a clear holds only what the rebuild loaded and what landed meanwhile', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'ori' as const, owner: '78' };
    await ready(store, ref);
    await store.add(Array.from({ length: 3 * MAX }, (_, i) => write(ref, id(50_000 + i))));
    await store.clear(ref);
    expect(await store.state(ref)).toBe('missing');
    await store.beginRebuild(ref);
    // More than a segment lands while the rebuild loads.
    const landed = Array.from({ length: MAX + 5 }, (_, i) => id(90_000 + i));
    for (const itemId of landed) await store.add([write(ref, itemId)]);
    const loaded = Array.from({ length: 10 }, (_, i) => id(10_000 + i));
    await store.completeRebuild(
      ref,
      loaded.map((itemId) => ({ entry: status(itemId), ms: timeOfId(itemId) })),
    );
    expect(await store.state(ref)).toBe('ready');
    const all = (await store.page(ref, null, 1000)).entries;
    // The newest MAX of (landed + loaded), newest first.
    expect(all.map((e) => e.id)).toEqual(
      [...landed]
        .reverse()
        .concat([...loaded].reverse())
        .slice(0, MAX),
    );
    await store.close();
  });
});

// Long enough for several sealed segments of the Redis layout (100 entries each) and late
// entries that belong to an older one.
const LONG = 300;
describe.each(timelineAdapters(LONG))('long timelines: $name', (adapter) => {
  it('long timelines: random order, retries, late entries and removals keep every newest entry, in order', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '77' };
    await ready(store, ref);
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const alive = new Set<string>();
    const added: string[] = [];
    for (let round = 0; round < 1500; round++) {
      const roll = random();
      let itemId: string;
      if (roll < 0.1 && added.length > 0)
        itemId = added[Math.floor(random() * added.length)]!; // a retry
      // Late: older than the newest, within the last 200 rounds (inside the kept window, often
      // older than the newest sealed segment).
      else if (roll < 0.25) itemId = id(200_005 + Math.max(0, round - 1 - Math.floor(random() * 200)) * 10, round % 64);
      else itemId = id(200_000 + round * 10, round % 64); // the newest so far
      if (roll > 0.95 && added.length > 0) {
        const gone = added[Math.floor(random() * added.length)]!;
        await store.remove([ref], [status(gone)]);
        alive.delete(gone);
        continue;
      }
      await store.add([write(ref, itemId)]);
      added.push(itemId);
      alive.add(itemId);
    }
    // Page through with a small page size, as a reader scrolls.
    const seen: string[] = [];
    let cursor: bigint | null = null;
    for (;;) {
      const { entries: page } = await store.page(ref, cursor, 7);
      if (page.length === 0) break;
      seen.push(...page.map((e) => e.id));
      cursor = BigInt(page[page.length - 1]!.id);
    }
    const newestFirst = [...alive].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1));
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)));
    for (const e of seen) expect(alive.has(e)).toBe(true);
    // The newest LONG are always there; at most one segment's worth more waits for the next trim.
    expect(seen.slice(0, LONG)).toEqual(newestFirst.slice(0, LONG));
    expect(seen.length).toBeLessThanOrEqual(2 * LONG);
    await store.close();
  });

  it('a page from any cursor holds as many entries as asked while older ones remain, though a retried job landed them all twice', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '78' };
    await ready(store, ref);
    const ids = Array.from({ length: 250 }, (_, n) => id(300_000 + n * 10));
    for (const i of ids) await store.add([write(ref, i)]);
    for (const i of ids) await store.add([write(ref, i)]); // the whole job again, after a crash
    const newestFirst = [...ids].reverse();
    // Readers take a short page for the end of the timeline, so from every cursor the next 3.
    for (let at = 0; at < newestFirst.length; at++) {
      const { entries } = await store.page(ref, BigInt(newestFirst[at]!), 3);
      expect(entries.map((e) => e.id)).toEqual(newestFirst.slice(at + 1, at + 4));
    }
    await store.close();
  });
});

describe.each(timelineAdapters(MAX, 300))('timeline expiry for idle readers: $name', (adapter) => {
  it('drops a timeline nobody read within the idle time; reading renews it', async () => {
    const store = await adapter.open();
    const read = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '3' };
    const idle = { ...read, owner: '4' };
    await ready(store, read);
    await ready(store, idle);
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.state(read)).toBe('ready'); // renews
    await new Promise((r) => setTimeout(r, 200));
    expect(await store.state(idle)).toBe('missing');
    expect(await store.add([write(idle, id(1))])).toBe(0);
    expect(await store.state(read)).toBe('ready');
    await store.close();
  });
});
