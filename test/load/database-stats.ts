// Where PostgreSQL's time went during the run, from pg_stat_statements (reset when the measured
// window opens, read when it closes): total execution time on the load test's databases and the
// statements that took most of it. The extension must be preloaded
// (shared_preload_libraries = 'pg_stat_statements'); without it the figures are absent, not zero.
import postgres from 'postgres';
import { benchUrl } from '../bench/support.js';

export interface TopStatement {
  query: string;
  calls: number;
  totalMs: number;
  meanMs: number;
}

export interface DatabaseStats {
  available: boolean;
  totalExecMs: number;
  calls: number;
  top: TopStatement[];
}

export function databaseStats() {
  const sql = postgres(benchUrl('postgres'), { max: 1, onnotice: () => {} });
  let available = false;
  return {
    async reset(): Promise<void> {
      try {
        await sql`create extension if not exists pg_stat_statements`;
        await sql`select pg_stat_statements_reset()`;
        available = true;
      } catch {
        available = false; // not preloaded on this server
      }
    },
    async read(): Promise<DatabaseStats> {
      if (!available) return { available, totalExecMs: 0, calls: 0, top: [] };
      const rows = await sql<{ query: string; calls: string; total: number }[]>`
        select s.query, s.calls::text as calls, s.total_exec_time as total
        from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname like 'chorus_load%'
        order by s.total_exec_time desc`;
      const totalExecMs = rows.reduce((n, r) => n + r.total, 0);
      return {
        available,
        totalExecMs: Math.round(totalExecMs),
        calls: rows.reduce((n, r) => n + Number(r.calls), 0),
        top: rows.slice(0, 10).map((r) => ({
          query: r.query.replace(/\s+/g, ' ').slice(0, 160),
          calls: Number(r.calls),
          totalMs: Math.round(r.total),
          meanMs: Math.round((r.total / Number(r.calls)) * 100) / 100,
        })),
      };
    },
    close: () => sql.end(),
  };
}
