// The origin under test, in the test's process: API and outbox relay only, no job workers (those
// run in separate processes, test/origin/oracle/fanout-worker.ts), on the oracle's own databases
// and Redis. Requests are signed as the edge signs them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRuntime, type Runtime } from '../../../origin/adapters.js';
import { createApp } from '../../../origin/app.js';
import { ConfigSchema } from '../../../origin/config.js';
import { ensureTenant } from '../../../origin/tenants/tenants.js';
import { signedHeaders } from '../../../shared/signing.js';
import type { OracleDatabases } from './services.js';

const SECRET = 'oracle-origin-secret-0123456789';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./fanout-worker.ts', import.meta.url));

export interface OracleOrigin {
  runtime: Runtime;
  tenantId: string;
  call(method: string, path: string, opts?: { member?: string; body?: unknown }): Promise<Response>;
  /** Relays the outbox and waits until no job is waiting, delayed or running (in any worker process). */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface OriginSettings {
  databases: OracleDatabases;
  redisUrl: string;
  queueNamespace: string;
  tenantId: string;
  celebrityLimit: number;
  /** TIMELINE_MAX_LENGTH, when not the default. */
  timelineMaxLength?: number;
  fanoutBatch: number;
  /** More configuration (env names, as strings). */
  env?: Record<string, string>;
}

export async function startOrigin(s: OriginSettings): Promise<OracleOrigin> {
  const config = ConfigSchema.parse({
    ORIGIN_SECRET: SECRET,
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    DATABASE_URL: s.databases.directory,
    DATABASE_URLS: s.databases.shards.join(','),
    REDIS_URL: s.redisUrl,
    FANOUT_BATCH: String(s.fanoutBatch),
    ...(s.timelineMaxLength ? { TIMELINE_MAX_LENGTH: String(s.timelineMaxLength) } : {}),
    // The test server is shared with the other suites: few connections per database.
    DATABASE_POOL_SIZE: '3',
    ...s.env,
  });
  const runtime = await createRuntime(config, { inMemory: true, queueNamespace: s.queueNamespace });
  await ensureTenant(runtime.ctx, {
    id: s.tenantId,
    slug: s.tenantId,
    name: `Oracle ${s.tenantId}`,
    hosts: [`${s.tenantId}.test`],
    celebrityLimit: s.celebrityLimit,
  });
  runtime.relay.start();
  const app = createApp(runtime.ctx);
  return {
    runtime,
    tenantId: s.tenantId,
    async call(method, path, o = {}) {
      const body = o.body === undefined ? '' : JSON.stringify(o.body);
      const headers = await signedHeaders(SECRET, {
        method,
        pathWithQuery: path,
        body,
        tenant: s.tenantId,
        member: o.member ?? '',
        requestId: randomUUID(),
      });
      return app.request(path, {
        method,
        headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body || undefined,
      });
    },
    async settle(timeoutMs = 30_000) {
      // Until every outbox record's job has reported back done: jobs lost with a Redis that went
      // away are delivered again by the relay (OUTBOX_REDELIVER_MS), not found by queue.idle.
      const deadline = Date.now() + 2 * timeoutMs;
      for (;;) {
        try {
          await runtime.relay.drainAll();
          await runtime.ctx.queue.idle(timeoutMs);
          if ((await undone(runtime)) === 0) break;
        } catch (err) {
          // Redis or a shard just came back, and a connection is still reconnecting: again.
          if (Date.now() > deadline) throw err;
        }
        if (Date.now() > deadline) throw new Error(`outbox records still not done after ${2 * timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Activity news from the worker processes arrives over Redis pub/sub; let it land.
      await new Promise((r) => setTimeout(r, 30));
    },
    close: () => runtime.close(),
  };
}

/** Outbox records (every database) whose job has not reported back done. */
async function undone(runtime: Runtime): Promise<number> {
  let n = 0;
  for (const db of runtime.ctx.cluster.router.physical) {
    const [row] = await db.rows<{ n: number }>('SELECT count(*)::int AS n FROM outbox WHERE done_at IS NULL');
    n += row!.n;
  }
  return n;
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  ready: Promise<void>;
  /** Resolves with the item whose fan-out the worker is hanging in (after `arm`). */
  midJob: Promise<{ itemId: string; landed: number }>;
  arm(memberId: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export interface WorkerSettings {
  databases: OracleDatabases;
  redisUrl: string;
  queueNamespace: string;
  timelineMaxLength?: number;
  fanoutBatch: number;
  lockMs: number;
  stalledMs: number;
}

/** Spawns a worker process (tsx) running the origin's job handlers. */
export function startWorker(name: string, s: WorkerSettings): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      ORACLE_DATABASE_URL: s.databases.directory,
      ORACLE_SHARD_URLS: s.databases.shards.join(','),
      ORACLE_REDIS_URL: s.redisUrl,
      ORACLE_QUEUE_NAMESPACE: s.queueNamespace,
      ORACLE_FANOUT_BATCH: String(s.fanoutBatch),
      ...(s.timelineMaxLength ? { ORACLE_TIMELINE_MAX_LENGTH: String(s.timelineMaxLength) } : {}),
      ORACLE_LOCK_MS: String(s.lockMs),
      ORACLE_STALLED_MS: String(s.stalledMs),
    },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => {
    stderr += c;
  });
  child.stdout!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = <T>(pick: (m: Record<string, unknown>) => T | undefined, what: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: Record<string, unknown>) => {
        const v = pick(m);
        if (v === undefined) return;
        child.off('message', onMessage);
        resolve(v);
      };
      child.on('message', onMessage);
      void exited.then((e) =>
        reject(new Error(`worker ${name} exited (${e.code ?? e.signal}) before ${what}\n${stderr}`)),
      );
    });
  const ready = waitFor((m) => (m.ready ? true : undefined), 'it was ready').then(() => {});
  const midJob = waitFor(
    (m) => (typeof m.midJob === 'string' ? { itemId: m.midJob, landed: Number(m.landed) } : undefined),
    'it was caught mid-job',
  );
  midJob.catch(() => {}); // only awaited when armed
  return {
    name,
    child,
    ready,
    midJob,
    async arm(memberId) {
      const armed = waitFor((m) => (m.armed === memberId ? true : undefined), 'it was armed');
      child.send({ arm: memberId });
      await armed;
    },
    exited,
    stderr: () => stderr,
  };
}
