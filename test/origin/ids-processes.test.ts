// Ids across processes: four origin-like processes mint ids against one directory, one of them
// is killed (SIGKILL, no clean release of its slot) and replaced. No id may be printed twice,
// and every id must decode to the shard it was minted for, its process's slot and a plausible
// time. Only against real PostgreSQL: the processes need a shared directory.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateCluster } from '../../origin/store/shards/cluster.js';
import { type Database, openPostgres } from '../../origin/store/shards/database.js';
import { SEQ_BITS, SLOT_BITS, shardOfId, timeOfId } from '../../shared/ids.js';

const LEASE_MS = 2000;
const WORKERS = 4;
const SLOTS = 1 << Number(SLOT_BITS);
/** The only slots left free: once all four are taken, a replacement must wait for a lease to pass. */
const FREE_SLOTS = [5, 17, 42, 63];
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./support/id-worker.ts', import.meta.url));

const base = process.env.TEST_DATABASE_URL;

function directoryUrl(): string {
  const url = new URL(base!);
  url.pathname = `/${url.pathname.replace(/^\//, '') || 'chorus_test'}_ids`;
  return url.toString();
}

interface Worker {
  name: string;
  child: ChildProcess;
  slot: number | null;
  /** [shard the worker minted for, id] in the order printed. */
  ids: [number, string][];
  stderr: string;
  stopped: boolean;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(name: string): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    cwd: ROOT,
    env: {
      ...process.env,
      IDS_DIRECTORY_URL: directoryUrl(),
      IDS_LEASE_MS: String(LEASE_MS),
      IDS_START_WAIT_MS: String(LEASE_MS * 4),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const worker: Worker = {
    name,
    child,
    slot: null,
    ids: [],
    stderr: '',
    stopped: false,
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  let carry = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const text = carry + chunk;
    const end = text.lastIndexOf('\n');
    carry = text.slice(end + 1); // an unfinished line waits for the rest
    if (end < 0) return;
    for (const line of text.slice(0, end).split('\n')) {
      const space = line.indexOf(' ');
      const head = line.slice(0, space);
      if (head === 'slot') worker.slot = Number(line.slice(space + 1));
      else if (line === 'stopped') worker.stopped = true;
      else worker.ids.push([Number(head), line.slice(space + 1)]);
    }
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    worker.stderr += chunk;
  });
  return worker;
}

