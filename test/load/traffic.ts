// The traffic mix, sent with autocannon: one autocannon instance per route class, each at its
// share of the offered rate (so every route has its own latency figures), every request built
// at send time (setupRequest) for a visitor drawn at random — a logged-in member or an anonymous
// visitor, on a smartphone (rich tier) or a feature phone (basic tier).
//   Page views: home 40 %, profiles 20 %, notifications 10 %, friends 10 %, front page 8 %,
//   tag streams 7 %, place streams 5 % (item pages come with the reactions issue).
//   Events: posts 50 % and friend requests 10 % through the edge's forms; likes 25 % and
//   comments 15 % as the edge will send them (signed POST /v1/events to the origin): the pages
//   have no like or comment form yet.

import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { placeSlug } from '../../shared/events.js';
import { signedHeaders } from '../../shared/signing.js';
import { BASIC_UA, RICH_UA, XHTML_ACCEPT } from '../bench/support-edge.js';
import type { Community } from './community.js';
import { LOAD_HOST } from './community.js';
import type { LoadSession } from './sessions.js';

export interface RouteSpec {
  name: string;
  kind: 'page' | 'event';
  share: number;
}

export const PAGE_ROUTES: RouteSpec[] = [
  { name: 'home', kind: 'page', share: 0.4 },
  { name: 'profile', kind: 'page', share: 0.2 },
  { name: 'notifications', kind: 'page', share: 0.1 },
  { name: 'friends', kind: 'page', share: 0.1 },
  { name: 'front', kind: 'page', share: 0.08 },
  { name: 'tag', kind: 'page', share: 0.07 },
  { name: 'place', kind: 'page', share: 0.05 },
];
export const EVENT_ROUTES: RouteSpec[] = [
  { name: 'post', kind: 'event', share: 0.5 },
  { name: 'friend-request', kind: 'event', share: 0.1 },
  { name: 'like', kind: 'event', share: 0.25 },
  { name: 'comment', kind: 'event', share: 0.15 },
];

/** What one route saw: raw latencies with their send times, statuses, Server-Timing sums. */
export class RouteStats {
  readonly latencies: number[] = [];
  readonly at: number[] = [];
  readonly statuses = new Map<number, number>();
  errors = 0;
  readonly errorSamples: string[] = [];
  edgeMs = 0;
  originMs = 0;
  dbMs = 0;
  timed = 0;
  cacheHits = 0;
  /** Requests not sent for want of one ready (no signed like left, nobody left to ask). */
  skipped = 0;
  constructor(readonly spec: RouteSpec) {}

  record(status: number, body: string, headers: Record<string, string>, expected: (s: number) => boolean) {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    if (!expected(status)) {
      this.errors++;
      if (this.errorSamples.length < 5) this.errorSamples.push(`${status}: ${body.slice(0, 300)}`);
    }
    const timing = headers['server-timing'];
    if (timing) {
      this.timed++;
      this.edgeMs += metric(timing, 'edge');
      this.originMs += metric(timing, 'origin');
      this.dbMs += metric(timing, 'db');
      if (/cache;desc="?HIT/.test(timing)) this.cacheHits++;
    }
  }
}

function metric(header: string, name: string): number {
  const m = new RegExp(`(?:^|,)\\s*${name};dur=([0-9.]+)`).exec(header);
  return m ? Number(m[1]) : 0;
}

interface Built {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Builds the requests of each route for randomly drawn visitors. */
export class RequestFactory {
  private n = 0;
  private readonly requested = new Set<string>();
  private readonly liked = new Set<string>();
  /** Likes and comments signed ahead of time (signing is asynchronous, setupRequest is not). */
  private readonly signed: Built[] = [];
  constructor(
    private readonly community: Community,
    private readonly sessions: LoadSession[],
    private readonly originSecret: string,
    private readonly anonymousShare = 0.3,
    private readonly basicShare = 0.3,
  ) {}

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(Math.random() * list.length)]!;
  }

  private device(): Record<string, string> {
    return Math.random() < this.basicShare
      ? { 'user-agent': BASIC_UA, accept: XHTML_ACCEPT }
      : { 'user-agent': RICH_UA, accept: 'text/html,*/*' };
  }

  private visitor(anonymousOk: boolean): { headers: Record<string, string>; session: LoadSession | null } {
    const headers = { host: LOAD_HOST, ...this.device() };
    if (anonymousOk && Math.random() < this.anonymousShare) return { headers, session: null };
    const session = this.pick(this.sessions);
    return { headers: { ...headers, cookie: session.cookie }, session };
  }

