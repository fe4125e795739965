// `npm start`: the whole system on one machine. Starts the origin (embedded PGlite and
// in-process adapters unless DATABASE_URL(S)/REDIS_URL are set), waits until it is ready, then
// the edge under `wrangler dev`. SIGTERM, SIGINT (Ctrl-C) or SIGHUP stops both and everything
// they started, with a deadline after which what is left is killed.
//
// Secrets never go on a command line (any local user reads those with `ps`): the origin gets
// ORIGIN_SECRET in its environment, wrangler reads both secrets from a 0600 file under DATA_DIR.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { privateDir, tighten, writePrivateFile } from '../origin/lifecycle/private-dir.js';

const root = new URL('..', import.meta.url).pathname;
const dataDir = process.env.DATA_DIR ?? join(root, 'data');
const edgePort = Number(process.env.EDGE_PORT ?? 8787);
const originPort = Number(process.env.PORT ?? 8788);
/** The origin's own deadline (SHUTDOWN_TIMEOUT_MS) plus a margin; then whatever is left is killed. */
const stopDeadlineMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 15_000) + 5000;

/** Local secrets live under DATA_DIR (gitignored), created on first run; env vars win. */
function localSecrets(): { origin: string; session: string } {
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh = { origin: randomBytes(32).toString('hex'), session: randomBytes(32).toString('hex') };
    writePrivateFile(file, JSON.stringify(fresh));
  }
  tighten(file, 0o600);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { origin: string; session: string };
  return {
    origin: process.env.ORIGIN_SECRET ?? stored.origin,
    session: process.env.SESSION_SECRET ?? stored.session,
  };
}

/** The edge's secrets as a dotenv file for `wrangler dev --env-file` (which then skips .dev.vars). */
function edgeEnvFile(secrets: { origin: string; session: string }): string {
  const file = join(dataDir, 'edge.env');
  const quote = (v: string) => {
    if (/['\n\r]/.test(v)) throw new Error('ORIGIN_SECRET and SESSION_SECRET may not contain quotes or newlines');
    return `'${v}'`;
  };
  writePrivateFile(file, `ORIGIN_SECRET=${quote(secrets.origin)}\nSESSION_SECRET=${quote(secrets.session)}\n`);
  return file;
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${url}: the process exited`);
    if (stopping) throw new Error('stopping');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up within ${timeoutMs / 1000} s`);
}

// Each child runs in a process group of its own: wrangler runs a second node process and
// workerd, and SIGKILL to the group reaches whatever a child leaves behind. It also keeps a
// terminal's Ctrl-C from reaching them twice (once from the terminal, once forwarded from here).
const children: { name: string; child: ChildProcess }[] = [];

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // the group is gone
  }
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

let stopping = false;
function stop(code: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  if (stopping) return;
  stopping = true;
  // Each child stops its own children (wrangler stops workerd; killed at once, workerd reports
  // broken pipes). The origin gets the signal itself: on SIGTERM it drains first, on SIGINT it
  // is quick.
  for (const { name, child } of children) if (running(child)) child.kill(name === 'origin' ? signal : 'SIGTERM');
  let forced = false;
  const force = setTimeout(() => {
    forced = true;
    for (const { name, child } of children) {
      if (running(child)) console.error(`${name} still running after ${stopDeadlineMs / 1000} s; killing it`);
      signalGroup(child, 'SIGKILL');
    }
  }, stopDeadlineMs);
  const exits = children.map(({ child }) =>
    (running(child) ? new Promise((r) => child.once('exit', r)) : Promise.resolve()).then(() =>
      // What a child started and left behind (workerd, esbuild) goes with it.
      signalGroup(child, 'SIGKILL'),
    ),
  );
  void Promise.all(exits).then(() => {
    clearTimeout(force);
    process.exit(forced ? 1 : code);
  });
}

function exitedEarly(name: string, code: number | null, signal: NodeJS.Signals | null) {
  if (stopping) return;
  console.error(`${name} exited (${code ?? signal}); stopping`);
  stop(1);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => stop(0, signal));
// Last resort (an exception here): no child outlives this process.
process.on('exit', () => {
  for (const { child } of children) signalGroup(child, 'SIGKILL');
});

function start(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env, detached: true });
  children.push({ name, child });
  child.once('exit', (code, signal) => exitedEarly(name, code, signal));
  return child;
}

async function main() {
  const configuredDatabases = Boolean(process.env.DATABASE_URL || process.env.DATABASE_URLS);
  // The demo community goes only into an embedded database created now, never by default into
  // configured databases or one that already holds data.
  const newDatabase = !configuredDatabases && !existsSync(join(dataDir, 'pglite'));
  privateDir(dataDir);
  const secrets = localSecrets();
  const envFile = edgeEnvFile(secrets);

  const compile = spawn(process.execPath, ['--import', 'tsx', 'device-profiles/compile.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  const compiled = await new Promise<number>((r) => compile.once('exit', (code) => r(code ?? 1)));
  if (compiled !== 0) throw new Error('device profiles failed to compile');
  if (stopping) return;

  const origin = start('origin', process.execPath, ['--import', 'tsx', 'origin/main.ts'], {
    ...process.env,
    PORT: String(originPort),
    DATA_DIR: dataDir,
    ORIGIN_SECRET: secrets.origin,
    DEMO_SEED: process.env.DEMO_SEED ?? String(newDatabase),
  });
  await waitFor(`http://127.0.0.1:${originPort}/readyz`, 120_000, origin);

  const edge = start(
    'edge',
    join(root, 'node_modules', '.bin', 'wrangler'),
    [
      'dev',
      '--port',
      String(edgePort),
      '--ip',
      '127.0.0.1',
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
      '--env-file',
      envFile,
      '--var',
      `ORIGIN_URL:http://127.0.0.1:${originPort}`,
    ],
    { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  );
  await waitFor(`http://127.0.0.1:${edgePort}/_edge/health`, 120_000, edge);

  console.log(`
  Chorus is running.
    Open     http://localhost:${edgePort}/   (any phone-sized browser; the demo community answers on localhost)
    Log in   ann / chorus-demo   (also bob, cat, dan)
    Origin   http://127.0.0.1:${originPort}/readyz   /metrics   /v1/openapi.json
  Ctrl-C stops everything.
`);
}

main().catch((err) => {
  if (stopping) return;
  console.error(`npm start failed: ${(err as Error).message}`);
  stop(1);
});
