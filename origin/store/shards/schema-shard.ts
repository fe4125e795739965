// Tables on every physical shard database. Each row belongs to one logical shard: the shard of
// the member who owns it (derivable from the id), so rows move with their member.
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const members = pgTable(
  'members',
  {
    tenantId: text('tenant_id').notNull(),
    id: bigint('id', { mode: 'bigint' }).notNull(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    bio: text('bio').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Pending requests, stored on both members' shards: 'out' on the sender's, 'in' on the recipient's. */
export const friendRequests = pgTable(
  'friend_requests',
  {
    tenantId: text('tenant_id').notNull(),
    ownerId: bigint('owner_id', { mode: 'bigint' }).notNull(),
    otherId: bigint('other_id', { mode: 'bigint' }).notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.otherId] })],
);

/** Each friendship is two rows, one on each member's shard, so either side lists friends locally. */
export const friendships = pgTable(
  'friendships',
  {
    tenantId: text('tenant_id').notNull(),
    memberId: bigint('member_id', { mode: 'bigint' }).notNull(),
    friendId: bigint('friend_id', { mode: 'bigint' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.memberId, t.friendId] })],
);

/** The item store: every event is stored once, on its actor's shard. */
export const items = pgTable(
  'items',
  {
    tenantId: text('tenant_id').notNull(),
    id: bigint('id', { mode: 'bigint' }).notNull(),
    actorId: bigint('actor_id', { mode: 'bigint' }).notNull(),
    verb: text('verb').notNull(),
    audience: text('audience', { enum: ['public', 'friends'] }).notNull(),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('items_actor_idx').on(t.tenantId, t.actorId, t.id.desc())],
);

/**
 * Transactional outbox: written in the same transaction as the item, relayed to the queue
 * afterwards. Nothing committed can be lost between the write and its fan-out.
 */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'bigint' }).primaryKey(),
    tenantId: text('tenant_id').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, string>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  },
  (t) => [index('outbox_pending_idx').on(t.seq).where(sql`dispatched_at IS NULL`)],
);
