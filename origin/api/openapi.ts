// The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with.
import { z } from 'zod';
import {
  AudienceChange,
  EventInput,
  FriendList,
  FriendListInput,
  FriendRequestInput,
  FriendRequests,
  HomePage,
  LoginInput,
  Member,
  MemberList,
  MemberSearch,
  NotificationPage,
  PasswordChange,
  PostInput,
  Problem,
  Profile,
  ProfileInput,
  SessionInfo,
  SessionStart,
  SignupInput,
  StreamEntry,
  StreamPage,
  Tenant,
} from '../../shared/api.js';

interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
  auth?: boolean;
  query?: Record<string, string>;
}

const paging = { older: 'opaque cursor from a previous page', limit: 'entries per page, 1-100 (default 20)' };
const streamQuery = {
  ...paging,
  types: 'comma-separated event types to keep (e.g. photo,video); unknown types are a 400',
  format: "'as2' for ActivityStreams 2.0 (also: Accept: application/activity+json)",
};

const ROUTES: RouteDoc[] = [
  {
    method: 'get',
    path: '/v1/tenants/resolve',
    summary: 'Tenant for a host name',
    response: Tenant,
    query: { host: 'host name' },
  },
  {
    method: 'post',
    path: '/v1/members',
    summary: 'Sign up (and begin a session)',
    body: SignupInput,
    response: SessionStart,
    status: 201,
  },
  {
    method: 'post',
    path: '/v1/sessions',
    summary: 'Check credentials and begin a session (log in)',
    body: LoginInput,
    response: SessionStart,
  },
  {
    method: 'delete',
    path: '/v1/sessions/current',
    summary: 'End the session named by x-chorus-session (log out)',
    status: 204,
    auth: true,
  },
  {
    method: 'delete',
    path: '/v1/sessions',
    summary: 'End every session of mine (log out everywhere)',
    status: 204,
    auth: true,
  },
  {
    method: 'put',
    path: '/v1/members/me/password',
    summary: 'Change my password (the current one is required; every other session ends)',
    body: PasswordChange,
    response: z.object({ session: SessionInfo }),
    auth: true,
  },
  {
    method: 'get',
    path: '/v1/members',
    summary: 'Search members by name prefix (all shards; partial when one does not answer)',
    response: MemberSearch,
    query: { prefix: 'start of a display name or username', limit: '1-50 (default 20)' },
  },
  {
    method: 'delete',
    path: '/v1/members/me',
    summary: 'Delete my account (restorable for a while)',
    status: 204,
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/members/restore',
    summary: 'Restore a deleted account (and begin a session)',
    body: LoginInput,
    response: SessionStart,
  },
  {
    method: 'patch',
    path: '/v1/posts/{id}',
    summary: 'Give my item a new audience (holds at once in every stream)',
    body: AudienceChange,
    response: StreamEntry,
    auth: true,
  },
  {
    method: 'delete',
    path: '/v1/posts/{id}',
    summary: 'Delete my post (restorable for a while)',
    status: 204,
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/posts/{id}/restore',
    summary: 'Restore my deleted post',
    response: StreamEntry,
    auth: true,
  },
  { method: 'get', path: '/v1/members/by-username/{username}', summary: 'Profile by username', response: Profile },
  { method: 'get', path: '/v1/members/{id}', summary: 'Profile by id', response: Profile },
  { method: 'get', path: '/v1/members/{id}/friends', summary: "A member's friends", response: MemberList },
  {
    method: 'get',
    path: '/v1/members/{id}/stream',
    summary: "A member's events visible to the viewer (their ORI)",
    response: StreamPage,
    query: streamQuery,
  },
  {
    method: 'patch',
    path: '/v1/members/me',
    summary: 'Change my profile (friends see a profile-update event)',
    body: ProfileInput,
    response: Member,
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/members/{id}/block',
    summary: 'Block a member (ends any friendship)',
    status: 204,
    auth: true,
  },
  { method: 'delete', path: '/v1/members/{id}/block', summary: 'Unblock a member', status: 204, auth: true },
  {
    method: 'post',
    path: '/v1/members/{id}/mute',
    summary: "Mute a member's events in my streams",
    status: 204,
    auth: true,
  },
  { method: 'delete', path: '/v1/members/{id}/mute', summary: 'Unmute a member', status: 204, auth: true },
  {
    method: 'get',
    path: '/v1/lists',
    summary: 'My friend lists (audiences)',
    response: z.object({ lists: z.array(FriendList) }),
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/lists',
    summary: 'Create a friend list; every member must be a friend (422 otherwise)',
    body: FriendListInput,
    response: FriendList,
    status: 201,
    auth: true,
  },
  {
    method: 'put',
    path: '/v1/lists/{id}',
    summary: 'Change a friend list (takes effect on every stream at once)',
    body: FriendListInput,
    response: FriendList,
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/events',
    summary: 'Publish an event of any client type (photo, like, check-in, ...)',
    body: EventInput,
    response: StreamEntry,
    status: 201,
    auth: true,
  },
  {
    method: 'get',
    path: '/v1/tags/{tag}/stream',
    summary: 'Public events with a hashtag',
    response: StreamPage,
    query: streamQuery,
  },
  {
    method: 'get',
    path: '/v1/places/{place}/stream',
    summary: 'Public check-ins and events at a place',
    response: StreamPage,
    query: streamQuery,
  },
  {
    method: 'get',
    path: '/v1/friend-requests',
    summary: 'Pending friend requests',
    response: FriendRequests,
    auth: true,
  },
  {
    method: 'post',
    path: '/v1/friend-requests',
    summary: 'Send a friend request',
    body: FriendRequestInput,
    status: 201,
    auth: true,
  },
  { method: 'post', path: '/v1/friend-requests/{id}/accept', summary: 'Accept a friend request', auth: true },
  { method: 'post', path: '/v1/friend-requests/{id}/decline', summary: 'Decline a friend request', auth: true },
  { method: 'delete', path: '/v1/friends/{id}', summary: 'Unfriend', status: 204, auth: true },
  {
    method: 'post',
    path: '/v1/posts',
    summary: 'Post a status update',
    body: PostInput,
    response: StreamEntry,
    status: 201,
    auth: true,
  },
  {
    method: 'get',
    path: '/v1/streams/home',
    summary: "Home stream: own and friends' events (pushed, plus celebrities pulled), aggregated",
    response: HomePage,
    auth: true,
    query: streamQuery,
  },
  {
    method: 'get',
    path: '/v1/notifications',
    summary: 'My notifications, newest first, with unseen and unread counts',
    response: NotificationPage,
    auth: true,
    query: paging,
  },
  { method: 'post', path: '/v1/notifications/seen', summary: 'Mark all notifications seen', status: 204, auth: true },
  {
    method: 'post',
    path: '/v1/notifications/{id}/read',
    summary: 'Mark one notification read',
    status: 204,
    auth: true,
  },
  {
    method: 'get',
    path: '/v1/streams/public',
    summary: "The community's public stream",
    response: StreamPage,
    query: streamQuery,
  },
];

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const parameters = [
      ...[...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
        name: m[1],
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(r.query ?? {}).map(([name, description]) => ({
        name,
        in: 'query',
        description,
        schema: { type: 'string' },
      })),
    ];
    paths[r.path] ??= {};
    paths[r.path]![r.method] = {
      summary: r.summary,
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schema(r.body) } } } }
        : {}),
      responses: {
        [String(r.status ?? 200)]: {
          description: 'success',
          ...(r.response ? { content: { 'application/json': { schema: schema(r.response) } } } : {}),
        },
        default: { description: 'problem', content: { 'application/problem+json': { schema: schema(Problem) } } },
      },
      ...(r.auth ? { description: 'Requires x-chorus-member (a logged-in member).' } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chorus origin API',
      version: '1',
      description:
        'Every /v1 request is signed by the edge: x-chorus-timestamp, x-chorus-signature (HMAC-SHA256), x-chorus-tenant, x-chorus-member, x-request-id. See shared/signing.ts.',
    },
    paths,
  };
}
