import { describe, expect, it } from 'vitest';
import { normalizeHost } from './tenant-lookup.js';

describe('normalizeHost', () => {
  it('lowercases and drops the port and trailing dot', () => {
    expect(normalizeHost('Demo.Chorus.Localhost:8787')).toBe('demo.chorus.localhost');
    expect(normalizeHost('example.com.')).toBe('example.com');
  });

  it('refuses anything that is not a hostname, so it never reaches the origin', () => {
    for (const bad of ['', 'a b', 'x/../y', '-bad.com', `${'a'.repeat(64)}.com`, 'ex ample.com', 'ä.com']) {
      expect(normalizeHost(bad)).toBeNull();
    }
  });
});
