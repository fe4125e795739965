// The directory (master lookup): the one database every shard router consults for things that
// cannot be derived from an id — which tenant owns a host, which id a username maps to, and
// which id-generator slots are leased.
import { sql } from 'drizzle-orm';
import { bigint, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import type { Switches } from '../../../shared/switches.js';

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  switches: jsonb('switches').$type<Partial<Switches>>().notNull().default({}),
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
