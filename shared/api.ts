// The origin's JSON API as zod schemas: the origin validates with them, the edge parses
// responses with them, and the OpenAPI document is generated from them.
import { z } from 'zod';
import { isId } from './ids.js';
import { Switches } from './switches.js';

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
  displayName: z.string().trim().min(1, 'enter a name').max(60),
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

/** How the viewer relates to a member; 'self' when they look at their own profile. */
export const Relation = z.enum(['none', 'self', 'friend', 'request-sent', 'request-received']);
export type Relation = z.infer<typeof Relation>;

export const Profile = z.object({
  member: Member,
  relation: Relation,
  friendCount: z.number().int(),
});
export type Profile = z.infer<typeof Profile>;

/** Who may see an item. 'list' (a custom friend list) is stored but not yet offered when posting. */
export const Audience = z.enum(['public', 'friends', 'only_me', 'list']);
export type Audience = z.infer<typeof Audience>;
export const PostAudience = z.enum(['public', 'friends', 'only_me']);

export const PostInput = z.object({
  text: z
    .string()
    .trim()
    .min(1, 'write something first')
    .max(POST_MAX_LENGTH, `keep it under ${POST_MAX_LENGTH} characters`),
  audience: PostAudience.default('friends'),
});
export type PostInput = z.infer<typeof PostInput>;

export const StreamEntry = z.object({
  id: Id,
  verb: z.literal('status'),
  text: z.string(),
  audience: Audience,
  createdAt: z.string(),
  actor: Member,
});
export type StreamEntry = z.infer<typeof StreamEntry>;

export const StreamPage = z.object({
  entries: z.array(StreamEntry),
  /** Opaque cursor for the next (older) page; null at the end. */
  older: z.string().nullable(),
});
export type StreamPage = z.infer<typeof StreamPage>;

export const StreamQuery = z.object({
  older: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const NOTIFICATION_KINDS = ['friend-request', 'friend-accepted'] as const;

export const Notification = z.object({
  id: Id,
  kind: z.enum(NOTIFICATION_KINDS),
  actor: Member,
  createdAt: z.string(),
  seen: z.boolean(),
  read: z.boolean(),
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
  prefix: z.string().trim().min(1, 'type at least one character').max(60),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Search results; `partial` when a shard did not answer in time. */
export const MemberSearch = z.object({ members: z.array(Member), partial: z.boolean() });

export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof Problem>;
