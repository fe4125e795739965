// A fake origin for edge tests: the real API's shapes (shared/api.ts) from in-memory data,
// installed over `fetch` (the worker runs in the test's isolate, so it sees the stub). It
// verifies every request's signature with shared/signing.ts (and refuses a replayed one, like
// the origin), checks a member's session as the origin does (session-ended once it was ended)
// and records every call, so tests can assert what the edge sent — or that it sent nothing.
// Several fake origins (one tenant each) can be installed at once: a call goes to the one whose
// tenant it names (the host lookup: whose host it asks for).
import { Hono } from 'hono';
import type {
  Member,
  Notification,
  Profile,
  Relation,
  SessionInfo,
  SessionStart,
  StreamEntry,
  Tenant,
} from '../../shared/api.js';
import { EVENT_TYPES, isEventType, placeSlug } from '../../shared/events.js';
import { HEADER } from '../../shared/headers.js';
import { DEFAULT_SWITCHES } from '../../shared/switches.js';
import { entryOf } from './all-types.js';
import {
  FakeSessions,
  faultAnswer,
  installOverFetch,
  type OriginMode,
  problem,
  SignatureCheck,
  sessionEndedProblem,
  signatureProblem,
} from './fake-origin-wire.js';

export type { OriginMode } from './fake-origin-wire.js';

export interface RecordedCall {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  signatureValid: boolean;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;
const idBase = 100_000_000_000_000n;

export class FakeOrigin {
  readonly calls: RecordedCall[] = [];
  readonly tenant: Tenant;
  readonly host: string;
  mode: OriginMode = 'ok';
  /** Retry-After of the 'rate-limited' mode, in seconds. */
  retryAfter = 42;
  /** Refuse this many of the next calls for their signature (a clock skew, a replay), then accept. */
  refuseSignatures = 0;
  private readonly sessions = new FakeSessions();
  private readonly signatures = new SignatureCheck();
  private readonly members: (Member & { password: string })[] = [];
  private readonly posts: StreamEntry[] = [];
  private readonly notifications: (Notification & { recipient: string })[] = [];
  private readonly requests = new Set<string>(); // "from>to"
  private readonly friends = new Set<string>(); // "a|b", sorted
  private readonly hiddenPairs = new Set<string>(); // "viewer>other": blocked either way, or muted
  /** False: answer /streams/home without `hidden`, like an origin from before the field. */
  sendsHidden = true;
  private readonly app = this.routes();

  constructor(tenant: Partial<Tenant> = {}) {
    const slug = unique();
    this.host = `${slug}.chorus.test`;
    this.tenant = {
      id: `t${slug}`,
      slug,
      name: `Community ${slug}`,
      hosts: [this.host],
      switches: { ...DEFAULT_SWITCHES },
      deviceOverrides: {},
      ...tenant,
    } as Tenant;
  }

  /**
   * Stubs global fetch: origin-bound requests come here (or to another installed fake origin,
   * by tenant), anything else fails the test.
   */
  install(): this {
    installOverFetch(this);
    return this;
  }

  /** A new session for `member`, as log-in answers it. */
  beginSession(member: Pick<Member, 'id'>): SessionInfo {
    return this.sessions.begin(member.id);
  }

  /** Ends every session of `member` (log out everywhere, a new password, deletion). */
  endSessionsOf(member: Pick<Member, 'id'>): void {
    this.sessions.endAllOf(member.id);
  }

  private sessionStart(member: Member & { password: string }): SessionStart {
    return { ...this.present(member), session: this.beginSession(member) };
  }

  /** Origin calls other than the tenant lookup (which the edge may have memoized). */
  apiCalls(): RecordedCall[] {
    return this.calls.filter((c) => !c.path.startsWith('/v1/tenants/resolve'));
  }

  addMember(username: string, displayName = username, password = 'correct horse'): Member {
    const member = {
      id: String(idBase + BigInt(this.members.length + 1) * 4096n + BigInt(counter++)),
      username,
      displayName,
      bio: `Bio of ${displayName} <b>bold</b>`,
      createdAt: '2026-03-01T10:00:00.000Z',
      password,
    };
    this.members.push(member);
    return this.present(member);
  }

  addPost(author: Member, text: string, audience: StreamEntry['audience'] = 'public'): StreamEntry {
    return this.addEvent(author, 'status', { text, audience });
  }

