// A random but reproducible workload for the streams oracle, driven through the API: members
// befriend and unfriend (some much more than others, so they cross the celebrity limit both
// ways), post with every audience (lists included), like, comment, delete and restore, block,
// mute, edit friend lists, and read their home streams now and then (so timelines exist and
// fan-out has somewhere to land). The workload keeps a model of the social graph only to choose
// operations that succeed; the oracle never uses it.

/** mulberry32: small, fast, good enough to pick operations; the seed reproduces a run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Api {
  call(method: string, path: string, opts?: { member?: string; body?: unknown }): Promise<Response>;
}

type Audience = 'public' | 'friends' | 'only_me' | 'list';

interface ModelItem {
  id: string;
  actor: string;
  verb: string;
  audience: Audience;
  listId: string | null;
  object: string | null;
  deleted: boolean;
  /** The step that wrote it (for failure messages). */
  step: number;
}

type Op =
  | 'befriend'
  | 'unfriend'
  | 'post'
  | 'like'
  | 'comment'
  | 'delete'
  | 'restore'
  | 'delete-restore'
  | 'celebrity-churn'
  | 'block'
  | 'unblock'
  | 'mute'
  | 'unmute'
  | 'list-create'
  | 'list-edit'
  | 'read';

const WEIGHTS: [Op, number][] = [
  ['befriend', 12],
  ['unfriend', 5],
  ['post', 20],
  ['like', 7],
  ['comment', 4],
  ['delete', 4],
  ['restore', 2],
  ['delete-restore', 2],
  ['celebrity-churn', 4],
  ['block', 2],
  ['unblock', 2],
  ['mute', 3],
  ['unmute', 2],
  ['list-create', 2],
  ['list-edit', 4],
  ['read', 6],
];

const PLACES = ['Café Central', 'Kings Cross', 'Old Harbour', 'Mount Hood'];

export class Workload {
  readonly log: string[] = [];
  readonly members: string[] = [];
  readonly names = new Map<string, string>();
  readonly friends = new Map<string, Set<string>>();
  /** `${a}>${b}`: a blocked b. */
  readonly blocks = new Set<string>();
  /** `${a}>${b}`: a muted b. */
  readonly mutes = new Set<string>();
  readonly lists = new Map<string, { owner: string; members: string[] }>();
  readonly items: ModelItem[] = [];
  readonly itemsById = new Map<string, ModelItem>();
  /** Members who befriend far more than the others (they cross the celebrity limit). */
  hubs: string[] = [];
  /** Items the workload leaves alone (never deleted). */
  readonly pinned = new Set<string>();
  /** Times a member's friend count went above / fell back to the celebrity limit. */
  readonly crossings = { up: 0, down: 0 };
  private steps = 0;

  constructor(
    private readonly api: Api,
    private readonly rand: () => number,
    private readonly celebrityLimit: number,
    /**
     * What to leave out (ORACLE_AVOID, comma-separated), to look past a known failure: any
     * operation name, 'refriend' (befriending a former friend), 'list-add' (adding to a list).
     */
    private readonly avoid: ReadonlySet<string> = new Set(),
  ) {}

  private readonly everFriends = new Set<string>();

  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!;
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private note(text: string) {
    this.log.push(`#${this.steps} ${text}`);
  }

  private async expectStatus(res: Response, status: number, what: string): Promise<Response> {
    if (res.status !== status) {
      throw new Error(`step #${this.steps} (${what}): expected ${status}, got ${res.status} ${await res.text()}`);
    }
    return res;
  }

  friendsOf(m: string): Set<string> {
    const set = this.friends.get(m) ?? new Set<string>();
    this.friends.set(m, set);
    return set;
  }

  areFriends(a: string, b: string): boolean {
    return this.friendsOf(a).has(b);
  }

  blockedEitherWay(a: string, b: string): boolean {
    return this.blocks.has(`${a}>${b}`) || this.blocks.has(`${b}>${a}`);
  }

  isCelebrity(m: string): boolean {
    return this.friendsOf(m).size > this.celebrityLimit;
  }

