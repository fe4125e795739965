// A fingerprint of everything members can change, for "bad input changes nothing": per table a
// row count and an md5 over the rows (as text, in a fixed order) of the given tenants, on every
// database the origin uses. Runs through the origin's own database handles, so it works on real
// PostgreSQL and on embedded PGlite alike. Other test files' tenants are left out, so suites
// running in parallel cannot disturb it.
import type { Database } from '../../../origin/store/shards/database.js';
import { OWNED_TABLES } from '../../../origin/store/shards/schema-shard.js';

/** Directory tables a request could write, and the column naming their tenant. */
const DIRECTORY_TABLES = [
  { table: 'tenants', tenant: 'id' },
  { table: 'tenant_hosts', tenant: 'tenant_id' },
  { table: 'member_names', tenant: 'tenant_id' },
  { table: 'member_emails', tenant: 'tenant_id' },
  { table: 'moved_members', tenant: 'tenant_id' },
] as const;

const SHARD_TABLES = OWNED_TABLES.map((t) => ({ table: t.table, tenant: 'tenant_id' }));

export type Fingerprint = Map<string, string>;

export class DatabaseFingerprint {
  private readonly statements = new Map<Database, string>();

  /** `tenants`: every tenant id a request may name (unknown ones too: a write there is a change). */
  constructor(
    private readonly databases: () => Database[],
    private readonly tenants: readonly string[],
  ) {}

  async take(): Promise<Fingerprint> {
    const out: Fingerprint = new Map();
    await Promise.all(
      this.databases().map(async (db) => {
        const rows = await db.rows<{ t: string; n: number; h: string }>(await this.statement(db), [[...this.tenants]]);
        for (const r of rows) out.set(`${db.name}.${r.t}`, `${r.n}:${r.h}`);
      }),
    );
    return out;
  }

  /** Tables whose rows differ between two fingerprints, with their counts. */
  static diff(before: Fingerprint, after: Fingerprint): string[] {
    const keys = new Set([...before.keys(), ...after.keys()]);
    const changed: string[] = [];
    for (const key of [...keys].sort()) {
      const a = before.get(key);
      const b = after.get(key);
      if (a !== b)
        changed.push(`${key}: ${count(a)} -> ${count(b)} rows${count(a) === count(b) ? ' (rows changed)' : ''}`);
    }
    return changed;
  }

  /** One statement per database over the tables it has (the embedded database has them all). */
  private async statement(db: Database): Promise<string> {
    const known = this.statements.get(db);
    if (known) return known;
    const present = new Set(
      (
        await db.rows<{ name: string }>(
          "select table_name as name from information_schema.tables where table_schema = 'public'",
        )
      ).map((r) => r.name),
    );
    const parts = [...DIRECTORY_TABLES, ...SHARD_TABLES]
      .filter((t) => present.has(t.table))
      .map(
        (t) =>
          `select '${t.table}' as t, count(*)::int as n, ` +
          `md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h ` +
          `from ${t.table} x where x.${t.tenant} = any($1::text[])`,
      );
    const text = parts.join(' union all ');
    this.statements.set(db, text);
    return text;
  }
}

function count(value: string | undefined): string {
  return value === undefined ? 'absent' : value.split(':')[0]!;
}
