// Tables on every physical shard database. Every row belongs to one member — its owner — and
// lives on the owner's logical shard, so a member's rows move together (see OWNED_TABLES).
// The large append-mostly tables (items, messages, notifications, outbox) are partitioned by
// time in the migration SQL: items, messages and notifications by id range (ids are k-sorted by
// time), the outbox by created_at. drizzle sees them as ordinary tables.
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const deletedAt = () => timestamp('deleted_at', { withTimezone: true });
const id = (name: string) => bigint(name, { mode: 'bigint' });

export const members = pgTable(
  'members',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    bio: text('bio').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    /**
     * Denormalised, kept in step by friendship writes, repaired by the consistency checker.
     * (There is deliberately no post counter: it would be a third write on the post path.)
     */
    friendCount: integer('friend_count').notNull().default(0),
    /** Raised to end every session of the member at once (log out everywhere, new password, deletion). */
    sessionVersion: integer('session_version').notNull().default(1),
    /** Sessions ended one by one (a log-out), [session id, ended at ms]; pruned (members/sessions.ts). */
    endedSessions: jsonb('ended_sessions').$type<[string, number][]>().notNull().default([]),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('members_display_name_idx').on(t.tenantId, sql`lower(${t.displayName}) text_pattern_ops`),
    index('members_username_idx').on(t.tenantId, sql`${t.username} text_pattern_ops`),
  ],
);

/** Pending requests, stored on both members' shards: 'out' on the sender's, 'in' on the recipient's. */
export const friendRequests = pgTable(
  'friend_requests',
  {
    tenantId: text('tenant_id').notNull(),
    ownerId: id('owner_id').notNull(),
    otherId: id('other_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.otherId] })],
);

/** Each friendship is two rows, one on each member's shard, so either side lists friends locally. */
export const friendships = pgTable(
  'friendships',
  {
    tenantId: text('tenant_id').notNull(),
    memberId: id('member_id').notNull(),
    friendId: id('friend_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.memberId, t.friendId] })],
);

/** Blocks, stored on both shards like requests: 'out' = owner blocked other, 'in' = other blocked owner. */
export const blocks = pgTable(
  'blocks',
  {
    tenantId: text('tenant_id').notNull(),
    ownerId: id('owner_id').notNull(),
    otherId: id('other_id').notNull(),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.otherId, t.direction] })],
);

/** Mutes, on the muter's shard: the muted member's events stay out of the muter's streams. */
export const mutes = pgTable(
  'mutes',
  {
    tenantId: text('tenant_id').notNull(),
    ownerId: id('owner_id').notNull(),
    otherId: id('other_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.otherId] })],
);

/** Custom friend lists (audiences such as "close friends"), on the owner's shard. */
export const friendLists = pgTable(
  'friend_lists',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    ownerId: id('owner_id').notNull(),
    name: text('name').notNull(),
    memberIds: jsonb('member_ids').$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const AUDIENCES = ['public', 'friends', 'only_me', 'list'] as const;

/** The item store: every event (status, photo, comment, like, ...) is stored once, on its actor's shard. */
export const items = pgTable(
  'items',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    actorId: id('actor_id').notNull(),
    verb: text('verb').notNull(),
    /** What the event is about (e.g. the photo that was liked); null for self-contained posts. */
    objectId: id('object_id'),
    targetId: id('target_id'),
    audience: text('audience', { enum: AUDIENCES }).notNull(),
    audienceListId: id('audience_list_id'),
    text: text('text').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('items_actor_idx').on(t.tenantId, t.actorId, t.id.desc()),
    // No index for the public stream: it lives in a timeline and is rebuilt from the shards only
    // when lost (by primary-key order), and every index here is paid on every post. Hashtag and
    // place streams do need theirs: a visitor can ask for any tag, and without an index every
    // miss scanned every public item of every shard. Partial, so only public posts pay for them.
    index('items_public_tags_idx')
      .using('gin', sql`(${t.data}->'tags')`)
      .where(sql`audience = 'public' AND deleted_at IS NULL`),
    index('items_public_place_idx')
      .on(t.tenantId, sql`(${t.data}->>'placeSlug')`, t.id.desc())
      .where(sql`audience = 'public' AND deleted_at IS NULL`),
  ],
);

/** Comments live with the item they belong to (on the item owner's shard) so a thread reads locally. */
export const comments = pgTable(
  'comments',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    itemId: id('item_id').notNull(),
    itemOwnerId: id('item_owner_id').notNull(),
    authorId: id('author_id').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index('comments_item_idx').on(t.tenantId, t.itemId, t.id)],
);

export const likes = pgTable(
  'likes',
  {
    tenantId: text('tenant_id').notNull(),
    itemId: id('item_id').notNull(),
    itemOwnerId: id('item_owner_id').notNull(),
    memberId: id('member_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.itemId, t.memberId] })],
);

/** One row per participant, on that participant's shard (a mailbox, like email). */
export const conversations = pgTable(
  'conversations',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    ownerId: id('owner_id').notNull(),
    otherIds: jsonb('other_ids').$type<string[]>().notNull(),
    lastMessageId: id('last_message_id'),
    unread: integer('unread').notNull().default(0),
    createdAt: createdAt(),
    deletedAt: deletedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.ownerId, t.id] })],
);

