import { describe, expect, it } from 'vitest';
import { composeId, ID_EPOCH_MS, timeOfId } from '../../shared/ids.js';
import { timelineAdapters, uniqueTenant } from './adapters.js';

const MAX = 50;
const id = (ms: number, seq = 0) => composeId(ID_EPOCH_MS + ms, 7, 1, seq).toString();

describe.each(timelineAdapters(MAX))('timeline store contract: $name', (adapter) => {
  it('pages newest first with a strict "older than" cursor, including ids in the same millisecond', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '42' };
    const ids = [id(1000), id(1000, 1), id(1000, 2), id(2000), id(3000)];
    await store.add(ids.map((itemId) => ({ timeline: ref, itemId, ms: timeOfId(itemId) })));
    expect(await store.page(ref, null, 10)).toEqual([...ids].reverse());
    expect(await store.page(ref, null, 2)).toEqual([id(3000), id(2000)]);
    expect(await store.page(ref, BigInt(id(1000, 2)), 10)).toEqual([id(1000, 1), id(1000)]);
    expect(await store.page(ref, BigInt(id(1000)), 10)).toEqual([]);
    await store.close();
  });

  it('adding the same entry twice keeps one copy (fan-out retries are harmless)', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'ori' as const, owner: '7' };
    const write = { timeline: ref, itemId: id(5), ms: timeOfId(id(5)) };
    await store.add([write, write]);
    await store.add([write]);
    expect(await store.page(ref, null, 10)).toEqual([id(5)]);
    await store.close();
  });

  it('trims to the configured length, dropping the oldest', async () => {
    const store = await adapter.open();
    const ref = { tenant: uniqueTenant(), kind: 'public' as const, owner: '' };
    const ids = Array.from({ length: MAX + 10 }, (_, i) => id(10_000 + i));
    await store.add(ids.map((itemId) => ({ timeline: ref, itemId, ms: timeOfId(itemId) })));
    const kept = await store.page(ref, null, 1000);
    expect(kept.length).toBe(MAX);
    expect(kept[0]).toBe(ids[ids.length - 1]);
    expect(kept).not.toContain(ids[0]);
    await store.close();
  });

  it('removes entries, reports existence, and keeps tenants apart', async () => {
    const store = await adapter.open();
    const a = { tenant: uniqueTenant(), kind: 'mri' as const, owner: '1' };
    const b = { ...a, tenant: uniqueTenant() };
    expect(await store.exists(a)).toBe(false);
    await store.add([{ timeline: a, itemId: id(1), ms: timeOfId(id(1)) }]);
    expect(await store.exists(a)).toBe(true);
    expect(await store.exists(b)).toBe(false);
    expect(await store.page(b, null, 10)).toEqual([]);
    await store.remove(a, [id(1)]);
    expect(await store.page(a, null, 10)).toEqual([]);
    await store.close();
  });
});
