// The origin's JSON API as zod schemas: the origin validates with them, the edge parses
// responses with them, and the OpenAPI document is generated from them.
import { z } from 'zod';
import { EVENT_TYPES, type EventType, SYSTEM_EVENT_TYPES } from './events.js';
import { isId } from './ids.js';
import { Switches } from './switches.js';
import { lineText, multilineText } from './text.js';

export const Id = z.string().refine(isId, { message: 'must be a decimal 64-bit id' }).describe('64-bit id as a string');

export const POST_MAX_LENGTH = 500;
export const USERNAME_PATTERN = /^[a-z0-9_]{3,30}$/;

/** Per-tenant changes to device capabilities: profile id (or class name) -> capability overrides. */
export const DeviceOverrides = z.record(
  z.string(),
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
);
export type DeviceOverrides = z.infer<typeof DeviceOverrides>;

export const Tenant = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  hosts: z.array(z.string()),
  switches: Switches,
  deviceOverrides: DeviceOverrides.default({}),
  /** Authors with more friends than this are pulled at read time instead of pushed at write time. */
  celebrityLimit: z.number().int().min(0).default(500),
});
export type Tenant = z.infer<typeof Tenant>;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(USERNAME_PATTERN, 'use 3-30 letters, digits or underscores');

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email('enter a valid email address'));

export const SignupInput = z.object({
  username: Username,
  displayName: lineText().min(1, 'enter a name').max(60),
  password: z.string().min(8, 'use at least 8 characters').max(200),
  /** Optional; unique per community, and usable instead of the username to log in. */
  email: Email.optional(),
});
export type SignupInput = z.infer<typeof SignupInput>;

