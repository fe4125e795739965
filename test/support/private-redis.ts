// A redis-server of a test's own on a free loopback port, which the test can stop (the process
// exits: everything in it is gone, as with a Redis without persistence that restarts), start
// again on the same port, and pause (CLIENT PAUSE: connections stay up, commands hang). The
// shared Redis of the other suites is never touched.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './edge-process.js';

export interface PrivateRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: no goodbye to clients) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  /** Makes every client's commands wait `ms` (the server answers nobody meanwhile). */
  pause(ms: number): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  let output = '';

  async function start(): Promise<void> {
    output = '';
    const proc = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const collect = (c: Buffer) => {
      output += c.toString();
    };
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    child = proc;
    exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const probe = new Redis({
      host: '127.0.0.1',
      port,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
        if (proc.exitCode !== null) break;
        try {
          if (probe.status !== 'ready') await probe.connect();
          await probe.ping();
          return;
        } catch {
          probe.disconnect();
          await sleep(50);
        }
      }
    } finally {
      probe.disconnect();
    }
    throw new Error(`redis-server on port ${port} did not start: ${output.slice(-2000)}`);
  }

  async function stop(): Promise<void> {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
    child = null;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async pause(ms) {
      const admin = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 0 });
      admin.on('error', () => {});
      try {
        await admin.call('CLIENT', 'PAUSE', String(ms), 'ALL');
      } finally {
        admin.disconnect();
      }
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
