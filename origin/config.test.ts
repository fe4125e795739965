import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('origin configuration', () => {
  it('starts on embedded defaults with only a secret', () => {
    const config = loadConfig({ ORIGIN_SECRET: 'x'.repeat(32) });
    expect(config.PORT).toBe(8788);
    expect(config.DATABASE_URLS).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.DEMO_SEED).toBe(false); // never by default, least of all against configured databases
  });

  it('names every bad variable in one message', () => {
    let message = '';
    try {
      loadConfig({ ORIGIN_SECRET: 'short', PORT: 'eighty', REDIS_URL: 'localhost:6379' });
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['ORIGIN_SECRET', 'PORT', 'REDIS_URL']) expect(message).toContain(`${name}:`);
  });

  it('splits DATABASE_URLS and uses DATABASE_URL alone as the only shard', () => {
    const many = loadConfig({
      ORIGIN_SECRET: 'x'.repeat(32),
      DATABASE_URLS: 'postgres://h/a, postgres://h/b',
    });
    expect(many.DATABASE_URLS).toEqual(['postgres://h/a', 'postgres://h/b']);
    const one = loadConfig({ ORIGIN_SECRET: 'x'.repeat(32), DATABASE_URL: 'postgres://h/dir' });
    expect(one.DATABASE_URLS).toEqual(['postgres://h/dir']);
    expect(() => loadConfig({ ORIGIN_SECRET: 'x'.repeat(32), DATABASE_URLS: 'mysql://h/a' })).toThrow(/postgres/);
  });
});
