// What every reader in this process consults before pulling from originators: the activity
// filter (who published when) and the celebrities (authors above their tenant's limit, whose
// events are pulled at read time instead of pushed). Shared by all requests, kept current from
// the activity bus, rebuilt from the shards on start (origin/activity/rebuild.ts).

import type { ActivityBus, ActivityMessage } from './activity-bus.js';
import { ActivityFilter } from './activity-filter.js';

const POSTED_BATCH_MS = 5;

export class ActivityIndex {
  readonly filter: ActivityFilter;
  /** tenant -> member ids above the tenant's limit. Few per tenant by definition. */
  private readonly celebrities = new Map<string, Set<string>>();
  /** Set when the filter overflowed: it then answers "maybe active" for everyone (safe, slower). */
  private saturated = false;
  private readonly itemListeners: ((tenant: string, item: bigint) => void)[] = [];
  private readonly memberListeners: ((tenant: string, member: bigint) => void)[] = [];
  /** Posts recorded here and not yet announced: one message for all within POSTED_BATCH_MS. */
  private pendingPosts: [string, number][] = [];
  private pendingFlush: Promise<void> | null = null;

  constructor(
    private readonly bus: ActivityBus,
    expectedMembers: number,
  ) {
    this.filter = new ActivityFilter(expectedMembers);
  }

  async start(): Promise<void> {
    await this.bus.subscribe((m) => this.apply(m));
  }

  /**
   * A member published: recorded here at once, announced to the other processes within
   * POSTED_BATCH_MS together with whatever else was published meanwhile (a message per post cost
   * a publish and a parse in every process; the filter counts in minutes anyway).
   */
  notePosted(member: bigint, ms: number): Promise<void> {
    this.record(member.toString(), ms);
    this.pendingPosts.push([member.toString(), ms]);
    this.pendingFlush ??= new Promise<void>((resolve) => setTimeout(resolve, POSTED_BATCH_MS)).then(async () => {
      const posts = this.pendingPosts;
      this.pendingPosts = [];
      this.pendingFlush = null;
      await this.bus.publish(
        posts.length === 1
          ? { kind: 'posted', member: posts[0]![0], ms: posts[0]![1] }
          : { kind: 'posted-many', posts },
      );
    });
    return this.pendingFlush;
  }

  private record(member: string, ms: number): void {
    if (this.saturated) return;
    try {
      this.filter.record(BigInt(member), ms);
    } catch {
      this.saturated = true;
    }
  }

  async setCelebrity(tenant: string, member: bigint, on: boolean): Promise<void> {
    const message: ActivityMessage = { kind: 'celebrity', tenant, member: member.toString(), on };
    this.apply(message);
    await this.bus.publish(message);
  }

  /** An item changed (deleted, restored, new audience): every process (this one at once) hears of it. */
  async noteItemChanged(tenant: string, item: bigint): Promise<void> {
    const message: ActivityMessage = { kind: 'item-changed', tenant, item: item.toString() };
    this.apply(message);
    await this.bus.publish(message);
  }

  onItemChanged(listener: (tenant: string, item: bigint) => void): void {
    this.itemListeners.push(listener);
  }

  /** A member's profile or sessions changed: every process (this one at once) hears of it. */
  async noteMemberChanged(tenant: string, member: bigint): Promise<void> {
    const message: ActivityMessage = { kind: 'member-changed', tenant, member: member.toString() };
    this.apply(message);
    await this.bus.publish(message);
  }

  onMemberChanged(listener: (tenant: string, member: bigint) => void): void {
    this.memberListeners.push(listener);
  }

  apply(message: ActivityMessage): void {
    if (message.kind === 'item-changed') {
      for (const listener of this.itemListeners) listener(message.tenant, BigInt(message.item));
      return;
    }
    if (message.kind === 'member-changed') {
      for (const listener of this.memberListeners) listener(message.tenant, BigInt(message.member));
      return;
    }
    if (message.kind === 'posted') {
      this.record(message.member, message.ms);
      return;
    }
    if (message.kind === 'posted-many') {
      for (const [member, ms] of message.posts) this.record(member, ms);
      return;
    }
    let set = this.celebrities.get(message.tenant);
    if (!set) {
      set = new Set();
      this.celebrities.set(message.tenant, set);
    }
    if (message.on) set.add(message.member);
    else set.delete(message.member);
  }

  isCelebrity(tenant: string, member: bigint): boolean {
    return this.celebrities.get(tenant)?.has(member.toString()) ?? false;
  }

  celebritiesOf(tenant: string): string[] {
    return [...(this.celebrities.get(tenant) ?? [])];
  }

  /** The celebrities among `members` (the ones a reader pulls from). */
  celebritiesAmong(tenant: string, members: readonly bigint[]): bigint[] {
    const set = this.celebrities.get(tenant);
    if (!set || set.size === 0) return [];
    return members.filter((m) => set.has(m.toString()));
  }

  /**
   * Which of `members` may have published after `sinceMs` (never misses one that did). A member
   * never seen counts as active: a record lost on the way (a flushed queue) must not hide posts.
   */
  activeSince(members: readonly bigint[], sinceMs: number): bigint[] {
    return this.saturated ? [...members] : this.filter.activeSince(members, sinceMs, true);
  }

  lastActive(member: bigint): number | null {
    return this.filter.lastActive(member);
  }

  /** Forgets everything (before a rebuild). */
  reset(): void {
    this.celebrities.clear();
    this.saturated = false;
    this.filter.clear();
  }

  async close(): Promise<void> {
    await this.pendingFlush?.catch(() => {});
    await this.bus.close();
  }
}
