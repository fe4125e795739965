// Child process of test/origin/ids-processes.test.ts (not a test itself): leases an id generator
// slot in the directory and mints ids until SIGTERM, printing "slot N" once and then one line
// "SHARD ID" per id, in chunks. Part of every chunk goes to one hot shard, so the sequence
// overflows and the generator borrows milliseconds ahead.
//   IDS_DIRECTORY_URL   the directory database (migrated by the test)
//   IDS_LEASE_MS        slot lease
//   IDS_START_WAIT_MS   how long to keep trying when every slot is leased (a replacement waits
//                       for a crashed process's lease to pass)
import { openPostgres } from '../../../origin/store/shards/database.js';
import { IdGenerator } from '../../../origin/store/shards/ids.js';
import { LOGICAL_SHARDS } from '../../../shared/ids.js';

const url = process.env.IDS_DIRECTORY_URL;
if (!url) throw new Error('IDS_DIRECTORY_URL is required');
const leaseMs = Number(process.env.IDS_LEASE_MS ?? 2000);
const startWaitMs = Number(process.env.IDS_START_WAIT_MS ?? 10_000);
const HOT_SHARD = 7;
const HOT_PER_CHUNK = 160; // > 64 ids per ms on one shard: borrows the next milliseconds
const RANDOM_PER_CHUNK = 96;
const PAUSE_MS = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});

const directory = openPostgres({ name: 'directory', url, maxConnections: 2 });
try {
  let gen: IdGenerator | undefined;
  const giveUpAt = Date.now() + startWaitMs;
  while (!gen) {
    try {
      gen = await IdGenerator.start(directory, { leaseMs });
    } catch (err) {
      if (!/slots are leased/.test((err as Error).message) || Date.now() > giveUpAt) throw err;
      await sleep(50);
    }
  }
  process.stdout.write(`slot ${gen.slot}\n`);
  while (!stopping) {
    let out = '';
    for (let i = 0; i < HOT_PER_CHUNK + RANDOM_PER_CHUNK; i++) {
      const shard = i < HOT_PER_CHUNK ? HOT_SHARD : Math.floor(Math.random() * LOGICAL_SHARDS);
      out += `${shard} ${gen.next(shard)}\n`;
    }
    process.stdout.write(out); // synchronous for pipes on Linux: printed means handed out
    await sleep(PAUSE_MS);
  }
  await gen.stop();
  await directory.close();
  process.stdout.write('stopped\n');
  process.exit(0);
} catch (err) {
  process.stderr.write(`id-worker: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
}
