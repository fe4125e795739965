import { describe, expect, it } from 'vitest';
import type { TimelineRef, TimelineStore } from '../../origin/store/timelines/timeline-store.js';
import { composeId, ID_EPOCH_MS, timeOfId } from '../../shared/ids.js';
import { timelineAdapters, uniqueTenant } from './adapters.js';

const MAX = 50;
const id = (ms: number, seq = 0) => composeId(ID_EPOCH_MS + ms, 7, 1, seq).toString();
const status = (itemId: string) => ({ id: itemId, type: 'status' as const });
const write = (timeline: TimelineRef, itemId: string, type: 'status' | 'photo' = 'status') => ({
  timeline,
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
    expect(await store.page(ref, null, 10)).toEqual([...ids].reverse().map(status));
    expect(await store.page(ref, null, 2)).toEqual([id(3000), id(2000)].map(status));
    expect(await store.page(ref, BigInt(id(1000, 2)), 10)).toEqual([id(1000, 1), id(1000)].map(status));
    expect(await store.page(ref, BigInt(id(1000)), 10)).toEqual([]);
    // A window: nothing from before the given millisecond.
    expect(await store.page(ref, null, 10, ID_EPOCH_MS + 2000)).toEqual([id(3000), id(2000)].map(status));
    expect(await store.page(ref, BigInt(id(3000)), 10, ID_EPOCH_MS + 1000)).toEqual(
      [id(2000), id(1000, 2), id(1000, 1), id(1000)].map(status),
    );
    await store.close();
  });

  it('keeps each entry with its event type', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'ori' as const, owner: '9' };
    await ready(store, ref);
    await store.add([write(ref, id(10), 'photo'), write(ref, id(20), 'status')]);
    expect(await store.page(ref, null, 10)).toEqual([
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
    expect(await store.page(ref, null, 10)).toEqual([status(id(5))]);
    await store.close();
  });

  it('trims to the configured length, dropping the oldest', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'public' as const, owner: '' };
    await ready(store, ref);
    const ids = Array.from({ length: MAX + 10 }, (_, i) => id(10_000 + i));
    await store.add(ids.map((i) => write(ref, i)));
    const kept = await store.page(ref, null, 1000);
    expect(kept.length).toBe(MAX);
    expect(kept[0]).toEqual(status(ids[ids.length - 1]!));
    expect(kept.map((e) => e.id)).not.toContain(ids[0]);
    expect(await store.state(ref)).toBe('ready');
    await store.close();
  });

  it('skips timelines that do not exist: fan-out never half-creates one', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '1' };
    expect(await store.state(ref)).toBe('missing');
    expect(await store.add([write(ref, id(1))])).toBe(0);
    expect(await store.state(ref)).toBe('missing');
    expect(await store.page(ref, null, 10)).toEqual([]);
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
    expect((await store.page(ref, null, 10)).map((e) => e.id)).toEqual([id(300), id(100)]);
    await store.close();
  });

  it('removes entries and keeps tenants apart', async () => {
    const store = await adapter.open();
    const a = { tenant: uniqueTenant(), kind: 'tag' as const, owner: 'cats' };
    const b = { ...a, tenant: uniqueTenant() };
    await ready(store, a);
    await store.add([write(a, id(1)), write(b, id(1))]);
    expect(await store.state(b)).toBe('missing');
    expect(await store.page(b, null, 10)).toEqual([]);
    await store.remove(a, [status(id(1))]);
    expect(await store.page(a, null, 10)).toEqual([]);
    expect(await store.state(a)).toBe('ready');
    await store.clear(a);
    expect(await store.state(a)).toBe('missing');
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
