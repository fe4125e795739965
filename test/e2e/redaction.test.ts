// A password in DATABASE_URL or REDIS_URL never reaches the origin's output, however the
// connection fails: a malformed URL (Node's URL error keeps the whole URL), a malformed cluster
// URL, a database or a Redis that does not answer. Each origin process must fail, say why, and
// leave the password out.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, spawnGroup } from '../support/origin-process.js';
import { testDatabaseUrls } from '../support/services.js';

const PASSWORD = 'Redact-Me-4242';
const databases = testDatabaseUrls();

// The cases that fail on Redis start on the test databases (or embedded PGlite when none).
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const services = (): Record<string, string> => {
  if (databases) {
    return { DATABASE_URL: databases.directory, DATABASE_URLS: databases.shards.join(','), DATABASE_POOL_SIZE: '1' };
  }
  dirs.push(mkdtempSync(join(tmpdir(), 'chorus-redaction-')));
  return { DATA_DIR: join(dirs.at(-1)!, 'data') };
};

const CASES: { name: string; env: () => Record<string, string>; says: RegExp }[] = [
  {
    name: 'a malformed database URL',
    env: () => ({ DATABASE_URL: `postgres://chorus:${PASSWORD}@db.invalid:notaport/chorus` }),
    says: /ERR_INVALID_URL[\s\S]*postgres:\/\/chorus:\*\*\*@db\.invalid/,
  },
  {
    name: 'a malformed Redis Cluster URL',
    env: () => ({ ...services(), REDIS_URL: `redis-cluster://chorus:${PASSWORD}@10.0.0.1:notaport` }),
    says: /bad cluster node "10\.0\.0\.1:notaport" in redis-cluster:\/\/chorus:\*\*\*@/,
  },
  {
    name: 'a database that does not answer',
    env: () => ({ DATABASE_URL: `postgres://chorus:${PASSWORD}@127.0.0.1:1/chorus` }),
    says: /ECONNREFUSED/,
  },
  {
    name: 'a Redis that does not answer',
    env: () => ({ ...services(), REDIS_URL: `redis://chorus:${PASSWORD}@127.0.0.1:1/4` }),
    says: /ECONNREFUSED|MaxRetriesPerRequest/,
  },
];

describe('passwords in connection URLs', () => {
  it.concurrent.each(CASES)('$name: the origin fails without printing it', async ({ env, says }) => {
    const origin = spawnGroup(
      process.execPath,
      ['--import', 'tsx', 'origin/main.ts'],
      childEnv({
        ORIGIN_SECRET: 'redaction-test-secret-0123456789',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'debug',
        ...env(),
      }),
    );
    try {
      const exit = await Promise.race([origin.exited, new Promise((r) => setTimeout(() => r(null), 30_000))]);
      expect(exit, origin.output()).toMatchObject({ code: 1 });
      expect(origin.output()).toMatch(says);
      expect(origin.output()).not.toContain(PASSWORD);
      expect(origin.output()).not.toContain(encodeURIComponent(PASSWORD));
    } finally {
      origin.killGroup();
    }
  });
});