  page(route: string): Built {
    const member = this.pick(this.community.members);
    switch (route) {
      case 'home':
      case 'notifications':
      case 'friends':
        return { method: 'GET', path: `/${route}`, headers: this.visitor(false).headers };
      case 'profile':
        return { method: 'GET', path: `/u/${member.username}`, headers: this.visitor(true).headers };
      case 'front':
        return { method: 'GET', path: '/', headers: this.visitor(true).headers };
      case 'tag':
        return { method: 'GET', path: `/tags/${this.pick(this.community.tags)}`, headers: this.visitor(true).headers };
      case 'place':
        return {
          method: 'GET',
          path: `/places/${placeSlug(this.pick(this.community.places))}`,
          headers: this.visitor(true).headers,
        };
      default:
        throw new Error(`no page route ${route}`);
    }
  }

  private form(session: LoadSession, path: string, fields: Record<string, string>): Built {
    const { headers } = this.visitor(false);
    return {
      method: 'POST',
      path,
      headers: { ...headers, cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...fields }).toString(),
    };
  }

  event(route: string): Built | null {
    const session = this.pick(this.sessions);
    switch (route) {
      case 'post': {
        const n = this.n++;
        const tag = n % 4 === 0 ? ` #${this.pick(this.community.tags)}` : '';
        return this.form(session, '/posts', {
          text: `Load post ${n} from ${session.username}: off to the market, anyone need anything?${tag}`,
          audience: n % 3 === 0 ? 'public' : 'friends',
        });
      }
      case 'friend-request': {
        // Someone not yet a friend and not yet asked: a repeat would be a 409, not load.
        const friends = new Set(this.community.friendsOf.get(session.memberId) ?? []);
        for (let tries = 0; tries < 20; tries++) {
          const other = this.pick(this.community.members).id.toString();
          const key = [session.memberId, other].sort().join(':');
          if (other === session.memberId || friends.has(other) || this.requested.has(key)) continue;
          this.requested.add(key);
          return this.form(session, '/friends/request', { to: other });
        }
        return null;
      }
      case 'like':
      case 'comment':
        return this.signed.shift() ?? null;
      default:
        throw new Error(`no event route ${route}`);
    }
  }

  /** Keeps `count` signed likes and comments ready (run every few hundred ms; signatures last 30 s). */
  async refillSigned(count: number, likeShare: number): Promise<void> {
    while (this.signed.length < count) {
      const session = this.pick(this.sessions);
      const object = this.pick(this.community.publicItems);
      let body: string;
      if (Math.random() < likeShare && !this.liked.has(`${session.memberId}:${object}`)) {
        this.liked.add(`${session.memberId}:${object}`);
        body = JSON.stringify({ type: 'like', object, audience: 'public' });
      } else {
        body = JSON.stringify({ type: 'comment', object, text: 'Lovely, thanks for sharing!', audience: 'public' });
      }
      const headers = await signedHeaders(this.originSecret, {
        method: 'POST',
        pathWithQuery: '/v1/events',
        body,
        tenant: this.community.tenant.id,
        member: session.memberId,
        requestId: randomUUID(),
      });
      this.signed.push({
        method: 'POST',
        path: '/v1/events',
        headers: { ...headers, 'content-type': 'application/json' },
        body,
      });
    }
  }
}

export interface RouteRun {
  stats: RouteStats;
  /** Requests per second offered. */
  offered: number;
  done: Promise<unknown>;
  stop(): void;
}

/** Runs one route at `rate` requests/s for `seconds` against `url`. */
export function runRoute(
  url: string,
  spec: RouteSpec,
  rate: number,
  seconds: number,
  build: () => Built | null,
  expected: (status: number) => boolean,
  idlePath: string,
): RouteRun {
  const stats = new RouteStats(spec);
  const offered = Math.max(1, Math.round(rate)); // autocannon's rates are whole requests per second
  // Enough connections that a connection's share of the rate leaves room for slow answers.
  const connections = Math.min(offered, Math.ceil(offered / 4) + 2);
  let finished: (result: unknown) => void = () => {};
  let failed: (err: Error) => void = () => {};
  const done = new Promise((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  const instance = autocannon(
    {
      url,
      connections,
      overallRate: offered,
      duration: seconds,
      timeout: 20,
      requests: [
        {
          setupRequest: (req: autocannon.Request) => {
            const built = build();
            if (!built) {
              stats.skipped++;
              return { ...req, method: 'GET', path: idlePath, headers: { host: LOAD_HOST } };
            }
            return { ...req, ...built };
          },
          onResponse: (status, body, _context, headers) =>
            stats.record(status, body ?? '', (headers ?? {}) as Record<string, string>, expected),
        },
      ],
    },
    (err, result) => (err ? failed(err) : finished(result)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    stats.latencies.push(responseTime);
    stats.at.push(Date.now());
  });
  instance.on('reqError', (err: Error) => {
    stats.errors++;
    if (stats.errorSamples.length < 5) stats.errorSamples.push(`request error: ${err.message}`);
  });
  return { stats, offered, done, stop: () => instance.stop() };
}
