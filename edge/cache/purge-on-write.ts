// Middleware: after a member's write succeeds (a redirect back), purge the shared pages it
// changed, so anonymous visitors see the change within moments in this colo (and within
// FRESH_SECONDS in others). A post changes the front page (public stream), the author's
// profile and the pages of its hashtags; a friendship accepted or removed changes both members'
// profiles (friend counts).
// The author's own views are private (never cached), so the author sees the change at once.
import type { Context, MiddlewareHandler } from 'hono';
import { Profile } from '../../shared/api.js';
import { hashtagsOf } from '../../shared/events.js';
import { isId } from '../../shared/ids.js';
import type { AppEnv } from '../env.js';
import { readForm } from '../forms/read-form.js';
import { deferWork } from '../worker-context.js';
import { purgePublicStream } from './fragments.js';
import { purgePublicPages } from './page-cache.js';

const FRIENDSHIP_CHANGE = /^\/friends\/([^/]+)\/(accept|remove)$/;

/** The profile paths (/u/:username) of these members, looked up anonymously at the origin. */
async function profilePaths(c: Context<AppEnv>, memberIds: string[]): Promise<string[]> {
  const anonymous = c.get('origin').withIdentity({ member: '' });
  const found = await Promise.all(
    memberIds.map((id) =>
      anonymous
        .get(`/v1/members/${id}`, Profile)
        .then((p) => `/u/${encodeURIComponent(p.member.username)}`)
        .catch(() => null),
    ),
  );
  return found.filter((path): path is string => path !== null);
}

export const purgeOnWrite: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const session = c.get('session');
  if (c.req.method !== 'POST' || !session || c.res.status < 300 || c.res.status >= 400) return;
  const tenantId = c.get('tenant').id;
  const path = c.req.path;
  if (path === '/posts') {
    // The form was read (and kept) by the CSRF check and the handler.
    const form = await readForm(c).catch(() => ({}) as Record<string, string>);
    const tagPages = hashtagsOf(form.text ?? '').map((tag) => `/tags/${encodeURIComponent(tag)}`);
    // Awaited: the next anonymous visitor here must not get the page without the post.
    await Promise.all([purgePublicPages(tenantId, ['/', ...tagPages]), purgePublicStream(tenantId)]);
    deferWork(
      c,
      profilePaths(c, [session.memberId]).then((paths) => purgePublicPages(tenantId, paths)),
    );
    return;
  }
  const friendship = FRIENDSHIP_CHANGE.exec(path);
  if (friendship && isId(friendship[1]!)) {
    deferWork(
      c,
      profilePaths(c, [session.memberId, friendship[1]!]).then((paths) => purgePublicPages(tenantId, paths)),
    );
  }
};
