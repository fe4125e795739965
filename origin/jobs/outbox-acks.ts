// A job relayed from the outbox reports back when it is done: its records are marked done on their
// owners' shards, and the relay stops handing them to the queue (jobs/outbox-relay.ts). Marks are
// gathered for ACK_DELAY_MS and written with one statement per database, so a busy fan-out costs
// a few statements a second, not one per job. A mark that is lost (a crash, a shard that does not
// answer) only means the job runs once more later: jobs are idempotent.
import type { OriginContext } from '../context.js';
import type { Database } from '../store/shards/database.js';
import { fenceKeysMatchSql } from '../store/shards/fence.js';
import { OUTBOX_FIELD } from './outbox-relay.js';

const ACK_DELAY_MS = 100;

// Not behind a write fence: a shard move is copying those rows (store/shards/mover.ts), and an
// ack lost that way only means the record is delivered once more, from where it moved.
const ACK_SQL = `
UPDATE outbox o SET done_at = now()
WHERE (seq, created_at) IN (SELECT unnest($1::bigint[]), unnest($2::timestamptz[])) AND done_at IS NULL
  AND NOT EXISTS (SELECT 1 FROM shard_fences f WHERE ${fenceKeysMatchSql('f.key', 'o.owner_id')})`;

interface Ref {
  owner: string;
  seq: string;
  createdAt: string;
}

function parseRefs(text: string): Ref[] {
  const refs: Ref[] = [];
  for (const part of text.split(',')) {
    const [owner, seq, createdAt] = part.split('|');
    if (owner && seq && createdAt && /^[0-9]+$/.test(owner) && /^[0-9]+$/.test(seq))
      refs.push({ owner, seq, createdAt });
  }
  return refs;
}

export class OutboxAcks {
  private pending: Ref[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: Pick<OriginContext, 'cluster' | 'log'>) {}

  /** The job with this data is done: its outbox records (if it carries any) are marked done soon. */
  done(data: Record<string, string>): void {
    const refs = data[OUTBOX_FIELD];
    if (!refs) return;
    this.pending.push(...parseRefs(refs));
    this.timer ??= setTimeout(() => void this.flush(), ACK_DELAY_MS);
  }

  /** Writes the marks gathered so far (one statement per database). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const refs = this.pending;
    this.pending = [];
    if (refs.length === 0) return this.flushing;
    const byDb = new Map<Database, Ref[]>();
    for (const ref of refs) {
      const db = this.ctx.cluster.router.forMember(ref.owner);
      const list = byDb.get(db);
      if (list) list.push(ref);
      else byDb.set(db, [ref]);
    }
    const writes = [...byDb].map(([db, list]) =>
      db
        .rows(ACK_SQL, [list.map((r) => r.seq), list.map((r) => r.createdAt)])
        .catch((err) =>
          this.ctx.log.warn({ err, shard: db.name }, 'outbox: marking jobs done failed; they will run again'),
        ),
    );
    this.flushing = this.flushing.then(() => Promise.all(writes)).then(() => {});
    return this.flushing;
  }
}
