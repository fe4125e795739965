// One physical PostgreSQL database behind a small interface, with two adapters: postgres.js for
// a real server and PGlite (embedded, WASM) for `npm start` on a bare machine.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

// Both drivers produce a PgDatabase; only the query-result type differs, which we never touch.
// biome-ignore lint/suspicious/noExplicitAny: the driver-specific result HKT is irrelevant to callers
export type Db = PgDatabase<PgQueryResultHKT, any>;

export interface Database {
  readonly name: string;
  readonly kind: 'postgres' | 'pglite';
  readonly db: Db;
  /** A streaming replica for reads that may be slightly stale, when one is configured. */
  readonly replica?: Database;
  /**
   * Runs raw SQL and returns rows; for the few hot paths where query building costs too much.
   * Without an answer within `timeoutMs` (the database's query timeout by default) the query is
   * cancelled on the server and the call fails with ShardUnavailableError.
   */
  rows<T extends Record<string, unknown>>(text: string, params?: unknown[], opts?: QueryOptions): Promise<T[]>;
  /** Raw SQL inside one transaction. */
  transaction<T>(fn: (rows: RowsFn) => Promise<T>): Promise<T>;
  ping(timeoutMs?: number): Promise<void>;
  /** Calls `onNotify` for every NOTIFY on `channel` (reconnecting as needed) until the returned stop. */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  migrate(folder: string, table: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Raw-query parameters: arrays become Postgres array literals (cast them in SQL, e.g. $1::int[]),
 * because neither driver can infer an element type for an empty or text array.
 */
function toParams(params: unknown[]): unknown[] {
  return params.map((p) => (Array.isArray(p) ? arrayLiteral(p) : p));
}

function arrayLiteral(values: unknown[]): string {
  const items = values.map((v) =>
    v === null || v === undefined ? 'NULL' : `"${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`,
  );
  return `{${items.join(',')}}`;
}

export type RowsFn = <T extends Record<string, unknown>>(text: string, params?: unknown[]) => Promise<T[]>;

export interface QueryOptions {
  /** Give up (and cancel the query on the server) after this long. */
  timeoutMs?: number;
}

export interface PostgresOptions {
  name: string;
  url: string;
  maxConnections?: number;
  /** URL of a read replica of this database. */
  replicaUrl?: string;
  /** The server cancels any statement running longer (statement_timeout); none when unset. */
  statementTimeoutMs?: number;
  /** rows() gives up waiting after this long: a stopped or hung server must not hang callers. */
  queryTimeoutMs?: number;
}

export function openPostgres(opts: PostgresOptions): Database {
  const client = postgres(opts.url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 30,
    connection: {
      // Same rendering of timestamps on every database (the mover compares row fingerprints).
      TimeZone: 'UTC',
      // Nothing holds a connection (or its row locks) for long: a runaway statement is cancelled,
      // and so is a transaction whose client went quiet in the middle.
      ...(opts.statementTimeoutMs
        ? {
            statement_timeout: opts.statementTimeoutMs,
            idle_in_transaction_session_timeout: Math.max(30_000, 3 * opts.statementTimeoutMs),
          }
        : {}),
    },
    // Postgres bigints come back as JS bigint so 64-bit ids stay exact.
    types: { bigint: postgres.BigInt },
  });
  const db = drizzlePostgres(client) as unknown as Db;
  const replica = opts.replicaUrl
    ? openPostgres({ ...opts, name: `${opts.name}-replica`, url: opts.replicaUrl, replicaUrl: undefined })
    : undefined;
  return {
    name: opts.name,
    kind: 'postgres',
    db,
    replica,
    async rows<T extends Record<string, unknown>>(text: string, params: unknown[] = [], q: QueryOptions = {}) {
      // Prepared: one round trip and a cached plan per connection for the fixed hot-path statements.
      const query = client.unsafe(text, toParams(params) as postgres.ParameterOrJSON<never>[], { prepare: true });
      const timeoutMs = q.timeoutMs ?? opts.queryTimeoutMs;
      if (!timeoutMs) return (await query) as unknown as T[];
      let timer: NodeJS.Timeout | undefined;
      try {
        return (await Promise.race([
          query,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              // The server stops working on it too (a scatter-gather past its deadline, a hung shard).
              query.cancel();
              reject(new ShardUnavailableError(opts.name, new Error(`no answer in ${timeoutMs} ms`)));
            }, timeoutMs);
          }),
        ])) as unknown as T[];
      } finally {
        clearTimeout(timer);
      }
    },
    async transaction<T>(fn: (rows: RowsFn) => Promise<T>): Promise<T> {
      return (await client.begin((tx) =>
        fn(
          async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
            (await tx.unsafe(text, toParams(params) as postgres.ParameterOrJSON<never>[], {
              prepare: true,
            })) as unknown as R[],
        ),
      )) as T;
    },
    async ping(timeoutMs = 2000) {
      await withTimeout(client`select 1`, timeoutMs, opts.name);
    },
    async listen(channel, onNotify) {
      // postgres.js keeps one connection for its listeners and re-listens after reconnecting.
      const meta = await client.listen(channel, (payload) => onNotify(payload));
      return () => meta.unlisten();
    },
    async migrate(folder, table) {
      // A connection of its own without the statement timeout: building an index may take long.
      const migrator = postgres(opts.url, { max: 1, onnotice: () => {}, connection: { TimeZone: 'UTC' } });
      try {
        await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: folder, migrationsTable: table });
      } finally {
        await migrator.end({ timeout: 5 });
      }
    },
    async close() {
      await Promise.all([client.end({ timeout: 5 }), replica?.close()]);
    },
  };
}