  private setFriends(a: string, b: string, on: boolean) {
    const before = [a, b].map((m) => this.isCelebrity(m));
    if (on) {
      this.everFriends.add([a, b].sort().join('+'));
      this.friendsOf(a).add(b);
      this.friendsOf(b).add(a);
    } else {
      this.friendsOf(a).delete(b);
      this.friendsOf(b).delete(a);
    }
    [a, b].forEach((m, i) => {
      const now = this.isCelebrity(m);
      if (now && !before[i]) {
        this.crossings.up++;
        this.note(`${this.name(m)} is above the celebrity limit (${this.friendsOf(m).size} friends)`);
      }
      if (!now && before[i]) {
        this.crossings.down++;
        this.note(`${this.name(m)} fell back to the celebrity limit (${this.friendsOf(m).size} friends)`);
      }
    });
  }

  private remember(item: Omit<ModelItem, 'step' | 'deleted'>) {
    const full = { ...item, deleted: false, step: this.steps };
    this.items.push(full);
    this.itemsById.set(item.id, full);
  }

  /** The step that wrote an item (system events, such as friendships, are not known). */
  writtenAt(itemId: string): string {
    const item = this.itemsById.get(itemId);
    return item ? `step #${item.step}` : 'unknown step';
  }

  /** What the API checks before a like or comment: may the actor see the item? */
  private canSee(viewer: string, item: ModelItem): boolean {
    if (item.deleted) return false;
    if (item.actor === viewer) return true;
    if (this.blockedEitherWay(viewer, item.actor)) return false;
    switch (item.audience) {
      case 'public':
        return true;
      case 'friends':
        return this.areFriends(viewer, item.actor);
      case 'list': {
        const list = this.lists.get(item.listId!);
        return this.areFriends(viewer, item.actor) && (list?.members.includes(viewer) ?? false);
      }
      default:
        return false;
    }
  }

  /** Signs up `count` more members; the first `hubs` of the first ones befriend the most. */
  async signup(count: number, hubs = 0): Promise<string[]> {
    const added: string[] = [];
    for (let n = 0; n < count; n++) {
      const i = this.members.length;
      const username = `member${i}`;
      const res = await this.api.call('POST', '/v1/members', {
        body: { username, displayName: `Member ${i}`, password: 'correct horse battery' },
      });
      await this.expectStatus(res, 201, `signup ${username}`);
      const { id } = (await res.json()) as { id: string };
      this.members.push(id);
      this.names.set(id, username);
      added.push(id);
    }
    if (hubs > 0) this.hubs = this.members.slice(0, hubs);
    return added;
  }

  async readHome(member: string, limit = 20): Promise<void> {
    const res = await this.api.call('GET', `/v1/streams/home?limit=${limit}`, { member });
    await this.expectStatus(res, 200, `read ${this.name(member)}`);
  }

  /** Runs `n` random operations. */
  async run(n: number): Promise<void> {
    for (let i = 0; i < n; i++) await this.step();
  }

  async step(): Promise<void> {
    this.steps++;
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    for (let attempt = 0; attempt < 20; attempt++) {
      let r = this.rand() * total;
      let op: Op = 'read';
      for (const [name, w] of WEIGHTS) {
        r -= w;
        if (r < 0) {
          op = name;
          break;
        }
      }
      if (await this.tryOp(op)) return;
    }
    await this.tryOp('read');
  }

  /** Celebrity churn until members have crossed the limit both ways (a seed may not have). */
  async crossBothWays(maxSteps = 60): Promise<void> {
    for (let i = 0; i < maxSteps && (this.crossings.up === 0 || this.crossings.down === 0); i++)
      await this.tryOp('celebrity-churn');
  }