  /** Any event, newest first in every stream; fields not given take the API's defaults. */
  addEvent(author: Member, type: StreamEntry['type'], fields: Partial<StreamEntry> = {}): StreamEntry {
    const text = fields.text ?? '';
    const entry = entryOf({
      id: String(idBase * 10n + BigInt(this.posts.length + 1)),
      type,
      text,
      createdAt: new Date(Date.UTC(2026, 2, 1, 12, this.posts.length)).toISOString(),
      actor: author,
      ...fields,
    });
    this.posts.unshift(entry);
    return entry;
  }

  /** A notification for `recipient`, newest first. */
  addNotification(
    recipient: Member,
    kind: Notification['kind'],
    actor: Member,
    fields: Partial<Omit<Notification, 'id' | 'kind' | 'actor'>> = {},
  ): Notification {
    const id = String(idBase * 20n + BigInt(this.notifications.length + 1));
    const notification: Notification & { recipient: string } = {
      id,
      kind,
      actor,
      item: null,
      createdAt: new Date(Date.UTC(2026, 2, 2, 12, this.notifications.length)).toISOString(),
      seen: false,
      read: false,
      others: [],
      actorCount: 1 + (fields.others?.length ?? 0),
      ids: [id],
      ...fields,
      recipient: recipient.id,
    };
    this.notifications.unshift(notification);
    const { recipient: _, ...shown } = notification;
    return shown;
  }

  befriend(a: Member, b: Member): void {
    this.friends.add([a.id, b.id].sort().join('|'));
  }

  /** `a` blocks `b`: neither sees the other any more, and a friendship ends. */
  block(a: Member, b: Member): void {
    this.hiddenPairs.add(`${a.id}>${b.id}`);
    this.hiddenPairs.add(`${b.id}>${a.id}`);
    this.friends.delete([a.id, b.id].sort().join('|'));
  }

  /** `a` mutes `b`: b's events stay out of a's streams; nothing changes for b. */
  mute(a: Member, b: Member): void {
    this.hiddenPairs.add(`${a.id}>${b.id}`);
  }

  private hiddenFor(viewer: string): string[] {
    return this.members.map((m) => m.id).filter((id) => this.hiddenPairs.has(`${viewer}>${id}`));
  }

  requestFriendship(from: Member, to: Member): void {
    this.requests.add(`${from.id}>${to.id}`);
  }

  private present({ password: _, ...member }: Member & { password: string }): Member {
    return member;
  }

  private byId(id: string) {
    return this.members.find((m) => m.id === id);
  }

  private areFriends(a: string, b: string) {
    return this.friends.has([a, b].sort().join('|'));
  }

  /** What the origin's read rules let `viewer` ('' when anonymous) see. */
  private visible(viewer: string, entry: StreamEntry): boolean {
    if (entry.audience === 'public') return true;
    if (viewer === '') return false;
    if (viewer === entry.actor.id) return true;
    return entry.audience === 'friends' && this.areFriends(viewer, entry.actor.id);
  }

  private relation(viewer: string, other: string): Relation {
    if (viewer === '') return 'none';
    if (viewer === other) return 'self';
    if (this.areFriends(viewer, other)) return 'friend';
    if (this.requests.has(`${viewer}>${other}`)) return 'request-sent';
    if (this.requests.has(`${other}>${viewer}`)) return 'request-received';
    return 'none';
  }

  private profile(viewer: string, id: string): Profile | null {
    const member = this.byId(id);
    if (!member) return null;
    const friendCount = [...this.friends].filter((pair) => pair.split('|').includes(id)).length;
    return { member: this.present(member), relation: this.relation(viewer, id), friendCount };
  }

  async handle(request: Request, signal?: AbortSignal | null): Promise<Response> {
    const url = new URL(request.url);
    const body = request.method === 'GET' ? '' : await request.text();
    const headers = Object.fromEntries(request.headers);
    let refusal = await this.signatures.refusal(request, body);
    this.calls.push({
      method: request.method,
      path: url.pathname + url.search,
      headers,
      body,
      signatureValid: !refusal,
    });
    const fault = faultAnswer(this.mode, this.retryAfter, signal);
    if (fault) return fault;
    if (this.mode === 'signature-401' || (refusal === null && this.refuseSignatures > 0)) {
      this.refuseSignatures = Math.max(0, this.refuseSignatures - 1);
      refusal = 'stale';
    }
    if (refusal) return signatureProblem(refusal);
    const member = headers[HEADER.member] ?? '';
    if (member !== '' && !this.sessions.isLive(member, headers[HEADER.session] ?? '')) return sessionEndedProblem();
    return this.app.fetch(
      new Request(request.url, { method: request.method, headers: request.headers, body: body || undefined }),
    );
  }