export interface PgliteOptions {
  name: string;
  /** Directory for the data files; undefined keeps everything in memory (tests). */
  dataDir?: string;
}

const BIGINT_PARSER = { 20: (v: string) => BigInt(v) };

export async function openPglite(opts: PgliteOptions): Promise<Database> {
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const client = new PGlite(opts.dataDir);
  await client.waitReady;
  const db = drizzlePglite(client) as unknown as Db;
  return {
    name: opts.name,
    kind: 'pglite',
    db,
    async rows<T extends Record<string, unknown>>(text: string, params: unknown[] = []) {
      const result = await client.query<T>(text, toParams(params), { parsers: BIGINT_PARSER });
      return result.rows;
    },
    async transaction<T>(fn: (rows: RowsFn) => Promise<T>): Promise<T> {
      return client.transaction((tx) =>
        fn(async <R extends Record<string, unknown>>(text: string, params: unknown[] = []) => {
          const result = await tx.query<R>(text, toParams(params), { parsers: BIGINT_PARSER });
          return result.rows;
        }),
      );
    },
    async ping() {
      await client.query('select 1');
    },
    async listen(channel, onNotify) {
      return client.listen(channel, (payload) => onNotify(payload));
    },
    async migrate(folder, table) {
      await migratePglite(drizzlePglite(client), { migrationsFolder: folder, migrationsTable: table });
    },
    async close() {
      await client.close();
    },
  };
}

/** True for errors that mean "this database is not answering" rather than "this write is wrong". */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? (err as { cause?: { code?: string } })?.cause?.code ?? '';
  return [
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'CONNECT_TIMEOUT',
    'CONNECTION_CLOSED',
    'CONNECTION_ENDED',
    '57P01',
    '57P03',
  ].includes(code);
}

export class ShardUnavailableError extends Error {
  constructor(
    readonly shardName: string,
    cause?: unknown,
  ) {
    super(`shard ${shardName} is unavailable`, { cause });
  }
}

async function withTimeout<T>(promise: PromiseLike<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      Promise.resolve(promise),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ShardUnavailableError(name, new Error(`no answer in ${ms} ms`))), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