/** Each participant's copy of a message, on their shard. */
export const messages = pgTable(
  'messages',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    ownerId: id('owner_id').notNull(),
    conversationId: id('conversation_id').notNull(),
    senderId: id('sender_id').notNull(),
    text: text('text').notNull(),
    createdAt: createdAt(),
    readAt: timestamp('read_at', { withTimezone: true }),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.ownerId, t.id] }),
    index('messages_conversation_idx').on(t.tenantId, t.ownerId, t.conversationId, t.id.desc()),
  ],
);

export const notifications = pgTable(
  'notifications',
  {
    tenantId: text('tenant_id').notNull(),
    id: id('id').notNull(),
    memberId: id('member_id').notNull(),
    kind: text('kind').notNull(),
    actorId: id('actor_id').notNull(),
    itemId: id('item_id'),
    createdAt: createdAt(),
    seenAt: timestamp('seen_at', { withTimezone: true }),
    readAt: timestamp('read_at', { withTimezone: true }),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.memberId, t.id] }),
    index('notifications_member_idx').on(t.tenantId, t.memberId, t.id.desc()),
  ],
);

/**
 * Transactional outbox: written in the same transaction as the change it announces, relayed to
 * the queue afterwards. Nothing committed can be lost between the write and its fan-out.
 */
export const outbox = pgTable(
  'outbox',
  {
    seq: bigserial('seq', { mode: 'bigint' }).notNull(),
    tenantId: text('tenant_id').notNull(),
    ownerId: id('owner_id').notNull(),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, string>>().notNull(),
    createdAt: createdAt(),
    /** When the record was last handed to the queue. */
    dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
    /** When its job finished: until then the relay hands it to the queue again (jobs/outbox-relay.ts). */
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** How often it was handed to the queue: the wait before the next redelivery doubles with each. */
    attempts: smallint('attempts').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.seq, t.createdAt] }),
    // Small: records are done within moments of their commit.
    index('outbox_undone_idx').on(t.createdAt).where(sql`done_at IS NULL`),
  ],
);

/**
 * Write fence used while a logical shard (or one member) moves to another database: once the
 * move flips, writers that still route here see the fence and retry on the new database.
 */
export const shardFences = pgTable('shard_fences', {
  key: text('key').primaryKey(),
  logicalShard: smallint('logical_shard').notNull(),
  memberId: id('member_id'),
  movedTo: text('moved_to').notNull(),
  createdAt: createdAt(),
});

/**
 * Every member-owned table: which column names the owning member, and the primary key. Moves,
 * purges and consistency checks walk this list, so a new table only needs an entry here.
 */
export const OWNED_TABLES = [
  { table: 'members', owner: 'id', pk: ['tenant_id', 'id'] },
  { table: 'friend_requests', owner: 'owner_id', pk: ['tenant_id', 'owner_id', 'other_id'] },
  { table: 'friendships', owner: 'member_id', pk: ['tenant_id', 'member_id', 'friend_id'] },
  { table: 'blocks', owner: 'owner_id', pk: ['tenant_id', 'owner_id', 'other_id', 'direction'] },
  { table: 'mutes', owner: 'owner_id', pk: ['tenant_id', 'owner_id', 'other_id'] },
  { table: 'friend_lists', owner: 'owner_id', pk: ['tenant_id', 'id'] },
  { table: 'items', owner: 'actor_id', pk: ['tenant_id', 'id'] },
  { table: 'comments', owner: 'item_owner_id', pk: ['tenant_id', 'id'] },
  { table: 'likes', owner: 'item_owner_id', pk: ['tenant_id', 'item_id', 'member_id'] },
  { table: 'conversations', owner: 'owner_id', pk: ['tenant_id', 'owner_id', 'id'] },
  { table: 'messages', owner: 'owner_id', pk: ['tenant_id', 'owner_id', 'id'] },
  { table: 'notifications', owner: 'member_id', pk: ['tenant_id', 'member_id', 'id'] },
  { table: 'outbox', owner: 'owner_id', pk: ['seq', 'created_at'] },
] as const;

export type OwnedTable = (typeof OWNED_TABLES)[number];

/** Tables partitioned by time, and how: by id range (k-sorted ids) or by created_at. */
export const PARTITIONED_TABLES = [
  { table: 'items', by: 'id' },
  { table: 'messages', by: 'id' },
  { table: 'notifications', by: 'id' },
  { table: 'outbox', by: 'created_at' },
] as const;
