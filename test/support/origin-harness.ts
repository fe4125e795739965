// Starts an origin in-process for a test file: its own tenant (so files never see each other's
// rows), its own queue namespace, and a signed client that speaks to the app like the edge does.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRuntime, type Runtime } from '../../origin/adapters.js';
import { createApp } from '../../origin/app.js';
import { ConfigSchema } from '../../origin/config.js';
import { startProcessors } from '../../origin/jobs/processors.js';
import { ensureTenant } from '../../origin/tenants/tenants.js';
import { signedHeaders } from '../../shared/signing.js';
import { type TestDatabases, testDatabaseUrls, testRedisUrl } from './services.js';

export const TEST_SECRET = 'test-origin-secret-0123456789';

const NO_IP_LIMITS = {
  RATE_LIMIT_SIGNUP_IP: 'off',
  RATE_LIMIT_LOGIN_IP: 'off',
  RATE_LIMIT_WRITES_IP: 'off',
  RATE_LIMIT_EXPENSIVE_READS_IP: 'off',
};

export interface Harness {
  runtime: Runtime;
  tenantId: string;
  app: ReturnType<typeof createApp>;
  /** Signed request as the edge would send it. */
  call(method: string, path: string, opts?: CallOptions): Promise<Response>;
  /**
   * Relays the outbox, waits until no job is waiting or running (up to `timeoutMs` a round) and
   * writes the jobs' outbox acknowledgements: after it, background work changes no row.
   */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface CallOptions {
  body?: unknown;
  rawBody?: string;
  member?: string;
  /** The member's session, as the edge sends it (`<id>.<version>`). */
  session?: string;
  /** The visitor's IP, as the edge sends it. */
  clientIp?: string;
  tenant?: string;
  /** Further request headers (e.g. accept). */
  headers?: Record<string, string>;
}

export async function startHarness(
  opts: {
    processors?: boolean;
    /** Relay the outbox (default). Off for a second process that should only serve reads. */
    relay?: boolean;
    tenantId?: string;
    databases?: TestDatabases | null;
    /** Collect the origin's log lines here (otherwise logging is off). */
    logLines?: string[];
    adminToken?: string;
    /** The test tenant's celebrity limit (authors with more friends are pulled, not pushed). */
    celebrityLimit?: number;
    /** Extra configuration (env names, as strings). */
    env?: Record<string, string>;
  } = {},
): Promise<Harness> {
  const urls = opts.databases === undefined ? testDatabaseUrls() : opts.databases;
  const config = ConfigSchema.parse({
    ORIGIN_SECRET: TEST_SECRET,
    LOG_LEVEL: opts.logLines ? 'info' : 'silent',
    DEMO_SEED: 'false',
    ...(opts.adminToken ? { ADMIN_TOKEN: opts.adminToken } : {}),
    ...(urls ? { DATABASE_URL: urls.directory, DATABASE_URLS: urls.shards.join(',') } : {}),
    ...(testRedisUrl() ? { REDIS_URL: testRedisUrl() } : {}),
    // Every test visitor comes through the edge from 127.0.0.1, so per-IP limits would trip across
    // tests; the limits themselves are tested in test/origin/rate-limits.test.ts (which sets them).
    ...NO_IP_LIMITS,
    ...opts.env,
  });
  const runtime = await createRuntime(config, {
    inMemory: true,
    queueNamespace: `test-${randomBytes(4).toString('hex')}`,
    logDestination: opts.logLines ? { write: (line: string) => void opts.logLines!.push(line) } : undefined,
  });
  const tenantId = opts.tenantId ?? `t${randomBytes(5).toString('hex')}`;
  await ensureTenant(runtime.ctx, {
    id: tenantId,
    slug: tenantId,
    name: `Test ${tenantId}`,
    hosts: [`${tenantId}.test`],
    ...(opts.celebrityLimit === undefined ? {} : { celebrityLimit: opts.celebrityLimit }),
  });
  if (opts.processors !== false) startProcessors(runtime.ctx);
  if (opts.relay !== false) runtime.relay.start();
  const app = createApp(runtime.ctx);

  async function call(method: string, path: string, o: CallOptions = {}): Promise<Response> {
    const body = o.rawBody ?? (o.body === undefined ? '' : JSON.stringify(o.body));
    const headers = await signedHeaders(TEST_SECRET, {
      method,
      pathWithQuery: path,
      body,
      tenant: o.tenant ?? tenantId,
      member: o.member ?? '',
      requestId: randomUUID(),
      session: o.session,
      clientIp: o.clientIp,
    });
    return app.request(path, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}), ...o.headers },
      body: body || undefined,
    });
  }

  return {
    runtime,
    tenantId,
    app,
    call,
    async settle(timeoutMs?: number) {
      await runtime.relay.drainAll();
      await runtime.ctx.queue.idle(timeoutMs);
      // Jobs may enqueue jobs (accept -> backfill); one more round catches them.
      await runtime.ctx.queue.idle(timeoutMs);
      // Finished jobs mark their outbox records done a little later, in batches: write them now.
      await runtime.ctx.outboxAcks.flush();
    },
    close: () => runtime.close(),
  };
}

/** Signs up a member and returns its id. */
export async function signupMember(h: Harness, username: string, displayName = username): Promise<string> {
  const res = await h.call('POST', '/v1/members', { body: { username, displayName, password: 'correct horse' } });
  if (res.status !== 201) throw new Error(`signup ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

export async function befriend(h: Harness, a: string, b: string): Promise<void> {
  const sent = await h.call('POST', '/v1/friend-requests', { member: a, body: { to: b } });
  if (sent.status !== 201) throw new Error(`request: ${sent.status} ${await sent.text()}`);
  const accepted = await h.call('POST', `/v1/friend-requests/${a}/accept`, { member: b });
  if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
}

/** The harness's app on a real TCP port, for tests that put the edge in front of it. */
export async function serveHarness(h: Harness): Promise<{ url: string; close(): Promise<void> }> {
  const { serve } = await import('@hono/node-server');
  return new Promise((resolve) => {
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
