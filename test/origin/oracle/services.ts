// Services of its own for the streams oracle (test/origin/streams-oracle.test.ts): a fresh group of
// Postgres databases (a directory and shards) and a redis-server child on a free port (a Redis
// Cluster of three in the cluster project). Nothing
// is shared with the suites running in parallel: a real FLUSHALL and a SIGKILLed worker disturb
// nobody, and no other suite's outbox relay (relays pick every tenant's records) can take this
// test's fan-out records into a queue on another Redis.
import { spawnSync } from 'node:child_process';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { isClusterUrl } from '../../../origin/store/redis.js';
import type { PrivatePostgres } from '../../support/private-postgres.js';
import { startPrivateRedis } from '../../support/private-redis.js';
import { startRedisCluster } from '../../support/redis-cluster.js';

export interface OracleDatabases {
  directory: string;
  shards: string[];
}

/** Whether this machine can run the oracle: real PostgreSQL configured and redis-server installed. */
export function oracleServicesAvailable(): { ok: boolean; why: string } {
  if (!process.env.TEST_DATABASE_URL) return { ok: false, why: 'TEST_DATABASE_URL is not set' };
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { ok: false, why: 'redis-server is not installed' };
  return { ok: true, why: '' };
}

/**
 * Drops and creates `<base>_<name>` and `<base>_<name>_shard_<i>` on the TEST_DATABASE_URL server;
 * with `elsewhere`, shard `index` is created on that server instead (one the test can stop).
 */
export async function freshDatabases(
  name: string,
  shards: number,
  elsewhere?: { index: number; server: PrivatePostgres },
): Promise<OracleDatabases> {
  const base = new URL(process.env.TEST_DATABASE_URL!);
  const baseName = base.pathname.replace(/^\//, '') || 'chorus_test';
  const withDb = (db: string) => {
    const u = new URL(base);
    u.pathname = `/${db}`;
    return u.toString();
  };
  const urls: OracleDatabases = {
    directory: withDb(`${baseName}_${name}`),
    shards: Array.from({ length: shards }, (_, i) => withDb(`${baseName}_${name}_shard_${i}`)),
  };
  const sql = postgres(withDb('postgres'), { max: 1, onnotice: () => {} });
  try {
    for (const url of [urls.directory, ...urls.shards]) {
      const db = new URL(url).pathname.slice(1);
      await sql.unsafe(`drop database if exists "${db}" with (force)`);
      await sql.unsafe(`create database "${db}"`);
    }
  } finally {
    await sql.end();
  }
  if (elsewhere)
    urls.shards[elsewhere.index] = await elsewhere.server.createDatabase(
      `${baseName}_${name}_shard_${elsewhere.index}`,
    );
  return urls;
}

export interface RedisServer {
  url: string;
  /** FLUSHALL on every server (each master of a cluster). */
  flushAll(): Promise<void>;
  /** Keys held, on every server together. */
  keyCount(): Promise<number>;
  /** A single redis-server only: the process exits (everything in it is lost)... */
  halt?(): Promise<void>;
  /** ...and starts again, empty, on the same port. */
  resume?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The oracle's Redis: a redis-server of its own, or, in the cluster project (TEST_REDIS_URL names
 * a Redis Cluster), a Redis Cluster of three masters of its own.
 */
export async function startOracleRedis(): Promise<RedisServer> {
  const url = process.env.TEST_REDIS_URL;
  if (!url || !isClusterUrl(url)) return startRedisServer();
  const cluster = await startRedisCluster();
  const clients = cluster.ports.map((port) => {
    const c = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
    c.on('error', () => {});
    return c;
  });
  return {
    url: cluster.url,
    async flushAll() {
      await Promise.all(clients.map((c) => c.flushall()));
    },
    async keyCount() {
      return (await Promise.all(clients.map((c) => c.dbsize()))).reduce((a, b) => a + b, 0);
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await cluster.stop();
    },
  };
}

/** A throwaway redis-server (no persistence) on a free loopback port, a child of this process. */
export async function startRedisServer(): Promise<RedisServer> {
  const server = await startPrivateRedis();
  const client = new Redis({ host: '127.0.0.1', port: server.port, maxRetriesPerRequest: 1 });
  client.on('error', () => {});
  return {
    url: server.url,
    flushAll: async () => void (await client.flushall()),
    keyCount: () => client.dbsize(),
    halt: () => server.stop(),
    resume: () => server.start(),
    async stop() {
      client.disconnect();
      await server.close();
    },
  };
}
