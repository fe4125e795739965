// Shared setup of the database benchmarks (writes, scatter): a directory and N shard databases
// on the local PostgreSQL, dropped and recreated at every run so runs are comparable, the origin
// runtime on top of them, a tenant, and members inserted in bulk (sign-up is too slow: scrypt).
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import postgres from 'postgres';
import { createRuntime, type Runtime } from '../../origin/adapters.js';
import { ConfigSchema } from '../../origin/config.js';
import type { Database } from '../../origin/store/shards/database.js';
import { ensureTenant } from '../../origin/tenants/tenants.js';
import type { Tenant } from '../../shared/api.js';
import { LOGICAL_SHARDS } from '../../shared/ids.js';

export const BENCH_SHARDS = 8;
/** Base URL of the local server; override with BENCH_DATABASE_URL (any database on the server). */
const BASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabases {
  directory: string;
  shards: string[];
}

export function benchUrl(db: string): string {
  const u = new URL(BASE_URL);
  u.pathname = `/${db}`;
  return u.toString();
}

export function benchDatabaseUrls(prefix = 'chorus_bench', shards = BENCH_SHARDS): BenchDatabases {
  return {
    directory: benchUrl(`${prefix}_dir`),
    shards: Array.from({ length: shards }, (_, i) => benchUrl(`${prefix}_shard_${i}`)),
  };
}

/** Drops and recreates the benchmark databases (migrations run when the runtime opens them). */
export async function recreateDatabases(urls: BenchDatabases): Promise<void> {
  const sql = postgres(benchUrl('postgres'), { max: 1, onnotice: () => {} });
  try {
    for (const url of [urls.directory, ...urls.shards]) {
      const name = new URL(url).pathname.slice(1);
      await sql.unsafe(`drop database if exists "${name}" with (force)`);
      await sql.unsafe(`create database "${name}"`);
    }
  } finally {
    await sql.end();
  }
}

export interface BenchRuntime {
  runtime: Runtime;
  tenant: Tenant;
}

/** The origin runtime over the benchmark databases, with one tenant. No processors, no relay. */
export async function startBenchRuntime(urls: BenchDatabases): Promise<BenchRuntime> {
  const config = ConfigSchema.parse({
    DATABASE_URL: urls.directory,
    DATABASE_URLS: urls.shards.join(','),
    ORIGIN_SECRET: randomBytes(16).toString('hex'),
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
  });
  const runtime = await createRuntime(config, { inMemory: true });
  const tenant = await ensureTenant(runtime.ctx, {
    id: 'bench',
    slug: 'bench',
    name: 'Bench',
    hosts: ['bench.test'],
  });
  return { runtime, tenant };
}

export interface BenchMember {
  id: bigint;
  username: string;
  displayName: string;
}

/**
 * Inserts `count` members straight into their shards (one multi-row INSERT per database and
 * batch), with ids minted by the runtime's generator, spread evenly over the logical shards.
 */
export async function insertMembers(
  runtime: Runtime,
  tenantId: string,
  count: number,
  displayName: (i: number) => string = (i) => `Member ${i}`,
): Promise<BenchMember[]> {
  const { ids, cluster } = runtime.ctx;
  const members: BenchMember[] = [];
  for (let i = 0; i < count; i++) {
    const id = ids.next(i % LOGICAL_SHARDS);
    members.push({ id, username: `m${i}`, displayName: displayName(i) });
  }
  const byDb = new Map<Database, BenchMember[]>();
  for (const m of members) {
    const db = cluster.router.forMember(m.id);
    const list = byDb.get(db);
    if (list) list.push(m);
    else byDb.set(db, [m]);
  }
  const BATCH = 5_000;
  await Promise.all(
    [...byDb].map(async ([db, list]) => {
      for (let at = 0; at < list.length; at += BATCH) {
        const batch = list.slice(at, at + BATCH);
        await db.rows(
          `insert into members (tenant_id, id, username, display_name, password_hash)
           select $1, unnest($2::bigint[]), unnest($3::text[]), unnest($4::text[]), 'x'`,
          [tenantId, batch.map((m) => m.id.toString()), batch.map((m) => m.username), batch.map((m) => m.displayName)],
        );
      }
      await db.rows('analyze members');
    }),
  );
  return members;
}

/** Runs `worker` in `concurrency` loops until `seconds` have passed; returns completed calls. */
export async function runFor(
  seconds: number,
  concurrency: number,
  worker: () => Promise<unknown>,
  label: string,
): Promise<{ ops: number; seconds: number; errors: number }> {
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let ops = 0;
  let errors = 0;
  let firstError: unknown;
  let lastOps = 0;
  const progress = setInterval(() => {
    console.log(`  ${label}: ${ops - lastOps}/s (total ${ops}${errors ? `, errors ${errors}` : ''})`);
    lastOps = ops;
  }, 1000);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        try {
          await worker();
          ops++;
        } catch (err) {
          errors++;
          firstError ??= err;
          if (errors > 1000) throw err;
        }
      }
    }),
  ).finally(() => clearInterval(progress));
  if (firstError) console.log(`  ${label}: first error: ${(firstError as Error).message}`);
  return { ops, seconds: (performance.now() - started) / 1000, errors };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return n;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Runs `fn` under the V8 CPU profiler when BENCH_CPU_PROFILE names a file (a .cpuprofile for
 * Chrome DevTools or speedscope), and under the sampling heap profiler when BENCH_HEAP_PROFILE
 * does (a .heapprofile of every allocation, collected or not: where the garbage comes from):
 * the measured phase only, not the setup.
 */
export async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  const cpuFile = process.env.BENCH_CPU_PROFILE;
  const heapFile = process.env.BENCH_HEAP_PROFILE;
  if (!cpuFile && !heapFile) return fn();
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  if (cpuFile) {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  if (heapFile) {
    await session.post('HeapProfiler.enable');
    // The two include* flags are V8's (Node's typings lack them): count what GC already freed.
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    } as { samplingInterval: number });
  }
  try {
    return await fn();
  } finally {
    if (heapFile) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      await writeFile(heapFile, JSON.stringify(profile));
      console.log(`heap profile of the measured phase: ${heapFile}`);
    }
    if (cpuFile) {
      const { profile } = await session.post('Profiler.stop');
      await writeFile(cpuFile, JSON.stringify(profile));
      console.log(`CPU profile of the measured phase: ${cpuFile}`);
    }
    session.disconnect();
  }
}

/**
 * CPU milliseconds used so far by the local processes with this command name (`postgres`,
 * `redis-server`), from /proc: how a benchmark attributes the machine's CPU to each service.
 * Processes that started during the measurement count whole; null where /proc is unreadable.
 */
export function processCpuMs(command: string): number | null {
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    let total = 0;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      const close = stat.lastIndexOf(')');
      if (stat.slice(stat.indexOf('(') + 1, close) !== command) continue;
      const fields = stat.slice(close + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * tick; // utime + stime
    }
    return total;
  } catch {
    return null;
  }
}
