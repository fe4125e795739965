// Services of its own for the streams oracle (test/origin/streams-oracle.test.ts): a fresh group of
// Postgres databases (a directory and shards) and a redis-server child on a free port (a Redis
// Cluster of three in the cluster project). Nothing
// is shared with the suites running in parallel: a real FLUSHALL and a SIGKILLed worker disturb
// nobody, and no other suite's outbox relay (relays pick every tenant's records) can take this
// test's fan-out records into a queue on another Redis.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import postgres from 'postgres';
import { isClusterUrl } from '../../../origin/store/redis.js';
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

/** Drops and creates `<base>_<name>` and `<base>_<name>_shard_<i>` on the TEST_DATABASE_URL server. */
export async function freshDatabases(name: string, shards: number): Promise<OracleDatabases> {
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
  return urls;
}

export interface RedisServer {
  url: string;
  /** FLUSHALL on every server (each master of a cluster). */
  flushAll(): Promise<void>;
  /** Keys held, on every server together. */
  keyCount(): Promise<number>;
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A throwaway redis-server (no persistence) on a free loopback port, a child of this process. */
export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-oracle-redis-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, lazyConnect: true });
    client.on('error', () => {});
    const deadline = Date.now() + 5000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        if (client.status !== 'ready') await client.connect();
        await client.ping();
        up = true;
        break;
      } catch {
        await sleep(50);
      }
    }
    if (!up) {
      client.disconnect();
      child.kill('SIGKILL');
      await exited;
      if (attempt < 3) continue; // the port was taken between probing and binding
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`redis-server did not start: ${output.slice(-2000)}`);
    }
    return {
      url: `redis://127.0.0.1:${port}`,
      flushAll: async () => void (await client.flushall()),
      keyCount: () => client.dbsize(),
      async stop() {
        client.disconnect();
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
}
