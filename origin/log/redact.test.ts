import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { parseClusterUrl } from '../store/redis.js';
import { configRedactor, envUrls, fatalReport, redactor, redactUrls, urlPasswords } from './redact.js';

const PW = 'hunter2-Secret';

describe('redactUrls', () => {
  it.each([
    [`postgres://chorus:${PW}@db.internal:5432/chorus`, 'postgres://chorus:***@db.internal:5432/chorus'],
    [`postgresql://chorus:${PW}@db/x?sslmode=require`, 'postgresql://chorus:***@db/x?sslmode=require'],
    [`redis://:${PW}@cache:6379/4`, 'redis://:***@cache:6379/4'],
    [`rediss://default:${PW}@cache:6380`, 'rediss://default:***@cache:6380'],
    [`redis-cluster://u:${PW}@10.0.0.1:6379,10.0.0.2:6379`, 'redis-cluster://u:***@10.0.0.1:6379,10.0.0.2:6379'],
    // A raw @ in the password: everything up to the last @ before the host goes.
    ['redis://u:p@ss@word@cache:6379/1', 'redis://u:***@cache:6379/1'],
    ['postgres://u:p%40ss@db/x', 'postgres://u:***@db/x'],
  ])('%s', (url, redacted) => {
    expect(redactUrls(url)).toBe(redacted);
  });

  it('finds every URL in a text and leaves the rest alone', () => {
    const text = `shard-1 postgres://a:${PW}@h1/x failed, "redis://b:${PW}@h2:6379" too; mail ann@example.org`;
    expect(redactUrls(text)).toBe(
      'shard-1 postgres://a:***@h1/x failed, "redis://b:***@h2:6379" too; mail ann@example.org',
    );
    expect(redactUrls('postgres://chorus@db/x and http://example.org/a@b')).toBe(
      'postgres://chorus@db/x and http://example.org/a@b',
    );
  });
});

describe('urlPasswords and redactor', () => {
  it('collects the passwords of every configured URL, decoded too, and skips short ones', () => {
    const env = {
      DATABASE_URL: `postgres://u:${PW}@dir/x`,
      DATABASE_URLS: `postgres://u:${encodeURIComponent('p@ss/word#1')}@s0/x, postgres://u:short@s1/x`,
      REDIS_URL: 'redis://cache:6379',
    };
    const passwords = urlPasswords(envUrls(env));
    expect(passwords).toEqual(expect.arrayContaining([PW, 'p%40ss%2Fword%231', 'p@ss/word#1']));
    expect(passwords).not.toContain('short');
  });

  it('blanks a configured password wherever it appears, also escaped inside JSON', () => {
    const tricky = 'pa"ss\\word-12';
    const redact = redactor([PW, tricky]);
    expect(redact(`auth failed with ${PW} for user`)).toBe('auth failed with *** for user');
    expect(redact(JSON.stringify({ msg: `password ${tricky}` }))).toBe('{"msg":"password ***"}');
  });

  it('reports a URL parser error without the password Node keeps in it', () => {
    let err: unknown;
    try {
      new URL(`postgres://u:${PW}@host:notaport/db`);
    } catch (e) {
      err = e;
    }
    const report = fatalReport(err, redactor([]));
    expect(report).toContain('ERR_INVALID_URL');
    expect(report).toContain('postgres://u:***@host:notaport/db');
    expect(report).not.toContain(PW);
  });

  it('keeps passwords out of the origin log, whatever field an error puts them in', () => {
    const lines: string[] = [];
    const config = { DATABASE_URL: `postgres://u:${PW}@dir/x`, REDIS_URL: `redis://:${PW}x@cache` };
    const log = pino({ hooks: { streamWrite: configRedactor(config) } }, { write: (l: string) => void lines.push(l) });
    const err = Object.assign(new Error('connect failed'), { options: { password: PW }, url: config.REDIS_URL });
    log.error({ err, dsn: config.DATABASE_URL }, 'cannot connect');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(PW);
    expect(lines[0]).toContain('redis://:***@cache');
  });
});

describe('error messages that name a URL', () => {
  it('a malformed cluster URL', () => {
    expect(() => parseClusterUrl(`redis-cluster://u:${PW}@h:notaport`)).toThrow(/u:\*\*\*@h:notaport/);
    expect(() => parseClusterUrl(`redis://u:${PW}@h`)).toThrow('not a redis-cluster:// URL: redis://u:***@h');
  });

  it('a bad configuration', () => {
    let message = '';
    try {
      loadConfig({
        ORIGIN_SECRET: 'x'.repeat(32),
        DATABASE_URLS: `mysql://u:${PW}@h/a`,
        REDIS_URL: `http://u:${PW}@h`,
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/DATABASE_URLS/);
    expect(message).not.toContain(PW);
  });
});
