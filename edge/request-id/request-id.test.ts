import { describe, expect, it } from 'vitest';
import { pickRequestId } from './request-id.js';

describe('request id', () => {
  it('keeps a sane incoming id and mints one otherwise', () => {
    expect(pickRequestId('abc-12345678')).toBe('abc-12345678');
    for (const insane of [
      undefined,
      null,
      '',
      'short',
      'has space in it',
      'x'.repeat(200),
      '<script>alert(1)</script>',
    ]) {
      expect(pickRequestId(insane)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    }
  });
});
