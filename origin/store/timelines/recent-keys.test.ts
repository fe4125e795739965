import { describe, expect, it } from 'vitest';
import { RecentKeys } from './recent-keys.js';

describe('RecentKeys', () => {
  it('returns what was set, and nothing for keys never set', () => {
    const keys = new RecentKeys<string>(3);
    keys.set('a', 'A');
    expect(keys.get('a')).toBe('A');
    expect(keys.get('b')).toBeUndefined();
  });

  it('keeps a key used since the last turnover and forgets one unused for two', () => {
    const keys = new RecentKeys<number>(2);
    keys.set('kept', 1);
    keys.set('dropped', 2);
    keys.set('x', 3); // turnover: kept and dropped are old now
    expect(keys.get('kept')).toBe(1); // used again: young again
    keys.set('y', 4); // turnover: x and kept are old, dropped is gone
    expect(keys.get('dropped')).toBeUndefined();
    expect(keys.get('kept')).toBe(1);
    expect(keys.get('x')).toBe(3);
  });

  it('never holds more than twice its size, however many keys pass through', () => {
    const keys = new RecentKeys<number>(100);
    for (let i = 0; i < 10_000; i++) keys.set(`k${i}`, i);
    expect(keys.size).toBeLessThanOrEqual(200);
    expect(keys.get('k9999')).toBe(9999);
    expect(keys.get('k0')).toBeUndefined();
  });

  it('setting a held key again does not turn the generations over', () => {
    const keys = new RecentKeys<number>(2);
    keys.set('a', 1);
    keys.set('b', 2);
    keys.set('b', 3);
    keys.set('a', 4);
    expect(keys.size).toBe(2);
    expect(keys.get('a')).toBe(4);
    expect(keys.get('b')).toBe(3);
  });

  it('refuses a size below one', () => {
    expect(() => new RecentKeys(0)).toThrow(/at least one/);
  });
});
