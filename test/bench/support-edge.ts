// Shared setup of the edge benchmarks (edge, pageweight): a local origin from the test harness
// (embedded services unless TEST_DATABASE_URL / TEST_REDIS_URL say otherwise) with a small
// community, the edge under `wrangler dev` in front of it, and a keep-alive HTTP load loop.
import { Agent, request } from 'node:http';
import { Visitor } from '../support/edge-process.js';
import {
  befriend,
  type Harness,
  serveHarness,
  signupMember,
  startHarness,
  TEST_SECRET,
} from '../support/origin-harness.js';

export const RICH_UA =
  'Mozilla/5.0 (Linux; Android 14; SM-A546B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36';
export const BASIC_UA = 'Nokia6300/2.0 (05.00) Profile/MIDP-2.0 Configuration/CLDC-1.1';
export const XHTML_ACCEPT = 'application/xhtml+xml,application/vnd.wap.xhtml+xml,text/html;q=0.9,*/*;q=0.8';
export const PASSWORD = 'correct horse';

const SENTENCES = [
  'Planted the tomatoes on the north bed today, finally.',
  'Anyone up for the Saturday market? We could share a stall & split the costs.',
  'The new bus timetable is out — the 7:40 is gone, which is a shame.',
  'Reading group moved to Thursday; bring the second half of the book.',
  'Lost a blue scarf near the library. If you found it, tell me!',
];

/** A post of about `length` characters made of everyday sentences. */
export function post(seed: number, length: number): string {
  let text = '';
  for (let i = seed; text.length < length; i++) text += `${SENTENCES[i % SENTENCES.length]} `;
  return text.slice(0, length).trim();
}

export interface EdgeBench {
  h: Harness;
  edge: { port: number; stop(): Promise<void> };
  host: string;
  /** The member whose home page is measured, with friends who post. */
  username: string;
  stop(): Promise<void>;
}

/** Origin + edge + a community: `reader` with 8 friends, 40 posts (public and for friends). */
export async function startEdgeBench(): Promise<EdgeBench> {
  const h = await startHarness();
  const origin = await serveHarness(h);
  const vars = {
    ORIGIN_URL: origin.url,
    ORIGIN_SECRET: TEST_SECRET,
    SESSION_SECRET: 'bench-session-secret-0123456789',
  };
  const edge = await startWrangler([], vars);
  const reader = await signupMember(h, 'reader', 'Rita Reader');
  const friends: string[] = [];
  for (let i = 0; i < 8; i++) {
    const id = await signupMember(h, `friend${i}`, `Friend Number ${i} Longname`);
    await befriend(h, id, reader);
    friends.push(id);
  }
  for (let i = 0; i < 40; i++) {
    const res = await h.call('POST', '/v1/posts', {
      member: friends[i % friends.length],
      body: { text: post(i, 120 + ((i * 37) % 360)), audience: i % 3 === 0 ? 'friends' : 'public' },
    });
    if (res.status !== 201) throw new Error(`post: ${res.status} ${await res.text()}`);
  }
  await h.settle();
  return {
    h,
    edge,
    host: `${h.tenantId}.test`,
    username: 'reader',
    async stop() {
      await edge.stop();
      await origin.close();
      await h.close();
    },
  };
}

/** A logged-in visitor (session cookie) on this device. */
export async function loggedIn(bench: EdgeBench, userAgent: string): Promise<Visitor> {
  const visitor = new Visitor(bench.edge.port, bench.host, userAgent);
  const res = await visitor.submit('/login', '/login', { username: bench.username, password: PASSWORD });
  if (res.status !== 200 || !res.body.includes('tier-')) throw new Error(`log in failed: ${res.status}`);
  return visitor;
}

export interface Hit {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bytes: number;
}

/** What the page cache did (HIT, MISS, STALE, BYPASS), from the response's Server-Timing. */
export function cacheStatusOf(headers: Hit['headers']): string {
  const timing = headers['server-timing'];
  return /(?:^|,)\s*cache;desc=([A-Z]+)/.exec(String(timing ?? ''))?.[1] ?? '';
}

/** One GET over a keep-alive agent; the body is read and counted, not kept. */
export function get(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<Hit> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent, timeout: 15_000 }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout GET ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * `concurrency` keep-alive loops GETting one URL for `seconds`; requests per second of answers
 * with status 200 (anything else counts as an error and stops the run after 100).
 */
export async function load(
  port: number,
  path: string,
  headers: Record<string, string>,
  seconds: number,
  concurrency: number,
  check?: (hit: Hit) => void,
): Promise<{ rps: number; requests: number; errors: number; seconds: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let requests = 0;
  let errors = 0;
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          try {
            const hit = await get(agent, port, path, headers);
            if (hit.status !== 200) throw new Error(`status ${hit.status}`);
            check?.(hit);
            requests++;
          } catch (err) {
            if (++errors > 100) throw err;
          }
        }
      }),
    );
  } finally {
    agent.destroy();
  }
  const elapsed = (performance.now() - started) / 1000;
  return { rps: requests / elapsed, requests, errors, seconds: elapsed };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Runs a worker under `wrangler dev` with `extra` arguments (a --config for the hello-world
 * baseline) and `vars` (the edge's settings). Logs at warn level, as a production colo would not
 * print every request to a terminal.
 */
export async function startWrangler(extra: string[], vars?: Record<string, string>) {
  const { startWrangler: start } = await import('../support/edge-process.js');
  return start(extra, 'warn', vars);
}
