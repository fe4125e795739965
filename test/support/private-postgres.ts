// A PostgreSQL server of a test's own (initdb into a temporary folder, on a free loopback port),
// which the test can stop — the server process exits, its connections break — and start again
// on the same port with its data, as a crashed or restarted shard database would. The machine's
// PostgreSQL, shared with every other suite, is never touched. Needs Debian's PostgreSQL binaries
// (the same package as the machine's server); as root they run as the postgres user.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { freePort } from './edge-process.js';

export interface PrivatePostgres {
  port: number;
  /** A postgres:// URL of database `name` on this server. */
  url(name: string): string;
  createDatabase(name: string): Promise<string>;
  /** Stops the server at once (immediate mode: like a crash; connections break). */
  stop(): void;
  start(): void;
  close(): void;
}

function binaries(): string {
  const root = '/usr/lib/postgresql';
  const version = existsSync(root) ? readdirSync(root).sort().at(-1) : undefined;
  if (!version) throw new Error(`no PostgreSQL binaries under ${root} (apt-get install postgresql)`);
  return join(root, version, 'bin');
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binaries();
  const dir = mkdtempSync(join(tmpdir(), 'chorus-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  if (asRoot)
    chownSync(dir, Number(run('id', ['-u', 'postgres']).trim()), Number(run('id', ['-g', 'postgres']).trim()));
  const pg = (tool: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, tool), ...args]) : run(join(bin, tool), args);

  pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const start = () =>
    pg('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`,
      'start',
    ]);
  start();
  const url = (name: string) => `postgres://postgres@127.0.0.1:${port}/${name}`;
  let running = true;
  return {
    port,
    url,
    async createDatabase(name) {
      const sql = postgres(url('postgres'), { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`create database "${name}"`);
      } finally {
        await sql.end();
      }
      return url(name);
    },
    stop() {
      if (!running) return;
      pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      running = false;
    },
    start() {
      if (running) return;
      start();
      running = true;
    },
    close() {
      try {
        if (running) pg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.error ?? r.stderr}`);
  return r.stdout;
}
