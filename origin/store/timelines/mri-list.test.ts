import { describe, expect, it } from 'vitest';
import { mriListOf, mriRefs, splitMriList } from './mri-list.js';
import { MRI_KEY_SUFFIX, mriKeyPrefix, timelineKey } from './timeline-store.js';

const owners = (n: number) => Array.from({ length: n }, (_, i) => String(121_661_073_546_821_632n + BigInt(i)));

describe('MRI lists', () => {
  it('expand into one MRI ref per owner, in order', () => {
    expect(mriRefs(mriListOf('t1', ['5', '7']))).toEqual([
      { tenant: 't1', kind: 'mri', owner: '5' },
      { tenant: 't1', kind: 'mri', owner: '7' },
    ]);
    expect(mriRefs(mriListOf('t1', []))).toEqual([]);
  });

  it('split into parts of at most the size asked, every owner once and in order', () => {
    for (const [n, size] of [
      [10, 3],
      [9, 3],
      [1, 1],
      [1_234, 500],
    ] as const) {
      const all = owners(n);
      const parts = splitMriList(mriListOf('t', all), size);
      expect(parts.every((p) => p.count <= size && p.count > 0 && p.tenant === 't')).toBe(true);
      expect(parts.length).toBe(Math.ceil(n / size));
      expect(parts.flatMap((p) => p.owners.split(','))).toEqual(all);
      for (const p of parts) expect(p.owners.split(',')).toHaveLength(p.count);
    }
  });

  it('a list that fits is not split', () => {
    const list = mriListOf('t', owners(5));
    expect(splitMriList(list, 5)).toEqual([list]);
  });

  it('refuse to split a list whose count is more than the ids it holds', () => {
    expect(() => splitMriList({ tenant: 't', owners: '1,2', count: 5 }, 2)).toThrow(/fewer than its count/);
  });

  it('name each MRI by the key timelineKey gives it (the script builds keys from these parts)', () => {
    expect(mriKeyPrefix('tenant-a') + '42' + MRI_KEY_SUFFIX).toBe(
      timelineKey({ tenant: 'tenant-a', kind: 'mri', owner: '42' }),
    );
  });
});
