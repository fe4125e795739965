import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROBLEM_TYPES } from '../../shared/api.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { OriginClient } from './origin-client.js';
import { OriginProblem, OriginRateLimited, OriginUnavailable, SessionEnded } from './origin-errors.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const problem = (status: number, type?: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: type ?? `https://chorus.dev/problems/${status}`, title: 't', status }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });

/** A client whose origin answers with `answer` (a Response, or an error to throw) every time. */
function clientAnswering(answer: () => Response | Error, timeoutMs = 1000) {
  const fetch = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
    const next = answer();
    if (next instanceof Error) throw next;
    return next;
  });
  const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 60_000 });
  const identity = { tenant: 't1', member: '', session: '', clientIp: '192.0.2.1', requestId: 'r' };
  const client = new OriginClient({
    baseUrl: 'https://origin.test',
    secret: 'unit-secret',
    timeoutMs,
    identity,
    breaker,
  });
  return { client, breaker, fetch };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (err: unknown) => err,
  );

describe('origin client: what the breaker counts', () => {
  it.each([
    ['a 500', () => problem(500)],
    ['one shard’s 503', () => problem(503)],
    ['a 404', () => problem(404)],
    ['a 429', () => problem(429, PROBLEM_TYPES.rateLimited)],
  ])('%s never opens it', async (_name, answer) => {
    const { client, breaker } = clientAnswering(answer);
    for (let i = 0; i < 10; i++) await failure(client.post('/v1/x', {}));
    expect(breaker.state).toBe('closed');
  });

  it.each([
    ['a network error', () => new TypeError('Network connection lost.')],
    ['a timeout', () => new DOMException('timed out', 'TimeoutError') as Error],
    ['the origin-wide 503', () => problem(503, PROBLEM_TYPES.originUnavailable)],
  ])('%s counts: three in a row open it', async (_name, answer) => {
    const { client, breaker, fetch } = clientAnswering(answer);
    for (let i = 0; i < 3; i++) expect(await failure(client.post('/v1/x', {}))).toBeInstanceOf(OriginUnavailable);
    expect(breaker.state).toBe('open');
    const calls = fetch.mock.calls.length;
    expect(await failure(client.post('/v1/x', {}))).toMatchObject({ reason: 'circuit-open' });
    expect(fetch.mock.calls.length).toBe(calls);
  });
});

describe('origin client: 401s and 429s', () => {
  it('a refused signature is sent once more, signed anew, then is "unavailable" (not a logout)', async () => {
    const { client, fetch } = clientAnswering(() => problem(401, PROBLEM_TYPES.signature));
    const err = await failure(client.post('/v1/x', { a: 1 }));
    expect(err).toBeInstanceOf(OriginUnavailable);
    expect(err).toMatchObject({ reason: 'signature' });
    expect(fetch.mock.calls.length).toBe(2);
    const signatures = fetch.mock.calls.map(([, init]) => new Headers(init?.headers).get('x-chorus-signature'));
    expect(signatures[0]).not.toBe(signatures[1]);
  });

  it('session ended, a plain 401 and a 429 with its Retry-After', async () => {
    expect(
      await failure(clientAnswering(() => problem(401, PROBLEM_TYPES.sessionEnded)).client.delete('/v1/x')),
    ).toBeInstanceOf(SessionEnded);
    vi.restoreAllMocks();
    const plain = await failure(clientAnswering(() => problem(401)).client.delete('/v1/x'));
    expect(plain).toBeInstanceOf(OriginProblem);
    expect(plain).not.toBeInstanceOf(SessionEnded);
    vi.restoreAllMocks();
    const limited = await failure(
      clientAnswering(() => problem(429, PROBLEM_TYPES.rateLimited, { 'retry-after': '17' })).client.delete('/v1/x'),
    );
    expect(limited).toBeInstanceOf(OriginRateLimited);
    expect(limited).toMatchObject({ retryAfterSeconds: 17, status: 429 });
  });

  it('sends the visitor IP signed', async () => {
    const { client, fetch } = clientAnswering(() => new Response(null, { status: 204 }));
    await client.delete('/v1/x');
    expect(new Headers(fetch.mock.calls[0]![1]?.headers).get('x-chorus-client-ip')).toBe('192.0.2.1');
  });
});
