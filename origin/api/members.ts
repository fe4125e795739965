import { Hono } from 'hono';
import {
  FriendListInput,
  LoginInput,
  MemberSearchQuery,
  PasswordChange,
  type Profile,
  ProfileInput,
  SignupInput,
  StreamQuery,
  Username,
} from '../../shared/api.js';
import { enforce, type Rule } from '../abuse/rate-limits.js';
import type { OriginContext } from '../context.js';
import { block, mute, unblock, unmute } from '../graph/blocks-and-mutes.js';
import { createList, listLists, updateList } from '../graph/friend-lists.js';
import { friendCount, listFriends, relationOf } from '../graph/friends.js';
import type { AppEnv } from '../http/app-env.js';
import { badRequest, notFound } from '../http/problem.js';
import { deleteAccount, restoreAccount } from '../members/delete.js';
import { changePassword, getMember, idForUsername, login, parseMemberId, signup } from '../members/members.js';
import { updateProfile } from '../members/profile.js';
import { searchMembers } from '../members/search.js';
import { endAllSessions, endSession, sessionIdOf } from '../members/sessions.js';
import { readMemberStream } from '../streams/member-stream.js';
import { respondStream } from './posts.js';
import { json, query, requireMember, tenantOf } from './validate.js';

/** Password guesses are limited per address and per account (whichever name it is tried by). */
const loginLimits = (ip: string, login: string): [Rule, string][] => [
  ['loginIp', ip],
  ['loginAccount', login.toLowerCase()],
];

export function memberRoutes(ctx: OriginContext) {
  async function profile(tenantId: string, viewer: bigint | null, id: bigint): Promise<Profile> {
    const [member, relation, friends] = await Promise.all([
      getMember(ctx, tenantId, id),
      relationOf(ctx, tenantId, viewer, id),
      friendCount(ctx, tenantId, id),
    ]);
    return { member, relation, friendCount: friends };
  }

  return new Hono<AppEnv>()
    .post('/members', json(SignupInput), async (c) => {
      const tenant = await tenantOf(ctx, c);
      await enforce(ctx, tenant.id, [
        ['signupIp', c.get('clientIp')],
        ['signupTenant', 'all'],
      ]);
      return c.json(await signup(ctx, tenant, c.req.valid('json')), 201);
    })
    .post('/sessions', json(LoginInput), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const input = c.req.valid('json');
      await enforce(ctx, tenant.id, loginLimits(c.get('clientIp'), input.username));
      return c.json(await login(ctx, tenant, input));
    })
    .delete('/sessions/current', async (c) => {
      // Log out: this session only (the one the request names).
      const me = requireMember(c);
      const id = sessionIdOf(c.get('session'));
      if (id === null) throw badRequest('the request names no session (x-chorus-session)');
      await endSession(ctx, (await tenantOf(ctx, c)).id, me, id);
      return c.body(null, 204);
    })
    .delete('/sessions', async (c) => {
      // Log out everywhere.
      const me = requireMember(c);
      await endAllSessions(ctx, (await tenantOf(ctx, c)).id, me);
      return c.body(null, 204);
    })
    .put('/members/me/password', json(PasswordChange), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      return c.json({ session: await changePassword(ctx, tenant, me, c.req.valid('json')) });
    })
    .get('/members', query(MemberSearchQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const { prefix, limit } = c.req.valid('query');
      return c.json(await searchMembers(ctx, tenant.id, prefix, limit));
    })
    .patch('/members/me', json(ProfileInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      return c.json(await updateProfile(ctx, tenant, me, c.req.valid('json')));
    })
    .delete('/members/me', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      await deleteAccount(ctx, tenant, me);
      return c.body(null, 204);
    })
    .post('/members/restore', json(LoginInput), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const input = c.req.valid('json');
      await enforce(ctx, tenant.id, loginLimits(c.get('clientIp'), input.username));
      return c.json(await restoreAccount(ctx, tenant, input));
    })
    .get('/members/by-username/:username', async (c) => {
      const tenant = await tenantOf(ctx, c);
      const parsed = Username.safeParse(c.req.param('username'));
      const id = parsed.success ? await idForUsername(ctx, tenant.id, parsed.data) : null;
      if (id === null) throw notFound(`no member called "${c.req.param('username').slice(0, 40)}"`);
      return c.json(await profile(tenant.id, c.get('memberId'), id));
    })
    .get('/members/:id', async (c) => {
      const tenant = await tenantOf(ctx, c);
      return c.json(await profile(tenant.id, c.get('memberId'), parseMemberId(c.req.param('id'))));
    })
    .get('/members/:id/friends', async (c) => {
      const tenant = await tenantOf(ctx, c);
      const id = parseMemberId(c.req.param('id'));
      await getMember(ctx, tenant.id, id);
      return c.json({ members: await listFriends(ctx, tenant.id, id) });
    })
    .get('/members/:id/stream', query(StreamQuery), async (c) => {
      const tenant = await tenantOf(ctx, c);
      const { older, limit, types } = c.req.valid('query');
      const id = parseMemberId(c.req.param('id'));
      return respondStream(c, await readMemberStream(ctx, tenant, c.get('memberId'), id, older, limit, types));
    })
    .post('/members/:id/block', async (c) => {
      const me = requireMember(c);
      await block(ctx, await tenantOf(ctx, c), me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    })
    .delete('/members/:id/block', async (c) => {
      const me = requireMember(c);
      await unblock(ctx, await tenantOf(ctx, c), me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    })
    .post('/members/:id/mute', async (c) => {
      const me = requireMember(c);
      await mute(ctx, await tenantOf(ctx, c), me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    })
    .delete('/members/:id/mute', async (c) => {
      const me = requireMember(c);
      await unmute(ctx, await tenantOf(ctx, c), me, parseMemberId(c.req.param('id')));
      return c.body(null, 204);
    })
    .get('/lists', async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      return c.json({ lists: await listLists(ctx, tenant.id, me) });
    })
    .post('/lists', json(FriendListInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      return c.json(await createList(ctx, tenant.id, me, c.req.valid('json')), 201);
    })
    .put('/lists/:id', json(FriendListInput), async (c) => {
      const me = requireMember(c);
      const tenant = await tenantOf(ctx, c);
      const id = parseMemberId(c.req.param('id'));
      return c.json(await updateList(ctx, tenant.id, me, id, c.req.valid('json')));
    });
}