  private routes() {
    const app = new Hono<{ Variables: { me: string } }>().basePath('/v1');
    app.use(async (c, next) => {
      c.set('me', c.req.header(HEADER.member) ?? '');
      if (!c.req.path.startsWith('/v1/tenants') && c.req.header(HEADER.tenant) !== this.tenant.id) {
        return problem(404, 'Not found', 'no such tenant');
      }
      await next();
    });
    const needMember = (me: string) => (me === '' ? problem(401, 'Unauthorized', 'log in first') : null);
    /** One page of a list, as the real origin reads StreamQuery: limit, `cursor-N` and types. */
    const pageOf = <T>(url: string, items: T[]) => {
      const params = new URL(url).searchParams;
      const limit = Math.min(100, Math.max(1, Number(params.get('limit')) || 20));
      const offset = Number(/^cursor-(\d+)$/.exec(params.get('older') ?? '')?.[1] ?? 0);
      const end = offset + limit;
      return { entries: items.slice(offset, end), older: items.length > end ? `cursor-${end}` : null };
    };
    const page = (
      c: { req: { url: string } },
      entries: StreamEntry[],
      extra: Record<string, unknown> = {},
    ): Response => {
      const types = new URL(c.req.url).searchParams.get('types');
      let kept = entries;
      if (types) {
        const wanted = types.split(',').map((t) => t.trim());
        const unknown = wanted.find((t) => !isEventType(t));
        if (unknown !== undefined) {
          return problem(400, 'Bad request', `unknown event type "${unknown}"`, [
            { path: 'types', message: `one of ${EVENT_TYPES.join(', ')}` },
          ]);
        }
        kept = entries.filter((e) => wanted.includes(e.type));
      }
      return Response.json({ ...pageOf(c.req.url, kept), ...extra });
    };

    app.get('/tenants/resolve', (c) =>
      this.tenant.hosts.includes(c.req.query('host') ?? '') ? c.json(this.tenant) : problem(404, 'Not found'),
    );
    app.post('/sessions', async (c) => {
      const input = await c.req.json<{ username: string; password: string }>();
      const member = this.members.find((m) => m.username === input.username && m.password === input.password);
      return member ? c.json(this.sessionStart(member)) : problem(401, 'Unauthorized', 'wrong username or password');
    });
    app.delete('/sessions/current', (c) => {
      const denied = needMember(c.var.me);
      if (denied) return denied;
      this.sessions.end(c.req.header(HEADER.session) ?? '');
      return c.body(null, 204);
    });
    app.delete('/sessions', (c) => {
      const denied = needMember(c.var.me);
      if (denied) return denied;
      this.endSessionsOf({ id: c.var.me });
      return c.body(null, 204);
    });
    app.post('/members', async (c) => {
      const input = await c.req.json<{ username: string; displayName: string; password: string }>();
      if (!this.tenant.switches.signup) return problem(403, 'Forbidden', 'sign-up is switched off');
      if (this.members.some((m) => m.username === input.username)) return problem(409, 'Conflict', 'username taken');
      const member = this.addMember(input.username, input.displayName, input.password);
      return c.json(this.sessionStart({ ...member, password: input.password }), 201);
    });
    app.get('/members/by-username/:username', (c) => {
      const member = this.members.find((m) => m.username === c.req.param('username'));
      const profile = member && this.profile(c.var.me, member.id);
      return profile ? c.json(profile) : problem(404, 'Not found');
    });
    app.get('/members/:id', (c) => {
      const profile = this.profile(c.var.me, c.req.param('id'));
      return profile ? c.json(profile) : problem(404, 'Not found');
    });
    app.get('/members/:id/friends', (c) => {
      const id = c.req.param('id');
      const members = this.members.filter((m) => m.id !== id && this.areFriends(m.id, id)).map((m) => this.present(m));
      return c.json({ members });
    });
    app.get('/members/:id/stream', (c) => {
      const id = c.req.param('id');
      return page(
        c,
        this.posts.filter((p) => p.actor.id === id && this.visible(c.var.me, p)),
      );
    });
    app.get('/streams/public', (c) =>
      page(
        c,
        this.posts.filter((p) => p.audience === 'public'),
      ),
    );
    app.get('/streams/home', (c) => {
      const me = c.var.me;
      const denied = needMember(me);
      if (denied) return denied;
      const hidden = this.hiddenFor(me);
      return page(
        c,
        this.posts.filter(
          (p) =>
            (p.actor.id === me || this.areFriends(p.actor.id, me)) &&
            this.visible(me, p) &&
            !hidden.includes(p.actor.id),
        ),
        this.sendsHidden ? { hidden } : {},
      );
    });
    // Tag and place streams: what the viewer may see (members may see more than visitors).
    app.get('/tags/:tag/stream', (c) => {
      const tag = c.req.param('tag').toLowerCase();
      if (!/^[\p{L}\p{N}_]{1,50}$/u.test(tag)) return problem(400, 'Bad request', 'a hashtag is 1-50 letters');
      return page(
        c,
        this.posts.filter((p) => p.tags.includes(tag) && this.visible(c.var.me, p)),
      );
    });
    app.get('/places/:place/stream', (c) => {
      const slug = placeSlug(c.req.param('place'));
      if (!slug) return problem(400, 'Bad request', 'name a place');
      return page(
        c,
        this.posts.filter((p) => p.place !== null && placeSlug(p.place) === slug && this.visible(c.var.me, p)),
      );
    });
    app.get('/notifications', (c) => {
      const me = c.var.me;
      const denied = needMember(me);
      if (denied) return denied;
      const mine = this.notifications.filter((n) => n.recipient === me);
      const { entries, older } = pageOf(c.req.url, mine);
      return c.json({
        entries: entries.map(({ recipient: _, ...n }) => n),
        older,
        unseen: mine.filter((n) => !n.seen).length,
        unread: mine.filter((n) => !n.read).length,
      });
    });
    app.post('/notifications/seen', (c) => {
      const denied = needMember(c.var.me);
      if (denied) return denied;
      for (const n of this.notifications) if (n.recipient === c.var.me) n.seen = true;
      return c.body(null, 204);
    });
    app.post('/notifications/:id/read', (c) => {
      const denied = needMember(c.var.me);
      if (denied) return denied;
      const found = this.notifications.find((n) => n.recipient === c.var.me && n.id === c.req.param('id'));
      if (!found) return problem(404, 'Not found', 'no such notification');
      found.read = true;
      return c.body(null, 204);
    });
    app.post('/posts', async (c) => {
      const denied = needMember(c.var.me);
      if (denied) return denied;
      const input = await c.req.json<{ text: string; audience: StreamEntry['audience'] }>();
      if (input.text.includes('forbidden-word')) {
        return problem(400, 'Bad request', 'validation', [{ path: 'text', message: 'please be nice' }]);
      }
      return c.json(this.addPost(this.present(this.byId(c.var.me)!), input.text, input.audience), 201);
    });
    app.get('/friend-requests', (c) => {
      const me = c.var.me;
      const denied = needMember(me);
      if (denied) return denied;
      const pairs = [...this.requests].map((r) => r.split('>') as [string, string]);
      const incoming = pairs.filter(([, to]) => to === me).map(([from]) => this.present(this.byId(from)!));
      const outgoing = pairs.filter(([from]) => from === me).map(([, to]) => this.present(this.byId(to)!));
      return c.json({ incoming, outgoing });
    });
    app.post('/friend-requests', async (c) => {
      const { to } = await c.req.json<{ to: string }>();
      this.requests.add(`${c.var.me}>${to}`);
      return c.json({ relation: 'request-sent' }, 201);
    });
    app.post('/friend-requests/:id/accept', (c) => {
      this.requests.delete(`${c.req.param('id')}>${c.var.me}`);
      this.friends.add([c.var.me, c.req.param('id')].sort().join('|'));
      return c.json({ relation: 'friend' });
    });
    app.post('/friend-requests/:id/decline', (c) => {
      this.requests.delete(`${c.req.param('id')}>${c.var.me}`);
      return c.json({ relation: 'none' });
    });
    app.delete('/friends/:id', (c) => {
      this.friends.delete([c.var.me, c.req.param('id')].sort().join('|'));
      return c.body(null, 204);
    });
    return app;
  }
}
