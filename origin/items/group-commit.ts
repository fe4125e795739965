// Group commit for the write path: events that reach one database together share one INSERT
// statement, one transaction and one WAL flush. A commit costs Postgres about the same CPU
// whether it writes one event or sixty (test/bench/writes.ts, test/bench/fanout.ts), so under
// load this is most of the write path's cost. Each caller still learns only after its own event
// committed; an event stopped by a write fence (its shard is moving) comes back as null for the
// caller to retry, as a single insert did. At most IN_FLIGHT statements per database run at once:
// what arrives meanwhile waits and joins the next, so an idle database writes at once.
import { type Database, isConnectionError, ShardUnavailableError } from '../store/shards/database.js';
import { fenceKeysMatchSql } from '../store/shards/fence.js';

/** The columns of one event, in INSERT order (see COLUMNS). */
export type ItemValues = [
  tenantId: string,
  id: string,
  actorId: string,
  verb: string,
  audience: string,
  text: string,
  createdAt: string,
  objectId: string | null,
  targetId: string | null,
  audienceListId: string | null,
  data: string,
];

const IN_FLIGHT = 1;
const MAX_ROWS = 64;

// Each event and its outbox record, unless its actor's logical shard or the actor is fenced.
const INSERT_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::text[],
                       $7::timestamptz[], $8::bigint[], $9::bigint[], $10::bigint[], $11::jsonb[])
    AS t(tenant_id, id, actor_id, verb, audience, text, created_at, object_id, target_id, audience_list_id, data)
),
item AS (
  INSERT INTO items (tenant_id, id, actor_id, verb, audience, text, created_at,
                     object_id, target_id, audience_list_id, data)
  SELECT * FROM input i
  WHERE NOT EXISTS (
    SELECT 1 FROM shard_fences f WHERE ${fenceKeysMatchSql('f.key', 'i.actor_id')})
  RETURNING *
),
queued AS (
  INSERT INTO outbox (tenant_id, owner_id, kind, payload)
  SELECT tenant_id, actor_id, 'fanout', jsonb_build_object('itemId', id::text) FROM item
  RETURNING seq::text AS outbox_seq, created_at::text AS outbox_created_at, (payload->>'itemId')::bigint AS item_id
)
SELECT i.*, q.outbox_seq, q.outbox_created_at FROM item i JOIN queued q ON q.item_id = i.id`;

interface Waiter<Row> {
  values: ItemValues;
  resolve(row: Row | null): void;
  reject(err: unknown): void;
}

class GroupCommit<Row extends Record<string, unknown> & { id: bigint | string }> {
  private readonly waiting: Waiter<Row>[] = [];
  private inFlight = 0;

  constructor(private readonly db: Database) {}

  insert(values: ItemValues): Promise<Row | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ values, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < IN_FLIGHT && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_ROWS);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async write(batch: Waiter<Row>[]): Promise<void> {
    try {
      const rows = await this.db.rows<Row>(INSERT_SQL, columnsOf(batch));
      const byId = new Map(rows.map((r) => [String(r.id), r]));
      for (const w of batch) w.resolve(byId.get(w.values[1]) ?? null);
    } catch (err) {
      // One bad row fails the statement for all: unless the database itself is the trouble, write
      // each event on its own, so only the bad one fails and nobody else's post does.
      if (batch.length === 1 || isConnectionError(err) || err instanceof ShardUnavailableError) {
        for (const w of batch) w.reject(err);
        return;
      }
      await Promise.all(batch.map((w) => this.write([w])));
    }
  }
}

/** The batch's values as one array per column (unnest in INSERT_SQL). */
function columnsOf(batch: { values: ItemValues }[]): unknown[][] {
  return batch[0]!.values.map((_, c) => batch.map((w) => w.values[c]));
}

const writers = new WeakMap<Database, GroupCommit<Record<string, unknown> & { id: bigint | string }>>();

/** Inserts one event (and its outbox record) on `db`, together with whatever else is being written there. */
export function insertGrouped<Row extends Record<string, unknown> & { id: bigint | string }>(
  db: Database,
  values: ItemValues,
): Promise<Row | null> {
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupCommit(db);
    writers.set(db, writer);
  }
  return writer.insert(values) as Promise<Row | null>;
}
