// `npm start`: the whole system on one machine. Starts the origin (embedded PGlite and
// in-process adapters unless DATABASE_URL(S)/REDIS_URL are set), waits until it is ready, then
// the edge under `wrangler dev`, and stops both cleanly on Ctrl-C.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dataDir = process.env.DATA_DIR ?? join(root, 'data');
const edgePort = Number(process.env.EDGE_PORT ?? 8787);
const originPort = Number(process.env.PORT ?? 8788);

/** Local secrets live under ./data (gitignored), created on first run; env vars win. */
function localSecrets(): { origin: string; session: string } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'secrets.json');
  if (!existsSync(file)) {
    const fresh = { origin: randomBytes(32).toString('hex'), session: randomBytes(32).toString('hex') };
    writeFileSync(file, JSON.stringify(fresh), { mode: 0o600 });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { origin: string; session: string };
  return {
    origin: process.env.ORIGIN_SECRET ?? stored.origin,
    session: process.env.SESSION_SECRET ?? stored.session,
  };
}

async function waitFor(url: string, timeoutMs: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
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

const children: ChildProcess[] = [];
let stopping = false;
const stop = (code: number) => {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  const force = setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  }, 8000);
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r))))).then(() => {
    clearTimeout(force);
    process.exit(code);
  });
};
function exitedEarly(name: string, code: number | null) {
  if (stopping) return;
  console.error(`${name} exited (${code}); stopping`);
  stop(1);
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function main() {
  const secrets = localSecrets();

  const compile = spawn(process.execPath, ['--import', 'tsx', 'device-profiles/compile.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  const compiled = await new Promise<number>((r) => compile.once('exit', (code) => r(code ?? 1)));
  if (compiled !== 0) throw new Error('device profiles failed to compile');

  const origin = spawn(process.execPath, ['--import', 'tsx', 'origin/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: String(originPort), DATA_DIR: dataDir, ORIGIN_SECRET: secrets.origin },
  });
  children.push(origin);
  origin.once('exit', (code) => exitedEarly('origin', code));
  await waitFor(`http://127.0.0.1:${originPort}/readyz`, 120_000, origin);

  const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
  const edge = spawn(
    wrangler,
    [
      'dev',
      '--port',
      String(edgePort),
      '--ip',
      '127.0.0.1',
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
      '--var',
      `ORIGIN_URL:http://127.0.0.1:${originPort}`,
      '--var',
      `ORIGIN_SECRET:${secrets.origin}`,
      '--var',
      `SESSION_SECRET:${secrets.session}`,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  children.push(edge);
  edge.once('exit', (code) => exitedEarly('edge', code));
  await waitFor(`http://127.0.0.1:${edgePort}/`, 120_000, edge);

  console.log(`
  Chorus is running.
    Open     http://localhost:${edgePort}/   (any phone-sized browser; the demo community answers on localhost)
    Log in   ann / chorus-demo   (also bob, cat, dan)
    Origin   http://127.0.0.1:${originPort}/readyz   /metrics   /v1/openapi.json
  Ctrl-C stops everything.
`);
}

main().catch((err) => {
  console.error(`npm start failed: ${(err as Error).message}`);
  stop(1);
});
