// What a process started, read from /proc (Linux): to check that stopping it stopped all of it.
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';

export interface ProcessInfo {
  pid: number;
  /** Start time in clock ticks since boot: a pid reused by a new process has another. */
  startTime: string;
  command: string;
}

interface Stat {
  ppid: number;
  state: string;
  startTime: string;
}

function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields count from its end.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, ppid: Number(fields[1]), startTime: fields[19]! };
  } catch {
    return null;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Every process below `root` now (children, their children, ...). */
export function descendants(root: number): ProcessInfo[] {
  const byParent = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s) continue;
    byParent.set(s.ppid, [...(byParent.get(s.ppid) ?? []), pid]);
  }
  const found: ProcessInfo[] = [];
  const queue = [...(byParent.get(root) ?? [])];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    const s = stat(pid);
    if (!s) continue;
    found.push({ pid, startTime: s.startTime, command: commandLine(pid) });
    queue.push(...(byParent.get(pid) ?? []));
  }
  return found;
}

/** Still running: same process (not a reused pid) and not a zombie waiting to be reaped. */
export function alive(p: ProcessInfo): boolean {
  const s = stat(p.pid);
  return s !== null && s.startTime === p.startTime && s.state !== 'Z';
}

/** SIGKILL for whatever of `processes` is still running (cleanup after a failed test). */
export function killAll(processes: ProcessInfo[]): void {
  for (const p of processes) {
    if (!alive(p)) continue;
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** Polls until `done()` or the time is up; returns done()'s last answer. */
export async function eventually(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** True when nothing accepts a connection on 127.0.0.1:`port`. */
export function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}
