// SIGTERM to the npm process alone, as a supervisor or container runtime sends it, stops
// everything `npm run origin` and `npm start` started (the origin, wrangler and its workerd) and
// frees their ports. `npm start` runs here as on a bare machine: embedded PGlite in a new data
// directory, which it creates private, seeds with the demo community, and whose secrets never
// appear on a command line.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { edgeRequest, freePort } from '../support/edge-process.js';
import { childEnv, type SpawnedProcess, spawnGroup, waitUntilReady } from '../support/origin-process.js';
import {
  alive,
  descendants,
  eventually,
  killAll,
  type ProcessInfo,
  refusesConnections,
} from '../support/process-tree.js';
import { testDatabaseUrls, testRedisUrl } from '../support/services.js';

// The origin's own deadline is 15 s; npm start's is that plus 5 s.
const STOP_DEADLINE_MS = 25_000;

const started: { npm: SpawnedProcess; tree: ProcessInfo[] }[] = [];
const dirs: string[] = [];
afterAll(() => {
  for (const { npm, tree } of started) {
    npm.killGroup();
    killAll(tree);
  }
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chorus-lifecycle-'));
  dirs.push(dir);
  return dir;
}

/** SIGTERM to the npm pid only; then no process it started may remain, and no port may answer. */
async function stopsEverything(npm: SpawnedProcess, tree: ProcessInfo[], ports: number[]): Promise<void> {
  process.kill(npm.pid, 'SIGTERM');
  const exited = await Promise.race([npm.exited, new Promise((r) => setTimeout(() => r(null), STOP_DEADLINE_MS))]);
  expect(exited, `npm did not exit:\n${npm.output()}`).not.toBeNull();
  await eventually(() => tree.every((p) => !alive(p)), 5000);
  expect(tree.filter(alive).map((p) => `${p.pid} ${p.command}`)).toEqual([]);
  for (const port of ports) expect(await refusesConnections(port), `port ${port}`).toBe(true);
}

describe('SIGTERM to npm', () => {
  it('npm run origin: stops the origin process', async () => {
    const port = await freePort();
    const databases = testDatabaseUrls({ name: 'processes', shards: 2 });
    const redisUrl = testRedisUrl();
    const services: Record<string, string> = databases
      ? {
          DATABASE_URL: databases.directory,
          DATABASE_URLS: databases.shards.join(','),
          DATABASE_POOL_SIZE: '2',
          ...(redisUrl ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: `tree-${port}` } : {}),
        }
      : { DATA_DIR: join(tempDir(), 'data') };
    const npm = spawnGroup(
      'npm',
      ['run', '--silent', 'origin'],
      childEnv({
        ...services,
        ORIGIN_SECRET: 'process-tree-secret-0123456789',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SHUTDOWN_DRAIN_MS: '100',
      }),
    );
    const entry = { npm, tree: [] as ProcessInfo[] };
    started.push(entry);
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, npm, 60_000);
    entry.tree = descendants(npm.pid);
    expect(entry.tree.map((p) => p.command)).toContainEqual(expect.stringContaining('origin/main.ts'));
    await stopsEverything(npm, entry.tree, [port]);
  });

  it('npm start: stops the origin, wrangler and workerd', { timeout: 180_000 }, async () => {
    const [originPort, edgePort] = [await freePort(), await freePort()];
    const dataDir = join(tempDir(), 'data');
    const npm = spawnGroup(
      'npm',
      ['start', '--silent'],
      childEnv({
        DATA_DIR: dataDir,
        PORT: String(originPort),
        EDGE_PORT: String(edgePort),
        LOG_LEVEL: 'warn',
        SHUTDOWN_DRAIN_MS: '100',
      }),
    );
    const entry = { npm, tree: [] as ProcessInfo[] };
    started.push(entry);
    expect(await eventually(() => npm.output().includes('Chorus is running'), 150_000), npm.output()).toBe(true);

    // A new data directory: private, with the demo community in it.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of ['secrets.json', 'edge.env']) expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    const home = await edgeRequest(edgePort, 'GET', '/', { host: 'localhost' });
    expect(home.status).toBe(200);

    entry.tree = descendants(npm.pid);
    const commands = entry.tree.map((p) => p.command);
    expect(commands).toContainEqual(expect.stringContaining('origin/main.ts'));
    expect(commands).toContainEqual(expect.stringContaining('workerd'));
    const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as Record<string, string>;
    for (const secret of Object.values(secrets)) {
      expect(commands.filter((c) => c.includes(secret))).toEqual([]);
    }

    await stopsEverything(npm, entry.tree, [originPort, edgePort]);
  });
});
