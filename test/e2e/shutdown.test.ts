// SIGTERM while requests stream in, as a rolling deploy does it: a real origin process on the
// real services, clients on keep-alive connections reading and writing, and a load balancer
// probing /readyz that stops sending once it answers 503. No request may fail, one still being
// uploaded when the listener closes must finish, the process must exit 0 within its deadline, and
// every write it acknowledged must be in Postgres with its outbox record relayed.
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../shared/signing.js';
import { type Harness, signupMember, startHarness } from '../support/origin-harness.js';
import { type OriginProcess, startOriginProcess } from '../support/origin-process.js';
import { eventually, refusesConnections } from '../support/process-tree.js';
import { testDatabaseUrls, testRedisUrl } from '../support/services.js';

const SECRET = 'shutdown-test-secret-0123456789';
const CLIENTS = 4;
const DRAIN_MS = 1000;
const TIMEOUT_MS = 10_000;
const databases = testDatabaseUrls({ name: 'processes', shards: 2 });
const redisUrl = testRedisUrl();

interface Reply {
  status: number;
  body: string;
}

describe.skipIf(!databases || !redisUrl)('SIGTERM during requests', () => {
  let h: Harness;
  let origin: OriginProcess;
  const members: string[] = [];

  beforeAll(async () => {
    // Tenant and members come from an in-process origin on the same databases.
    h = await startHarness({ databases, processors: false, relay: false });
    for (let i = 0; i < CLIENTS; i++) members.push(await signupMember(h, `drain_${i}`));
    origin = await startOriginProcess({
      ORIGIN_SECRET: SECRET,
      DATABASE_URL: databases!.directory,
      DATABASE_URLS: databases!.shards.join(','),
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: `drain-${randomUUID().slice(0, 8)}`,
      DATABASE_POOL_SIZE: '2',
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_MS: String(DRAIN_MS),
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });

  afterAll(async () => {
    origin?.killGroup();
    await h?.close();
  });

  /** A signed request as the edge sends it, on `agent`'s keep-alive connection. */
  async function call(agent: Agent, method: string, path: string, member: string, body?: unknown): Promise<Reply> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const headers = await signedHeaders(SECRET, {
      method,
      pathWithQuery: path,
      body: text,
      tenant: h.tenantId,
      member,
      requestId: randomUUID(),
    });
    return send(agent, method, path, { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) }, text);
  }

  function send(
    agent: Agent,
    method: string,
    path: string,
    headers: Record<string, string>,
    body = '',
  ): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(`${origin.url}${path}`, { method, headers, agent, timeout: 10_000 }, (res) => {
        let data = '';
        res.setEncoding('utf8').on('data', (d: string) => {
          data += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      });
      req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${path}`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  it('drains, finishes what is in flight, exits 0, and keeps every acknowledged write', async () => {
    const failures: string[] = [];
    const posted: string[] = [];
    let stopSending = false;
    let sawUnready = false;
    const note = (what: string, r: Reply | Error, expected: number) => {
      if (r instanceof Error) failures.push(`${what}: ${r.message}`);
      else if (r.status !== expected) failures.push(`${what}: ${r.status} ${r.body.slice(0, 200)}`);
    };

    // The clients: each on one keep-alive connection, writing and reading until told to stop.
    const clients = members.map(async (member, i) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (let n = 0; !stopSending && failures.length === 0; n++) {
        const post = await call(agent, 'POST', '/v1/posts', member, { text: `drain ${i}.${n}` }).catch((e) => e);
        note('POST /v1/posts', post, 201);
        if (!(post instanceof Error) && post.status === 201) posted.push((JSON.parse(post.body) as { id: string }).id);
        note('GET home', await call(agent, 'GET', '/v1/streams/home?limit=10', member).catch((e) => e), 200);
        note('GET member', await call(agent, 'GET', `/v1/members/${member}`, member).catch((e) => e), 200);
      }
      agent.destroy();
    });

    // The load balancer: probes /readyz on a keep-alive connection of its own.
    const lbAgent = new Agent({ keepAlive: true, maxSockets: 1 });
    const unready = (async () => {
      for (;;) {
        const r = await send(lbAgent, 'GET', '/readyz', {}).catch((e: Error) => e);
        if (!(r instanceof Error) && r.status === 503) {
          expect(JSON.parse(r.body)).toEqual({ status: 'unavailable' });
          sawUnready = true;
          stopSending = true;
          return;
        }
        note('GET /readyz', r, 200);
        if (r instanceof Error) {
          stopSending = true;
          return;
        }
        await new Promise((res) => setTimeout(res, 50));
      }
    })();

    while (posted.length < 3 * CLIENTS && failures.length === 0) await new Promise((r) => setTimeout(r, 20));

    // A write whose body is still arriving when the listener closes: headers and a first part now,
    // the rest once the port refuses new connections.
    const slowBody = `${JSON.stringify({ text: 'uploaded across the close' })}${' '.repeat(200)}`;
    const slowHeaders = await signedHeaders(SECRET, {
      method: 'POST',
      pathWithQuery: '/v1/posts',
      body: slowBody,
      tenant: h.tenantId,
      member: members[0]!,
      requestId: randomUUID(),
    });
    const slowReply = new Promise<Reply>((resolve, reject) => {
      const req = request(
        `${origin.url}/v1/posts`,
        {
          method: 'POST',
          agent: false,
          headers: { ...slowHeaders, 'content-type': 'application/json', 'content-length': String(slowBody.length) },
        },
        (res) => {
          let data = '';
          res.setEncoding('utf8').on('data', (d: string) => {
            data += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
        },
      );
      req.on('error', reject);
      req.write(slowBody.slice(0, 10));
      void eventually(() => refusesConnections(origin.port), TIMEOUT_MS).then(() => req.end(slowBody.slice(10)));
    });

    process.kill(origin.pid, 'SIGTERM');
    await unready;
    // A balancer notices late: a request sent after the first 503 is still served.
    const late = await call(lbAgent, 'GET', `/v1/members/${members[1]}`, members[1]!).catch((e) => e);
    note('GET member after /readyz said 503', late, 200);
    await Promise.all(clients);

    const slow = await slowReply;
    note('the slow POST', slow, 201);
    if (slow.status === 201) posted.push((JSON.parse(slow.body) as { id: string }).id);

    const exit = await Promise.race([
      origin.exited,
      new Promise((r) => setTimeout(() => r('still running'), TIMEOUT_MS + 5000)),
    ]);
    lbAgent.destroy();
    expect(failures).toEqual([]);
    expect(sawUnready).toBe(true);
    expect(exit, origin.output()).toEqual({ code: 0, signal: null });
    // The slow request was in flight when the server stopped accepting.
    const stopsAccepting = logLine(origin.output(), 'origin stops accepting');
    expect(stopsAccepting.inFlightRequests).toBeGreaterThanOrEqual(1);
    expect(origin.output()).not.toMatch(/deadline passed|step failed/);

    // Every acknowledged write is in Postgres, and its outbox record was relayed before exit.
    let found = 0;
    let pending = 0;
    for (const db of h.runtime.ctx.cluster.router.physical) {
      const [items] = await db.rows<{ n: number }>(
        'SELECT count(*)::int AS n FROM items WHERE tenant_id = $1 AND id::text = ANY($2::text[])',
        [h.tenantId, posted],
      );
      found += items!.n;
      const [outbox] = await db.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE payload->>'itemId' = ANY($1::text[]) AND dispatched_at IS NULL`,
        [posted],
      );
      pending += outbox!.n;
    }
    expect(posted.length).toBeGreaterThan(3 * CLIENTS);
    expect(found).toBe(posted.length);
    expect(pending).toBe(0);
  });
});

/** The first JSON log line with this message. */
function logLine(output: string, msg: string): Record<string, number> {
  const line = output.split('\n').find((l) => l.includes(`"msg":"${msg}"`));
  if (!line) throw new Error(`no log line "${msg}" in:\n${output}`);
  return JSON.parse(line) as Record<string, number>;
}