  /** One operation of the kind, if one is possible now; false when none is. */
  private async tryOp(op: Op): Promise<boolean> {
    if (this.avoid.has(op)) return false;
    const a = this.pick(this.members);
    switch (op) {
      case 'celebrity-churn': {
        // A hub just below the limit gains a friend, one above it loses one: crossings both ways.
        const hub = this.pick(this.hubs);
        if (this.isCelebrity(hub)) return this.tryUnfriend(hub, this.pick([...this.friendsOf(hub)]));
        const strangers = this.members.filter(
          (m) =>
            m !== hub &&
            !this.areFriends(hub, m) &&
            !this.blockedEitherWay(hub, m) &&
            !(this.avoid.has('refriend') && this.everFriends.has([hub, m].sort().join('+'))),
        );
        if (strangers.length === 0) return false;
        return this.tryBefriend(hub, this.pick(strangers));
      }
      case 'befriend': {
        // Hubs are at one end of most new friendships.
        const b = this.chance(0.5) ? this.pick(this.hubs) : this.pick(this.members);
        if (a === b || this.areFriends(a, b) || this.blockedEitherWay(a, b)) return false;
        if (this.avoid.has('refriend') && this.everFriends.has([a, b].sort().join('+'))) return false;
        return this.tryBefriend(a, b);
      }
      case 'unfriend': {
        const friends = [...this.friendsOf(a)];
        if (friends.length === 0) return false;
        return this.tryUnfriend(a, this.pick(friends));
      }
      case 'post':
        await this.post(a);
        return true;
      case 'like':
      case 'comment': {
        const candidates = this.items.filter(
          (i) =>
            i.verb !== 'like' &&
            i.verb !== 'comment' &&
            this.canSee(a, i) &&
            (op === 'comment' ||
              !this.items.some((l) => l.verb === 'like' && !l.deleted && l.actor === a && l.object === i.id)),
        );
        // Mostly friends' items, so reactions show up in home streams.
        const friendly = candidates.filter((i) => this.areFriends(a, i.actor) || i.actor === a);
        const pool = friendly.length > 0 && this.chance(0.8) ? friendly : candidates;
        if (pool.length === 0) return false;
        const object = this.pick(pool);
        const audience = this.pick<Audience>(['public', 'friends', 'friends', 'only_me']);
        const body =
          op === 'like'
            ? { type: 'like', object: object.id, audience }
            : { type: 'comment', object: object.id, audience, text: `comment at #${this.steps}` };
        const res = await this.expectStatus(await this.api.call('POST', '/v1/events', { member: a, body }), 201, op);
        const { id } = (await res.json()) as { id: string };
        this.remember({ id, actor: a, verb: op, audience, listId: null, object: object.id });
        this.note(`${this.name(a)} ${op}s ${object.id} of ${this.name(object.actor)} (${audience}) -> ${id}`);
        return true;
      }
      case 'delete': {
        const own = this.items.filter((i) => i.actor === a && !i.deleted && !this.pinned.has(i.id));
        if (own.length === 0) return false;
        const item = this.pick(own);
        await this.expectStatus(await this.api.call('DELETE', `/v1/posts/${item.id}`, { member: a }), 204, 'delete');
        item.deleted = true;
        this.note(`${this.name(a)} deletes ${item.verb} ${item.id}`);
        return true;
      }
      case 'delete-restore': {
        // Deleted and restored at once: the delete's unfanout and the restore's fan-out race.
        const own = this.items.filter(
          (i) => i.actor === a && !i.deleted && i.verb !== 'like' && !this.pinned.has(i.id),
        );
        if (own.length === 0) return false;
        const item = this.pick(own);
        await this.expectStatus(await this.api.call('DELETE', `/v1/posts/${item.id}`, { member: a }), 204, 'delete');
        await this.expectStatus(
          await this.api.call('POST', `/v1/posts/${item.id}/restore`, { member: a }),
          200,
          'restore',
        );
        this.note(`${this.name(a)} deletes and at once restores ${item.verb} ${item.id}`);
        return true;
      }
      case 'restore': {
        const own = this.items.filter(
          (i) =>
            i.actor === a &&
            i.deleted &&
            // A second live like of one item by one member is not something the API can make.
            !(
              i.verb === 'like' &&
              this.items.some((l) => l.verb === 'like' && !l.deleted && l.actor === a && l.object === i.object)
            ),
        );
        if (own.length === 0) return false;
        const item = this.pick(own);
        await this.expectStatus(
          await this.api.call('POST', `/v1/posts/${item.id}/restore`, { member: a }),
          200,
          'restore',
        );
        item.deleted = false;
        this.note(`${this.name(a)} restores ${item.verb} ${item.id}`);
        return true;
      }
      case 'block': {
        const b = this.pick(this.members);
        if (a === b || this.blocks.has(`${a}>${b}`)) return false;
        await this.expectStatus(await this.api.call('POST', `/v1/members/${b}/block`, { member: a }), 204, 'block');
        this.blocks.add(`${a}>${b}`);
        this.note(`${this.name(a)} blocks ${this.name(b)}`);
        if (this.areFriends(a, b)) this.setFriends(a, b, false);
        return true;
      }
      case 'unblock': {
        const mine = [...this.blocks].filter((k) => k.startsWith(`${a}>`));
        if (mine.length === 0) return false;
        const b = this.pick(mine).split('>')[1]!;
        await this.expectStatus(await this.api.call('DELETE', `/v1/members/${b}/block`, { member: a }), 204, 'unblock');
        this.blocks.delete(`${a}>${b}`);
        this.note(`${this.name(a)} unblocks ${this.name(b)}`);
        return true;
      }
      case 'mute': {
        // Mostly friends: muting matters in home streams only for them.
        const friends = [...this.friendsOf(a)];
        const b = friends.length > 0 && this.chance(0.8) ? this.pick(friends) : this.pick(this.members);
        if (a === b || this.mutes.has(`${a}>${b}`)) return false;
        await this.expectStatus(await this.api.call('POST', `/v1/members/${b}/mute`, { member: a }), 204, 'mute');
        this.mutes.add(`${a}>${b}`);
        this.note(`${this.name(a)} mutes ${this.name(b)}`);
        return true;
      }
      case 'unmute': {
        const mine = [...this.mutes].filter((k) => k.startsWith(`${a}>`));
        if (mine.length === 0) return false;
        const b = this.pick(mine).split('>')[1]!;
        await this.expectStatus(await this.api.call('DELETE', `/v1/members/${b}/mute`, { member: a }), 204, 'unmute');
        this.mutes.delete(`${a}>${b}`);
        this.note(`${this.name(a)} unmutes ${this.name(b)}`);
        return true;
      }
      case 'list-create': {
        const friends = [...this.friendsOf(a)];
        if (friends.length === 0 || [...this.lists.values()].filter((l) => l.owner === a).length >= 2) return false;
        const members = friends.filter(() => this.chance(0.5));
        const res = await this.expectStatus(
          await this.api.call('POST', '/v1/lists', { member: a, body: { name: `list ${this.steps}`, members } }),
          201,
          'create list',
        );
        const { id } = (await res.json()) as { id: string };
        this.lists.set(id, { owner: a, members });
        this.note(`${this.name(a)} creates list ${id} [${members.map((m) => this.name(m)).join(', ')}]`);
        return true;
      }
      case 'list-edit': {
        const mine = [...this.lists].filter(([, l]) => l.owner === a);
        if (mine.length === 0) return false;
        const [id, list] = this.pick(mine);
        if (this.avoid.has('list-add')) {
          await this.editList(
            a,
            id,
            list.members.filter((m) => this.areFriends(a, m) && this.chance(0.7)),
          );
          return true;
        }
        await this.editList(
          a,
          id,
          [...this.friendsOf(a)].filter(() => this.chance(0.5)),
        );
        return true;
      }
      case 'read': {
        await this.readHome(a);
        this.note(`${this.name(a)} reads their home stream`);
        return true;
      }
    }
  }

