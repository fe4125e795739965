// Timelines are sorted sets of item ids (newest first): a member's home stream (MRI, message
// recipient index), a member's own posts (ORI, originator index) and a tenant's public stream.
// They are derived data: Postgres holds the truth and a lost timeline can be rebuilt.

export type TimelineKind = 'mri' | 'ori' | 'public';

export interface TimelineRef {
  tenant: string;
  kind: TimelineKind;
  /** Member id for mri/ori; empty for the tenant-wide public timeline. */
  owner: string;
}

export interface TimelineWrite {
  timeline: TimelineRef;
  itemId: string;
  /** Milliseconds since the Unix epoch, from the item id: exact as a double score. */
  ms: number;
}

export interface TimelineStore {
  /** Adds entries (idempotent: re-adding an entry changes nothing) and trims each timeline. */
  add(writes: TimelineWrite[]): Promise<void>;
  /** Up to `limit` item ids, newest first, strictly older than `olderThan` when given. */
  page(timeline: TimelineRef, olderThan: bigint | null, limit: number): Promise<string[]>;
  remove(timeline: TimelineRef, itemIds: string[]): Promise<void>;
  exists(timeline: TimelineRef): Promise<boolean>;
  /** Drops a whole timeline (a purged member's MRI and ORI). */
  clear(timeline: TimelineRef): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Redis key of a timeline. The `{...}` hash tag keeps one timeline in one cluster slot; the
 * tenant prefix keeps tenants apart.
 */
export function timelineKey(ref: TimelineRef): string {
  return ref.kind === 'public' ? `tl:{${ref.tenant}}:public` : `tl:{${ref.tenant}:${ref.owner}}:${ref.kind}`;
}

/** Orders ids newest first; ids are k-sorted, so bigint order is time order. */
export function compareIdsDesc(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x > y ? -1 : x < y ? 1 : 0;
}
