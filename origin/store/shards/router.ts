// Logical shard -> physical database. The number of logical shards is fixed forever (it is baked
// into ids); the number of physical databases grows by moving logical shards onto new ones,
// which only changes the map in the directory. Members moved singly are overrides on top.
//
// Every process keeps its copy of the map current (watch): a move announces itself on the
// directory (NOTIFY SHARD_MAP_CHANNEL, mover.ts) and every router reloads at once; a reload every
// REFRESH_MS is the safety net for a lost notification; and a member not found where the map
// says re-checks the map before anyone is told "not found" (recheck).
import { LOGICAL_SHARDS, shardOfId } from '../../../shared/ids.js';
import type { Database } from './database.js';
import { movedMembers, shardMap } from './schema-directory.js';

/** The directory channel a move notifies once the map changed. */
export const SHARD_MAP_CHANNEL = 'chorus_shard_map';
const REFRESH_MS = 5000;
/** A miss re-checks the map at most this often (a storm of misses is not a storm of reloads). */
const RECHECK_MIN_MS = 200;

export class ShardRouter {
  /** physicalOf[logical] = index into `physical`. */
  private physicalOf: Uint16Array;
  /** member id -> index into `physical`, for members moved off their logical shard's database. */
  private moved = new Map<string, number>();
  /** logical shard -> databases holding singly-moved members of that shard. */
  private movedByLogical = new Map<number, Set<number>>();
  private readonly byName: Map<string, number>;
  version = 0;
  /** What the map says, as text: a reload that changed nothing leaves it equal. */
  private signature = '';
  private loading: Promise<void> | null = null;
  private lastLoadAt = 0;
  private stopWatching: (() => Promise<void>) | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly physical: readonly Database[],
    private readonly directory?: Database,
  ) {
    if (physical.length === 0) throw new Error('at least one physical shard database is required');
    this.byName = new Map(physical.map((db, i) => [db.name, i]));
    this.physicalOf = defaultSpread(physical.length);
  }

  /** Loads the map (seeding the default spread on first start) and the moved members. */
  load(): Promise<void> {
    // Loads that overlap share one read of the directory.
    this.loading ??= this.read().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async read(): Promise<void> {
    if (!this.directory) return;
    this.lastLoadAt = Date.now();
    const db = this.directory.db;
    let rows = await db.select().from(shardMap);
    if (rows.length === 0) {
      const spread = defaultSpread(this.physical.length);
      const seed = Array.from({ length: LOGICAL_SHARDS }, (_, logical) => ({
        logical,
        physical: this.physical[spread[logical]!]!.name,
      }));
      await db.insert(shardMap).values(seed).onConflictDoNothing();
      rows = await db.select().from(shardMap);
    }
    const next = new Uint16Array(LOGICAL_SHARDS);
    let version = 0;
    for (const row of rows) {
      next[row.logical] = this.indexOf(row.physical, `logical shard ${row.logical}`);
      version += row.version;
    }
    const moved = new Map<string, number>();
    const movedByLogical = new Map<number, Set<number>>();
    for (const row of await db.select().from(movedMembers)) {
      const index = this.indexOf(row.physical, `moved member ${row.memberId}`);
      moved.set(row.memberId.toString(), index);
      const logical = shardOfId(row.memberId);
      if (!movedByLogical.has(logical)) movedByLogical.set(logical, new Set());
      movedByLogical.get(logical)!.add(index);
    }
    this.physicalOf = next;
    this.moved = moved;
    this.movedByLogical = movedByLogical;
    this.version = version + moved.size;
    this.signature = `${next.join(',')}|${[...moved].sort().join(',')}`;
  }

  /**
   * Keeps this copy of the map current: reloads when a move notifies the directory's channel,
   * and every REFRESH_MS in case a notification was lost (its connection dropped meanwhile).
   */
  async watch(onError: (err: unknown) => void): Promise<void> {
    if (!this.directory || this.stopWatching) return;
    const reload = () => void this.load().catch(onError);
    this.stopWatching = await this.directory.listen(SHARD_MAP_CHANNEL, reload);
    this.refreshTimer = setInterval(reload, REFRESH_MS);
    this.refreshTimer.unref();
  }

  async unwatch(): Promise<void> {
    clearInterval(this.refreshTimer);
    await this.stopWatching?.().catch(() => {});
    this.stopWatching = null;
  }

  /**
   * A member's rows were not where the map says: the map may be older than a move. Reloads it
   * (unless it was just loaded) and says whether it changed, so the caller looks again.
   */
  async recheck(): Promise<boolean> {
    if (!this.directory || Date.now() - this.lastLoadAt < RECHECK_MIN_MS) return false;
    const before = this.signature;
    await this.load();
    return this.signature !== before;
  }

  private indexOf(name: string, what: string): number {
    const index = this.byName.get(name);
    if (index === undefined) {
      throw new Error(`the directory puts ${what} on database "${name}", which is not configured (DATABASE_URLS)`);
    }
    return index;
  }

  byNameOrThrow(name: string): Database {
    return this.physical[this.indexOf(name, 'a shard')]!;
  }

  forLogical(logical: number): Database {
    return this.physical[this.physicalOf[logical]!]!;
  }

  /** The database holding a member's rows (honours single-member moves). */
  forMember(memberId: bigint | string): Database {
    const moved = this.moved.get(memberId.toString());
    return moved === undefined ? this.forLogical(shardOfId(memberId)) : this.physical[moved]!;
  }

  /**
   * Every database that may hold an item with this id: its logical shard's database, plus any
   * holding singly-moved members of that shard (the item id does not say who its actor is).
   */
  candidatesForItem(itemId: bigint | string): Database[] {
    const logical = shardOfId(itemId);
    const primary = this.physicalOf[logical]!;
    const extra = this.movedByLogical.get(logical);
    if (!extra) return [this.physical[primary]!];
    return [...new Set([primary, ...extra])].map((i) => this.physical[i]!);
  }

  /** Groups member ids by the database that holds them, for one query per database. */
  group<T extends bigint | string>(ids: Iterable<T>): Map<Database, T[]> {
    const groups = new Map<Database, T[]>();
    for (const id of ids) push(groups, this.forMember(id), id);
    return groups;
  }

  /** Groups item ids by every database that may hold them. */
  groupItems<T extends bigint | string>(ids: Iterable<T>): Map<Database, T[]> {
    const groups = new Map<Database, T[]>();
    for (const id of ids) for (const db of this.candidatesForItem(id)) push(groups, db, id);
    return groups;
  }

  /** Members moved onto this database from another logical shard's database. */
  movedInto(name: string): string[] {
    const index = this.indexOf(name, 'a shard');
    return [...this.moved].filter(([, i]) => i === index).map(([id]) => id);
  }

  /** Members whose logical shard lives on this database but who were moved elsewhere. */
  movedOutOf(name: string): string[] {
    const index = this.indexOf(name, 'a shard');
    return [...this.moved]
      .filter(([id, i]) => i !== index && this.physicalOf[shardOfId(id)] === index)
      .map(([id]) => id);
  }

  /** Logical shards currently mapped to a database. */
  logicalShardsOn(name: string): number[] {
    const index = this.indexOf(name, 'a shard');
    const list: number[] = [];
    for (let l = 0; l < LOGICAL_SHARDS; l++) if (this.physicalOf[l] === index) list.push(l);
    return list;
  }

  randomLogicalShard(): number {
    return Math.floor(Math.random() * LOGICAL_SHARDS);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Contiguous ranges of logical shards per physical database. */
function defaultSpread(physicalCount: number): Uint16Array {
  const spread = new Uint16Array(LOGICAL_SHARDS);
  for (let l = 0; l < LOGICAL_SHARDS; l++) spread[l] = Math.floor((l * physicalCount) / LOGICAL_SHARDS);
  return spread;
}