  /** Befriends strangers until `member` has `n` friends. */
  async befriendUntil(member: string, n: number): Promise<void> {
    while (this.friendsOf(member).size < n) {
      const strangers = this.members.filter(
        (m) => m !== member && !this.areFriends(member, m) && !this.blockedEitherWay(member, m),
      );
      if (strangers.length === 0) throw new Error(`no one left to befriend ${this.name(member)}`);
      this.steps++;
      await this.tryBefriend(member, this.pick(strangers));
    }
  }

  /** `a` and `b` become friends; either may ask (at random, or `from` when given). */
  async befriend(a: string, b: string, from?: string): Promise<void> {
    this.steps++;
    await this.tryBefriend(a, b, from);
  }

  private async tryBefriend(a: string, b: string, asker?: string): Promise<boolean> {
    // Either side may ask; the other accepts (and writes the "friendship" event).
    const [from, to] = asker === a ? [a, b] : asker === b ? [b, a] : this.chance(0.5) ? [a, b] : [b, a];
    await this.expectStatus(
      await this.api.call('POST', '/v1/friend-requests', { member: from, body: { to } }),
      201,
      'friend request',
    );
    await this.expectStatus(
      await this.api.call('POST', `/v1/friend-requests/${from}/accept`, { member: to }),
      200,
      'accept',
    );
    this.note(`${this.name(to)} accepts ${this.name(from)}'s friend request`);
    this.setFriends(from, to, true);
    return true;
  }