export const LoginInput = z.object({
  /** The username, or the email address given at sign-up. */
  username: z.union([Username, Email]),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof LoginInput>;

export const Member = z.object({
  id: Id,
  username: z.string(),
  displayName: z.string(),
  bio: z.string(),
  createdAt: z.string(),
});
export type Member = z.infer<typeof Member>;

/**
 * A member's session at the origin: `id` names it (so it alone can be ended), `version` is the
 * member's session version when it began (ending every session raises it). The edge keeps both in
 * the cookie or URL token and sends them on every request as `x-chorus-session: <id>.<version>`.
 */
export const SessionInfo = z.object({
  id: z.string().regex(/^[0-9a-f]{16}$/),
  version: z.number().int().min(1),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** What sign-up, log-in and restore answer: the member and the session just begun. */
export const SessionStart = Member.extend({ session: SessionInfo });
export type SessionStart = z.infer<typeof SessionStart>;

/** The x-chorus-session header value of a session. */
export const sessionHeaderOf = (s: SessionInfo) => `${s.id}.${s.version}`;

/** A new password; the current one is required. Every other session of the member ends. */
export const PasswordChange = z.object({
  current: z.string().min(1, 'enter your current password').max(200),
  next: z.string().min(8, 'use at least 8 characters').max(200),
});
export type PasswordChange = z.infer<typeof PasswordChange>;

/** Changes to one's own profile; each change also becomes a 'profile-update' event for friends. */
export const ProfileInput = z
  .object({
    displayName: lineText().min(1, 'enter a name').max(60).optional(),
    bio: multilineText().max(300, 'keep it under 300 characters').optional(),
  })
  .refine((p) => p.displayName !== undefined || p.bio !== undefined, { message: 'change at least one field' });
export type ProfileInput = z.infer<typeof ProfileInput>;

/** How the viewer relates to a member; 'self' when they look at their own profile. */
export const Relation = z.enum(['none', 'self', 'friend', 'request-sent', 'request-received']);
export type Relation = z.infer<typeof Relation>;

export const Profile = z.object({
  member: Member,
  relation: Relation,
  friendCount: z.number().int(),
});
export type Profile = z.infer<typeof Profile>;

/** Who may see an item: everyone, the actor's friends, only the actor, or one of the actor's friend lists. */
export const Audience = z.enum(['public', 'friends', 'only_me', 'list']);
export type Audience = z.infer<typeof Audience>;
export const PostAudience = z.enum(['public', 'friends', 'only_me']);

export const EventTypeName = z.enum(EVENT_TYPES);

/** One rendition of an image; the edge picks the largest that fits the device in a format it shows. */
export const ImageVariant = z.object({
  url: z.url({ protocol: /^https?$/ }).max(500),
  width: z.number().int().min(1).max(8192),
  format: z.enum(['jpeg', 'png', 'gif', 'webp', 'avif']),
});
export type ImageVariant = z.infer<typeof ImageVariant>;

export const GameScore = z.object({ name: lineText().min(1).max(60), score: z.number().int().min(0) });

/** Fields each client-posted event type must carry (beyond type and audience). */
const REQUIRED: Partial<Record<EventType, readonly (keyof EventFields)[]>> = {
  status: ['text'],
  photo: ['images'],
  album: ['title', 'images'],
  comment: ['object', 'text'],
  like: ['object'],
  'profile-photo': ['images'],
  'group-join': ['group'],
  'blog-post': ['title', 'text'],
  video: ['url'],
  link: ['url'],
  'game-score': ['game'],
  ecard: ['target'],
  birthday: ['target'],
  checkin: ['place'],
};

const EventFields = z.object({
  text: multilineText().max(POST_MAX_LENGTH, `keep it under ${POST_MAX_LENGTH} characters`).default(''),
  audience: Audience.default('friends'),
  /** The friend list an audience of 'list' means; every member of it must be a friend. */
  listId: Id.optional(),
  /** The item a comment or like is about. */
  object: Id.optional(),
  /** The member an e-card or birthday greeting is sent to. */
  target: Id.optional(),
  images: z.array(ImageVariant).min(1).max(8).optional(),
  url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .optional(),
  title: lineText().min(1).max(120).optional(),
  place: lineText().min(1).max(80).optional(),
  game: GameScore.optional(),
  group: lineText().min(1).max(80).optional(),
  design: lineText().min(1).max(40).optional(),
});
type EventFields = z.infer<typeof EventFields>;

const ClientEventType = EventTypeName.refine((t) => !SYSTEM_EVENT_TYPES.includes(t), {
  message: 'this kind of event is written by Chorus itself',
});

/** Anything a member publishes: a status update, a photo, a like, a check-in, ... */
export const EventInput = EventFields.extend({ type: ClientEventType.default('status') }).superRefine((e, ctx) => {
  for (const field of REQUIRED[e.type] ?? []) {
    const v = e[field];
    if (v === undefined || v === '')
      ctx.addIssue({ code: 'custom', path: [field], message: `a ${e.type} needs ${field}` });
  }
  if (e.audience === 'list' && !e.listId)
    ctx.addIssue({ code: 'custom', path: ['listId'], message: 'choose the friend list that may see this' });
  if (e.audience !== 'list' && e.listId)
    ctx.addIssue({ code: 'custom', path: ['listId'], message: "a list is only used with audience 'list'" });
});
export type EventInput = z.infer<typeof EventInput>;

/** A status update: the simple form the pages post. */
export const PostInput = z.object({
  text: multilineText()
    .min(1, 'write something first')
    .max(POST_MAX_LENGTH, `keep it under ${POST_MAX_LENGTH} characters`),
  audience: Audience.default('friends'),
  listId: Id.optional(),
});
export type PostInput = z.infer<typeof PostInput>;

/** A new audience for an item already published (PATCH /v1/posts/:id). */
export const AudienceChange = z
  .object({ audience: Audience, listId: Id.optional() })
  .strict()
  .superRefine((e, ctx) => {
    if (e.audience === 'list' && !e.listId)
      ctx.addIssue({ code: 'custom', path: ['listId'], message: 'choose the friend list that may see this' });
    if (e.audience !== 'list' && e.listId)
      ctx.addIssue({ code: 'custom', path: ['listId'], message: "a list is only used with audience 'list'" });
  });
export type AudienceChange = z.infer<typeof AudienceChange>;

/** The item a reaction is about, as far as the viewer may see it. */
export const EntryObject = z.object({
  id: Id,
  type: EventTypeName,
  text: z.string(),
  actor: Member,
});

export const StreamEntry = z.object({
  id: Id,
  type: EventTypeName,
  text: z.string(),
  audience: Audience,
  createdAt: z.string(),
  actor: Member,
  object: EntryObject.nullable().default(null),
  target: Member.nullable().default(null),
  images: z.array(ImageVariant).default([]),
  url: z.string().nullable().default(null),
  title: z.string().nullable().default(null),
  place: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  game: GameScore.nullable().default(null),
  group: z.string().nullable().default(null),
  /** Aggregation: further actors who did the same to the same object ("Ann and 3 others liked ..."). */
  others: z.array(Member).default([]),
  /** How many actors the entry stands for (1 + others, counting any not listed). */
  actorCount: z.number().int().min(1).default(1),
});
export type StreamEntry = z.infer<typeof StreamEntry>;

export const StreamPage = z.object({
  entries: z.array(StreamEntry),
  /** Opaque cursor for the next (older) page; null at the end. */
  older: z.string().nullable(),
});
export type StreamPage = z.infer<typeof StreamPage>;

/** GET /v1/streams/home: the member's home stream, plus whom the member must not see anywhere. */
export const HomePage = StreamPage.extend({
  /**
   * Members hidden from this viewer (blocked either way, or muted). The edge composes shared
   * fragments (the same for every member, e.g. the community's latest public posts) into the
   * home page and drops these members' entries from them, so the fragments stay shared.
   */
  hidden: z.array(Id).optional(),
});
export type HomePage = z.infer<typeof HomePage>;

export const StreamQuery = z.object({
  older: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Comma-separated event types to keep (e.g. `photo,video`); all when absent. */
  types: z
    .string()
    .max(300)
    .optional()
    .transform((s, ctx) => {
      if (s === undefined || s.trim() === '') return undefined;
      const out: EventType[] = [];
      for (const t of s.split(',').map((x) => x.trim())) {
        if (!(EVENT_TYPES as readonly string[]).includes(t)) {
          ctx.addIssue({ code: 'custom', message: `unknown event type "${t.slice(0, 40)}"` });
          return z.NEVER;
        }
        out.push(t as EventType);
      }
      return out;
    }),
});

export const FriendListInput = z.object({
  name: lineText().min(1, 'name the list').max(60),
  members: z.array(Id).max(5000),
});
export type FriendListInput = z.infer<typeof FriendListInput>;

export const FriendList = z.object({ id: Id, name: z.string(), members: z.array(Id) });
export type FriendList = z.infer<typeof FriendList>;

export const NOTIFICATION_KINDS = ['friend-request', 'friend-accepted', 'like', 'comment', 'ecard'] as const;

export const Notification = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  actor: Member,
  /** The item it is about (your photo that was liked), when there is one. */
  item: z.object({ id: Id, type: EventTypeName, text: z.string() }).nullable().default(null),
  createdAt: z.string(),
  seen: z.boolean(),
  read: z.boolean(),
  /** Aggregation: others who did the same to the same item ("Ann and 3 others liked your photo"). */
  others: z.array(Member).default([]),
  actorCount: z.number().int().min(1).default(1),
  /** Ids of every notification folded into this one (mark-read applies to all). */
  ids: z.array(Id).default([]),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = z.object({
  entries: z.array(Notification),
  older: z.string().nullable(),
  /** Not yet shown in any list (the badge). */
  unseen: z.number().int(),
  /** Not yet opened. */
  unread: z.number().int(),
});
export type NotificationPage = z.infer<typeof NotificationPage>;

export const FriendRequestInput = z.object({ to: Id });

export const FriendRequests = z.object({
  incoming: z.array(Member),
  outgoing: z.array(Member),
});
export type FriendRequests = z.infer<typeof FriendRequests>;

export const MemberList = z.object({ members: z.array(Member) });

export const MemberSearchQuery = z.object({
  prefix: lineText().min(1, 'type at least one character').max(60),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Search results; `partial` when a shard did not answer in time. */
export const MemberSearch = z.object({ members: z.array(Member), partial: z.boolean() });

/**
 * Problem types the edge acts on (besides the status): whether a 401 ends the session or is the
 * signature's fault (retry, never log out), and whether a 503 means the whole origin is down
 * (the edge's circuit breaker counts only those) or just one database or dependency.
 */
export const PROBLEM_TYPES = {
  /** The member's session was ended (logout, log out everywhere, password change, deletion). */
  sessionEnded: 'https://chorus.dev/problems/session-ended',
  /** The request signature was missing, stale, forged or replayed: the edge's or the clock's fault. */
  signature: 'https://chorus.dev/problems/signature',
  /** The origin as a whole cannot serve (its directory is down, or it is shutting down). */
  originUnavailable: 'https://chorus.dev/problems/origin-unavailable',
  /** Too many requests: the answer carries Retry-After. */
  rateLimited: 'https://chorus.dev/problems/rate-limited',
} as const;

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;
