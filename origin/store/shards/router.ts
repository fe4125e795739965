// Logical shard -> physical database. The number of logical shards is fixed forever (it is
// baked into ids); the number of physical databases grows by moving logical shards onto new
// ones, which only changes this mapping.
import { LOGICAL_SHARDS, shardOfId } from '../../../shared/ids.js';
import type { Database } from './database.js';

export class ShardRouter {
  /** physicalOf[logical] = index into `physical`. */
  private readonly physicalOf: Uint16Array;

  constructor(
    readonly physical: readonly Database[],
    mapping?: ArrayLike<number>,
  ) {
    if (physical.length === 0) throw new Error('at least one physical shard database is required');
    this.physicalOf = new Uint16Array(LOGICAL_SHARDS);
    for (let logical = 0; logical < LOGICAL_SHARDS; logical++) {
      // Default: contiguous ranges of logical shards per physical database.
      const target = mapping ? mapping[logical] : Math.floor((logical * physical.length) / LOGICAL_SHARDS);
      if (target === undefined || target < 0 || target >= physical.length) {
        throw new Error(`logical shard ${logical} maps to unknown physical shard ${target}`);
      }
      this.physicalOf[logical] = target;
    }
  }

  forLogical(logical: number): Database {
    return this.physical[this.physicalOf[logical]!]!;
  }

  /** The database holding the rows of the member (or item) with this id. */
  forId(id: bigint | string): Database {
    return this.forLogical(shardOfId(id));
  }

  /** Groups ids by the physical database that holds them, for one query per database. */
  group<T extends bigint | string>(ids: Iterable<T>): Map<Database, T[]> {
    const groups = new Map<Database, T[]>();
    for (const id of ids) {
      const db = this.forId(id);
      const list = groups.get(db);
      if (list) list.push(id);
      else groups.set(db, [id]);
    }
    return groups;
  }

  randomLogicalShard(): number {
    return Math.floor(Math.random() * LOGICAL_SHARDS);
  }
}
