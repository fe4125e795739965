// Timelines are sorted sets of entries (newest first): a member's home stream (MRI, message
// recipient index), a member's own events (ORI, originator index), a tenant's public stream and
// its hashtag and place streams. They are derived data: Postgres holds the truth, and a timeline
// that is missing (never built, flushed, expired for an inactive reader) is rebuilt from it.
//
// Writers only add to timelines that exist: fan-out skips readers whose timeline expired, and a
// timeline is never half-created by a write. A timeline is BUILDING while a rebuild loads it
// (fan-out already lands in it, so nothing committed during the rebuild is lost) and READY once
// complete. Every read renews its expiry. A timeline keeps at least its newest `maxLength`
// entries; an adapter may hold a few more between trims (redis-timelines.ts trims per segment).
import type { EventType } from '../../../shared/events.js';

export type TimelineKind = 'mri' | 'ori' | 'public' | 'tag' | 'place';

export interface TimelineRef {
  tenant: string;
  kind: TimelineKind;
  /** Member id for mri/ori, the tag or place slug for tag/place, empty for the public timeline. */
  owner: string;
}

/** What a timeline holds per event: [item id, time and type (both in the score)]. */
export interface TimelineEntry {
  id: string;
  type: EventType;
}

/** An entry and its time: milliseconds since the Unix epoch, from the item id (exact as a double score). */
export interface TimelineItem {
  entry: TimelineEntry;
  ms: number;
}

/**
 * Many members' MRIs in one tenant, named by their owners' ids in one comma-separated string, as
 * Postgres aggregates an author's friends (items.ts loadItemsWithFriends). Fan-out hands the
 * list on as it came instead of splitting it into refs and each ref into its key (mri-list.ts).
 */
export interface MriList {
  tenant: string;
  /** Member ids, comma-separated: no spaces, none empty. */
  owners: string;
  /** How many ids `owners` holds. */
  count: number;
}

/** One entry for many timelines (a fan-out: one event, every recipient's MRI). */
export interface TimelineWrite extends TimelineItem {
  timelines: TimelineRef[];
  /** These members' MRIs too. */
  mris?: MriList;
}

export type TimelineState = 'ready' | 'building' | 'missing';

export interface TimelinePage {
  /** 'missing' or 'building': the entries are not to be trusted (readers use Postgres). */
  state: TimelineState;
  entries: TimelineEntry[];
  /**
   * Set when the timeline was trimmed (or its rebuild loaded as many entries as it keeps): the
   * millisecond of the oldest entry it kept then. It returns nothing older, and it may lack
   * entries of that millisecond and before: Postgres has them (streams/page.ts readOn reads
   * on there). Null: the timeline is complete.
   */
  truncatedAtMs: number | null;
}

export interface TimelineStore {
  /**
   * Adds each entry to its timelines where they exist (others are skipped: they are rebuilt when
   * read) and trims each. Idempotent: re-adding an entry changes nothing. Returns how many
   * (entry, timeline) pairs landed.
   */
  add(writes: TimelineWrite[]): Promise<number>;
  /**
   * Up to `limit` entries, newest first, strictly older than `olderThan` when given, and (when
   * `sinceMs` is given) none from before that millisecond: a pull needs only the page's window.
   * Also says the timeline's state and, being a read, renews its expiry (one round trip).
   */
  page(timeline: TimelineRef, olderThan: bigint | null, limit: number, sinceMs?: number): Promise<TimelinePage>;
  /** Removes the entries from each of the timelines (a deleted item from everyone who got it). */
  remove(timelines: TimelineRef[], entries: TimelineEntry[]): Promise<void>;
  /** Whether the timeline is complete, being rebuilt, or absent; renews its expiry when present. */
  state(timeline: TimelineRef): Promise<TimelineState>;
  /** Creates the timeline (BUILDING) if it is missing, so fan-out lands in it during a rebuild. */
  beginRebuild(timeline: TimelineRef): Promise<void>;
  /** Adds the rebuilt entries and marks the timeline READY. */
  completeRebuild(timeline: TimelineRef, items: TimelineItem[]): Promise<void>;
  /** Drops a whole timeline (a purged member's, or a test simulating loss). */
  clear(timeline: TimelineRef): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface TimelineOptions {
  /** Entries kept per timeline (oldest trimmed). */
  maxLength: number;
  /** A timeline nobody reads for this long expires; its owner's next read rebuilds it. */
  idleTtlMs: number;
  /** Put before every key (the deployment's REDIS_KEY_PREFIX and a colon), so deployments can share a Redis. */
  keyPrefix?: string;
}

/**
 * The prefix of every timeline key; its number is the layout's (redis-timeline-scripts.ts). A new
 * layout takes a new number, so a deployment never reads keys of the old one: they expire after
 * the idle time, and each reader's timeline is rebuilt from Postgres on its first read. (Layout 1
 * kept sorted sets.)
 */
export const TIMELINE_KEY_PREFIX = 'tl2:';

/**
 * Redis key of a timeline. The `{...}` hash tag keeps one timeline in one cluster slot; the
 * tenant prefix keeps tenants apart.
 */
export function timelineKey(ref: TimelineRef): string {
  switch (ref.kind) {
    case 'public':
      return `${TIMELINE_KEY_PREFIX}{${ref.tenant}}:public`;
    case 'tag':
      return `${TIMELINE_KEY_PREFIX}{${ref.tenant}:#${ref.owner}}:tag`;
    case 'place':
      return `${TIMELINE_KEY_PREFIX}{${ref.tenant}:@${ref.owner}}:place`;
    default:
      return `${TIMELINE_KEY_PREFIX}{${ref.tenant}:${ref.owner}}:${ref.kind}`;
  }
}

/** An MRI's key is mriKeyPrefix(tenant) + owner + MRI_KEY_SUFFIX (timelineKey): what a script needs to name each MRI of a list. */
export const MRI_KEY_SUFFIX = '}:mri';
export function mriKeyPrefix(tenant: string): string {
  return `${TIMELINE_KEY_PREFIX}{${tenant}:`;
}

/** Orders ids newest first; ids are k-sorted, so bigint order is time order. */
export function compareIdsDesc(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x > y ? -1 : x < y ? 1 : 0;
}