async function until(what: string, ok: () => boolean, timeoutMs: number, workers: Worker[]): Promise<void> {
  const giveUpAt = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > giveUpAt) {
      const errors = workers.map((w) => w.stderr && `${w.name}: ${w.stderr}`).filter(Boolean);
      throw new Error(`timed out waiting for ${what}\n${errors.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const slotOfId = (id: bigint) => Number((id >> SEQ_BITS) & ((1n << SLOT_BITS) - 1n));

describe.skipIf(!base)('id generator across processes (real PostgreSQL)', () => {
  let directory: Database;
  const all: Worker[] = [];

  beforeAll(async () => {
    const admin = new URL(base!);
    admin.pathname = '/postgres';
    const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
    try {
      const name = new URL(directoryUrl()).pathname.slice(1);
      const [exists] = await sql`select 1 from pg_database where datname = ${name}`;
      if (!exists) await sql.unsafe(`create database "${name}"`);
    } finally {
      await sql.end();
    }
    directory = openPostgres({ name: 'ids-directory', url: directoryUrl(), maxConnections: 2 });
    await migrateCluster(directory, []);
    // Every slot but FREE_SLOTS is held by someone else for the duration of the test.
    await directory.rows('delete from id_slots');
    await directory.rows(
      `insert into id_slots (slot, holder, lease_until_ms)
       select s, case when s = any($1::int[]) then null else 'held-by-ids-processes-test' end,
              case when s = any($1::int[]) then 0 else $2::bigint end
       from generate_series(0, $3::int - 1) s`,
      [FREE_SLOTS, Date.now() + 3_600_000, SLOTS],
    );
  });

  afterAll(async () => {
    for (const w of all) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await directory?.close();
  });

  it('no id is minted twice, even when a process is killed and its slot is taken over', async () => {
    const testStart = Date.now();
    const first = Array.from({ length: WORKERS }, (_, i) => startWorker(`worker-${i}`));
    all.push(...first);
    await until('four workers minting', () => first.every((w) => w.ids.length >= 1000), 12_000, first);
    const slots = first.map((w) => w.slot!);
    expect(new Set(slots).size).toBe(WORKERS);
    expect([...slots].sort((a, b) => a - b)).toEqual(FREE_SLOTS);

    await sleep(400);
    const victim = first[0]!;
    victim.child.kill('SIGKILL');
    const victimExit = await victim.exited;
    expect(victimExit.signal).toBe('SIGKILL');
    const [lease] = await directory.rows<{ lease_until_ms: number | string }>(
      'select lease_until_ms from id_slots where slot = $1',
      [victim.slot],
    );
    const victimLeaseUntil = Number(lease!.lease_until_ms);
    expect(victimLeaseUntil).toBeGreaterThan(Date.now() - 50);

    // Every slot is leased now; the replacement keeps trying until the victim's lease passes.
    const replacement = startWorker('replacement');
    all.push(replacement);
    await until('the replacement minting', () => replacement.ids.length >= 1000, LEASE_MS * 4 + 5_000, [replacement]);
    expect(replacement.slot).toBe(victim.slot);
    await sleep(2000);

    const survivors = [...first.slice(1), replacement];
    for (const w of survivors) w.child.kill('SIGTERM');
    const exits = await Promise.all(survivors.map((w) => w.exited));
    for (const [i, exit] of exits.entries()) {
      expect({ worker: survivors[i]!.name, ...exit, stderr: survivors[i]!.stderr }).toEqual({
        worker: survivors[i]!.name,
        code: 0,
        signal: null,
        stderr: '',
      });
      expect(survivors[i]!.stopped).toBe(true);
    }
    const testEnd = Date.now();

    const seen = new Map<string, string>();
    let total = 0;
    for (const w of all) {
      const lastOnShard = new Map<number, bigint>();
      for (const [shard, text] of w.ids) {
        total++;
        const other = seen.get(text);
        if (other !== undefined) expect.fail(`id ${text} printed by ${other} and by ${w.name}`);
        seen.set(text, w.name);
        const id = BigInt(text);
        if (shardOfId(id) !== shard)
          expect.fail(`${w.name}: id ${text} decodes to shard ${shardOfId(id)}, not ${shard}`);
        if (slotOfId(id) !== w.slot) expect.fail(`${w.name}: id ${text} carries slot ${slotOfId(id)}, not ${w.slot}`);
        const t = timeOfId(id);
        if (t < testStart - 1000 || t > testEnd + LEASE_MS) {
          expect.fail(`${w.name}: id ${text} has time ${new Date(t).toISOString()}, outside the test`);
        }
        const last = lastOnShard.get(shard);
        if (last !== undefined && id <= last) expect.fail(`${w.name}: id ${text} not above ${last} on shard ${shard}`);
        lastOnShard.set(shard, id);
      }
    }
    expect(seen.size).toBe(total);
    expect(victim.ids.length).toBeGreaterThan(0);

    // The replacement holds the killed process's slot: everything it minted is stamped after
    // that process's lease, so after anything the killed process could have minted.
    const victimLatest = Math.max(...victim.ids.map(([, id]) => timeOfId(id)));
    const replacementEarliest = Math.min(...replacement.ids.map(([, id]) => timeOfId(id)));
    expect(victimLatest).toBeLessThanOrEqual(victimLeaseUntil);
    expect(replacementEarliest).toBeGreaterThan(victimLeaseUntil);
  }, 25_000);
});
