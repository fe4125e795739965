// Starts a throwaway Redis Cluster for tests: three masters, no replicas, on free loopback ports,
// each redis-server a child of this process with its files in a temporary directory. stop() (and,
// as a last resort, this process's exit) kills them and removes the directory.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const HOST = '127.0.0.1';
/** Redis Cluster's bus listens on the client port + 10000 unless told otherwise. */
const BUS_OFFSET = 10000;

export interface RedisClusterHandle {
  /** `redis-cluster://127.0.0.1:P1,127.0.0.1:P2,127.0.0.1:P3`, for REDIS_URL. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

function requireBinary(name: string): void {
  const probe = spawnSync(name, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${name} is needed for the Redis Cluster tests but could not be run (${probe.error?.message ?? probe.stderr}). ` +
        'Install Redis 7 (Debian: apt-get install redis-server, which brings redis-cli too).',
    );
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}

/** `count` ports in 7300-7999 whose bus ports (+10000) are free too, from a random start. */
async function freePorts(count: number): Promise<number[]> {
  const first = 7300;
  const span = 700;
  const start = Math.floor(Math.random() * span);
  const found: number[] = [];
  for (let i = 0; i < span && found.length < count; i++) {
    const port = first + ((start + i) % span);
    if ((await portFree(port)) && (await portFree(port + BUS_OFFSET))) found.push(port);
  }
  if (found.length < count) throw new Error(`no ${count} free port pairs in ${first}-${first + span - 1}`);
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function cli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: 10_000 });
  return stdout;
}

async function waitFor(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    }
    await sleep(100);
  }
}

export async function startRedisCluster(opts: { masters?: number } = {}): Promise<RedisClusterHandle> {
  requireBinary('redis-server');
  requireBinary('redis-cli');
  const masters = opts.masters ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'chorus-redis-cluster-'));
  const children: ChildProcess[] = [];
  const output: string[] = [];
  let stopped = false;

  const killAll = () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  // If the test runner exits or is interrupted without calling stop(), do not leave servers
  // behind; then let the signal do what it would have done (the runner's handler or the default).
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.once('exit', killAll);
  for (const signal of signals) process.once(signal, onSignal);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killAll);
    for (const signal of signals) process.off(signal, onSignal);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const ports = await freePorts(masters);
    for (const port of ports) {
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          HOST,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--cluster-node-timeout',
          '5000',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
          '--daemonize',
          'no',
          '--loglevel',
          'warning',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const collect = (chunk: Buffer) => output.push(`[${port}] ${chunk.toString().trimEnd()}`);
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.on('exit', (code, signal) => {
        if (!stopped) output.push(`[${port}] redis-server exited (${code ?? signal})`);
      });
      children.push(child);
    }
    for (const [i, port] of ports.entries()) {
      await waitFor(`redis-server on port ${port} did not answer PING`, 10_000, async () => {
        if (children[i]!.exitCode !== null) throw new Error(`redis-server exited with ${children[i]!.exitCode}`);
        return (await cli(port, 'ping')).trim() === 'PONG';
      });
    }
    await run(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `${HOST}:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { timeout: 30_000 },
    );
    for (const port of ports) {
      await waitFor(`cluster_state:ok not reported by ${HOST}:${port}`, 20_000, async () =>
        (await cli(port, 'cluster', 'info')).includes('cluster_state:ok'),
      );
    }
    return { url: `redis-cluster://${ports.map((p) => `${HOST}:${p}`).join(',')}`, ports, stop };
  } catch (err) {
    await stop();
    const log = output.length ? `\nredis-server output:\n${output.join('\n')}` : '';
    throw new Error(`could not start a Redis Cluster: ${(err as Error).message}${log}`);
  }
}
