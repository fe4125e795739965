// Carries activity news between origin processes: "X published at T", "X is now a celebrity",
// "item I changed (deleted, restored, its audience)", "member M changed (profile, sessions)" so
// every process drops its cached copy.
// Every process keeps its own ActivityIndex; whichever process runs a fan-out job publishes, and
// all of them (itself included) apply the message. Losing a message only costs a wasted or a
// missed pull until the next rebuild; the index is rebuilt from the shards on start.
import { EventEmitter } from 'node:events';
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';

export const ActivityMessage = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('posted'), member: z.string(), ms: z.number() }),
  /** Several posts at once: a busy process batches its news (ActivityIndex.notePosted). */
  z.object({ kind: z.literal('posted-many'), posts: z.array(z.tuple([z.string(), z.number()])).max(10_000) }),
  z.object({ kind: z.literal('celebrity'), tenant: z.string(), member: z.string(), on: z.boolean() }),
  z.object({ kind: z.literal('item-changed'), tenant: z.string(), item: z.string() }),
  /** A member's profile or sessions changed: every process drops its cached copies. */
  z.object({ kind: z.literal('member-changed'), tenant: z.string(), member: z.string() }),
]);
export type ActivityMessage = z.infer<typeof ActivityMessage>;

export interface ActivityBus {
  publish(message: ActivityMessage): Promise<void>;
  subscribe(handler: (message: ActivityMessage) => void): Promise<void>;
  close(): Promise<void>;
}

/** One process: messages are delivered synchronously to local subscribers. */
export class InProcessActivityBus implements ActivityBus {
  private readonly emitter = new EventEmitter();

  async publish(message: ActivityMessage): Promise<void> {
    this.emitter.emit('message', message);
  }

  async subscribe(handler: (message: ActivityMessage) => void): Promise<void> {
    this.emitter.on('message', handler);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Redis pub/sub (a cluster broadcasts PUBLISH to every node, so this works there too). */
export class RedisActivityBus implements ActivityBus {
  constructor(
    private readonly publisher: Redis | Cluster,
    /** A connection of its own: a subscribed connection can do nothing else. */
    private readonly subscriber: Redis | Cluster,
    private readonly channel = 'chorus:activity',
  ) {}

  async publish(message: ActivityMessage): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  async subscribe(handler: (message: ActivityMessage) => void): Promise<void> {
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      let parsed: ActivityMessage;
      try {
        parsed = ActivityMessage.parse(JSON.parse(text));
      } catch {
        return; // not ours or from a newer version; ignore
      }
      handler(parsed);
    });
    await this.subscriber.subscribe(this.channel);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
