import { describe, expect, it } from 'vitest';
import { composeId } from '../../shared/ids.js';
import { ActivityFilter } from './activity-filter.js';

const T0 = Date.UTC(2026, 10, 1, 12, 0);
const member = (n: number) => composeId(T0 - 86_400_000 + n, n % 1024, n % 64, 0);

describe('activity filter', () => {
  it('answers which originators published after a time, never missing one that did', () => {
    const filter = new ActivityFilter(10_000);
    const ids = Array.from({ length: 10_000 }, (_, i) => member(i));
    for (const [i, id] of ids.entries()) filter.record(id, T0 + i * 1000);
    const since = T0 + 5_000_000;
    const active = new Set(filter.activeSince(ids, since));
    ids.forEach((id, i) => {
      if (T0 + i * 1000 > since) expect(active.has(id)).toBe(true);
    });
    // Minute resolution: only ids within the same minute as the cut may slip in.
    for (const id of active) {
      const i = ids.indexOf(id);
      expect(T0 + i * 1000).toBeGreaterThan(since - 60_000);
    }
  });

  it('keeps the latest activity and knows who was never seen', () => {
    const filter = new ActivityFilter(100);
    filter.record(member(1), T0 + 120_000);
    filter.record(member(1), T0); // an older event arriving late changes nothing
    expect(filter.lastActive(member(1))).toBeGreaterThanOrEqual(T0 + 120_000);
    expect(filter.lastActive(member(1))).toBeLessThan(T0 + 180_000);
    expect(filter.lastActive(member(2))).toBeNull();
    expect(filter.activeSince([member(2)], 0)).toEqual([]);
    expect(filter.size).toBe(1);
  });

  it('costs 10 bytes or less per member', () => {
    const filter = new ActivityFilter(1_000_000);
    expect(filter.bytes / 1_000_000).toBeLessThanOrEqual(10);
  });
});
