// The system under load, as it runs in production on one machine: one or more origin processes
// (`node --import tsx origin/main.ts`, what `npm run origin` runs) on the load test's databases
// and Redis, HAProxy from Debian in front of them when there are several, and the edge under
// `wrangler dev` in front of that. Each process logs to a file under test/output/load/.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type EdgeProcess, freePort, startWrangler } from '../support/edge-process.js';
import { childEnv } from '../support/origin-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const OUTPUT_DIR = join(root, 'test/output/load');
export const ADMIN_TOKEN = `load-admin-${process.pid}-token-0123456789`;

export interface OriginNode {
  port: number;
  pid: number;
  child: ChildProcess;
}

export interface Stack {
  origins: OriginNode[];
  /** What the edge calls: the single origin, or HAProxy in front of several. */
  originUrl: string;
  edge: EdgeProcess;
  stop(): Promise<void>;
}

function spawnLogged(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const log = openSync(join(OUTPUT_DIR, `${name}.log`), 'w');
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', log, log], detached: true });
  process.once('exit', () => killGroup(child));
  return child;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // gone already
  }
}

async function stopGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitReady(url: string, child: ChildProcess, what: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}); see ${OUTPUT_DIR}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${what} not ready within 60 s; see ${OUTPUT_DIR}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function startOrigin(i: number, settings: Record<string, string>): Promise<OriginNode> {
  const port = await freePort();
  const env = childEnv({
    ...settings,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_TOKEN,
    // Every simulated visitor comes from 127.0.0.1: per-IP limits would take the whole load for
    // one abuser. Per-member and per-account limits stay as configured.
    RATE_LIMIT_SIGNUP_IP: 'off',
    RATE_LIMIT_LOGIN_IP: 'off',
    RATE_LIMIT_WRITES_IP: 'off',
    RATE_LIMIT_EXPENSIVE_READS_IP: 'off',
    NODE_ENV: 'production',
  });
  const child = spawnLogged(`origin-${i}`, process.execPath, ['--import', 'tsx', 'origin/main.ts'], env);
  await waitReady(`http://127.0.0.1:${port}/readyz`, child, `origin ${i}`);
  return { port, pid: child.pid!, child };
}

/** HAProxy, round robin over the origins, health-checked on /readyz (what a deployment would run). */
async function startBalancer(origins: OriginNode[]): Promise<{ url: string; child: ChildProcess }> {
  const haproxy = spawnSync('haproxy', ['-v']);
  if (haproxy.error || haproxy.status !== 0)
    throw new Error('several origins need HAProxy in front: apt-get install -y haproxy');
  const port = await freePort();
  const config = [
    'global',
    '  maxconn 4096',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  option http-keep-alive',
    'frontend origins',
    `  bind 127.0.0.1:${port}`,
    '  default_backend origin',
    'backend origin',
    '  balance roundrobin',
    '  option httpchk GET /readyz',
    ...origins.map((o, i) => `  server origin${i} 127.0.0.1:${o.port} check inter 1s`),
    '',
  ].join('\n');
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = join(OUTPUT_DIR, 'haproxy.cfg');
  writeFileSync(file, config);
  const child = spawnLogged('haproxy', 'haproxy', ['-db', '-f', file], process.env);
  await waitReady(`http://127.0.0.1:${port}/healthz`, child, 'haproxy');
  return { url: `http://127.0.0.1:${port}`, child };
}

export async function startStack(settings: Record<string, string>, originCount: number): Promise<Stack> {
  const origins: OriginNode[] = [];
  let balancer: { url: string; child: ChildProcess } | null = null;
  try {
    for (let i = 0; i < originCount; i++) origins.push(await startOrigin(i, settings));
    balancer = originCount > 1 ? await startBalancer(origins) : null;
    const originUrl = balancer?.url ?? `http://127.0.0.1:${origins[0]!.port}`;
    const edge = await startWrangler([], 'warn', {
      ORIGIN_URL: originUrl,
      ORIGIN_SECRET: settings.ORIGIN_SECRET!,
      SESSION_SECRET: `load-session-secret-${settings.ORIGIN_SECRET!.slice(0, 16)}`,
      RATE_LOGINS_PER_MIN_IP: '1000000',
      RATE_WRITES_PER_MIN_IP: '1000000',
      RATE_WRITES_PER_MIN_SESSION: '10000',
    });
    return {
      origins,
      originUrl,
      edge,
      async stop() {
        await edge.stop();
        if (balancer) await stopGroup(balancer.child);
        await Promise.all(origins.map((o) => stopGroup(o.child)));
      },
    };
  } catch (err) {
    if (balancer) killGroup(balancer.child);
    for (const o of origins) killGroup(o.child);
    throw err;
  }
}
