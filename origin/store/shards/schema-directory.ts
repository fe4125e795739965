// The directory (master lookup): what cannot be derived from an id — which tenant owns a host,
// which member a username or email names, members moved off their logical shard's database, the
// logical -> physical shard map, and which id-generator slots are leased. Feature switches live
// on the tenant row.
import { sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import type { Switches } from '../../../shared/switches.js';

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  switches: jsonb('switches').$type<Partial<Switches>>().notNull().default({}),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tenantHosts = pgTable('tenant_hosts', {
  host: text('host').primaryKey(),
  tenantId: text('tenant_id')
    .notNull()
    .references(() => tenants.id),
});

/** username -> member id, per tenant. The id carries the member's logical shard. */
export const memberNames = pgTable(
  'member_names',
  {
    tenantId: text('tenant_id').notNull(),
    username: text('username').notNull(),
    memberId: bigint('member_id', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.username] })],
);

export const memberEmails = pgTable(
  'member_emails',
  {
    tenantId: text('tenant_id').notNull(),
    email: text('email').notNull(),
    memberId: bigint('member_id', { mode: 'bigint' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.email] })],
);

/** Members whose rows live on another database than their logical shard's (moved singly). */
export const movedMembers = pgTable(
  'moved_members',
  {
    tenantId: text('tenant_id').notNull(),
    memberId: bigint('member_id', { mode: 'bigint' }).notNull(),
    physical: text('physical').notNull(),
    movedAt: timestamp('moved_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.memberId] })],
);

/** logical shard -> physical database name. Rows appear on first start (the default spread). */
export const shardMap = pgTable('shard_map', {
  logical: smallint('logical').primaryKey(),
  physical: text('physical').notNull(),
  version: integer('version').notNull().default(1),
});

/**
 * Id generator slots. A process leases one slot; it never mints an id stamped later than
 * `leaseUntilMs`, and a new holder only takes a slot whose lease has passed, so ids stay unique
 * across crashes and restarts without a round trip per id.
 */
export const idSlots = pgTable('id_slots', {
  slot: integer('slot').primaryKey(),
  holder: text('holder'),
  leaseUntilMs: bigint('lease_until_ms', { mode: 'number' }).notNull().default(sql`0`),
});

/** Progress of resumable batch jobs (consistency checks), so a restart continues where it stopped. */
export const jobCheckpoints = pgTable('job_checkpoints', {
  name: text('name').primaryKey(),
  state: jsonb('state').$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