  private async tryUnfriend(a: string, b: string): Promise<boolean> {
    await this.expectStatus(await this.api.call('DELETE', `/v1/friends/${b}`, { member: a }), 204, 'unfriend');
    this.note(`${this.name(a)} unfriends ${this.name(b)}`);
    this.setFriends(a, b, false);
    return true;
  }

  private async editList(owner: string, id: string, members: string[]) {
    const list = this.lists.get(id)!;
    await this.expectStatus(
      await this.api.call('PUT', `/v1/lists/${id}`, { member: owner, body: { name: `list ${id}`, members } }),
      200,
      'edit list',
    );
    const added = members.filter((m) => !list.members.includes(m));
    const removed = list.members.filter((m) => !members.includes(m));
    list.members = members;
    const names = (ms: string[]) => ms.map((m) => this.name(m)).join(', ');
    this.note(`${this.name(owner)} edits list ${id}: +[${names(added)}] -[${names(removed)}]`);
  }

  /** A status, photo or check-in with a random audience (a friend list of the actor's sometimes). */
  async post(a: string, forced?: Audience): Promise<string> {
    const mine = [...this.lists].filter(([, l]) => l.owner === a);
    let audience: Audience =
      forced ??
      (mine.length > 0 && this.chance(0.25) ? 'list' : this.pick(['public', 'friends', 'friends', 'only_me']));
    let listId: string | null = null;
    if (audience === 'list') {
      if (mine.length === 0) audience = 'friends';
      else {
        const [id, list] = this.pick(mine);
        listId = id;
        // Posting to a list needs every member to be a friend still: trim it first.
        const friends = this.friendsOf(a);
        if (list.members.some((m) => !friends.has(m)))
          await this.editList(
            a,
            id,
            list.members.filter((m) => friends.has(m)),
          );
      }
    }
    const kind = this.pick(['status', 'status', 'status', 'photo', 'checkin'] as const);
    const text = `${kind} by ${this.name(a)} at #${this.steps}${this.chance(0.2) ? ' #oracle' : ''}`;
    const body: Record<string, unknown> = { type: kind, text, audience, ...(listId ? { listId } : {}) };
    if (kind === 'photo') body.images = [{ url: `https://img.test/${this.steps}.jpg`, width: 640, format: 'jpeg' }];
    if (kind === 'checkin') body.place = this.pick(PLACES);
    const res = await this.expectStatus(await this.api.call('POST', '/v1/events', { member: a, body }), 201, 'post');
    const { id } = (await res.json()) as { id: string };
    this.remember({ id, actor: a, verb: kind, audience, listId, object: null });
    this.note(`${this.name(a)} posts ${kind} ${id} (${audience}${listId ? ` ${listId}` : ''})`);
    return id;
  }
}
