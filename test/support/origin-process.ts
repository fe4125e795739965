// Runs the origin as a real process (`node --import tsx origin/main.ts`, as `npm run origin`
// does) for tests of what only a process shows: signals, exit codes, its output. Each runs in a
// process group of its own, which stop() kills, also when the test failed half-way.
import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { freePort } from './edge-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Configuration a test run may carry in its environment; a spawned process gets only what the test passes. */
const ORIGIN_ENV = [
  'ORIGIN_SECRET',
  'DATABASE_URL',
  'DATABASE_URLS',
  'DATABASE_REPLICA_URLS',
  'REDIS_URL',
  'DATA_DIR',
  'PORT',
  'HOST',
  'DEMO_SEED',
  'ADMIN_TOKEN',
];

/** process.env without origin configuration, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const name of ORIGIN_ENV) delete base[name];
  return { ...base, ...env };
}

export interface SpawnedProcess {
  child: ChildProcess;
  pid: number;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the whole process group (SIGKILL unless told otherwise). */
  killGroup(signal?: NodeJS.Signals): void;
}

/** Spawns `command` in a process group of its own, collecting stdout and stderr. */
export function spawnGroup(command: string, args: string[], env: NodeJS.ProcessEnv): SpawnedProcess {
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    output += d;
  });
  const killGroup = (signal: NodeJS.Signals = 'SIGKILL') => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup();
  process.once('exit', onExit);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', onExit);
      resolve({ code, signal });
    }),
  );
  return { child, pid: child.pid!, output: () => output, exited, killGroup };
}

export interface OriginProcess extends SpawnedProcess {
  port: number;
  url: string;
}

/** The origin on a free port with `env` as its whole configuration; resolves once /readyz is 200. */
export async function startOriginProcess(env: Record<string, string>): Promise<OriginProcess> {
  const port = await freePort();
  const p = spawnGroup(
    process.execPath,
    ['--import', 'tsx', 'origin/main.ts'],
    childEnv({ HOST: '127.0.0.1', PORT: String(port), ...env }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(`${url}/readyz`, p, 60_000);
  } catch (err) {
    p.killGroup();
    throw err;
  }
  return { ...p, port, url };
}

/** Polls `url` until it answers 200; fails when the process exits first or the time is up. */
export async function waitUntilReady(url: string, p: SpawnedProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`the process exited before ${url} answered:\n${p.output()}`);
    if ((await statusOf(url)) === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** GET url's status, or 0 when nothing answers. */
export function statusOf(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}
