// In-process timelines for `npm start` without Redis. Same contract as RedisTimelines.
import {
  compareIdsDesc,
  type TimelineRef,
  type TimelineStore,
  type TimelineWrite,
  timelineKey,
} from './timeline-store.js';

export class MemoryTimelines implements TimelineStore {
  /** key -> ids sorted newest first. */
  private readonly timelines = new Map<string, string[]>();

  constructor(private readonly maxLength: number) {}

  async add(writes: TimelineWrite[]): Promise<void> {
    for (const w of writes) {
      const key = timelineKey(w.timeline);
      const list = this.timelines.get(key) ?? [];
      if (!list.includes(w.itemId)) {
        list.push(w.itemId);
        list.sort(compareIdsDesc);
        if (list.length > this.maxLength) list.length = this.maxLength;
      }
      this.timelines.set(key, list);
    }
  }

  async page(timeline: TimelineRef, olderThan: bigint | null, limit: number): Promise<string[]> {
    const list = this.timelines.get(timelineKey(timeline)) ?? [];
    const start = olderThan === null ? 0 : list.findIndex((id) => BigInt(id) < olderThan);
    return start < 0 ? [] : list.slice(start, start + limit);
  }

  async remove(timeline: TimelineRef, itemIds: string[]): Promise<void> {
    const key = timelineKey(timeline);
    const list = this.timelines.get(key);
    if (list)
      this.timelines.set(
        key,
        list.filter((id) => !itemIds.includes(id)),
      );
  }

  async exists(timeline: TimelineRef): Promise<boolean> {
    return (this.timelines.get(timelineKey(timeline))?.length ?? 0) > 0;
  }

  async clear(timeline: TimelineRef): Promise<void> {
    this.timelines.delete(timelineKey(timeline));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.timelines.clear();
  }
}
