// Members logged in through the edge's login form before the load starts, as phones would: the
// session cookie and the CSRF token of their forms are what the load's requests then carry.

import { RICH_UA } from '../bench/support-edge.js';
import { forEachLimit } from '../bench/support-streams.js';
import { hiddenFields, Visitor } from '../support/edge-process.js';
import { type Community, LOAD_HOST, LOAD_PASSWORD, type LoadMember } from './community.js';

export interface LoadSession {
  memberId: string;
  username: string;
  cookie: string;
  csrf: string;
  /** Friends of this member who are logged in too (post-to-visible probes need one). */
  friendsOnline: LoadSession[];
}

/** Logs `count` members (drawn evenly over the community, celebrities among them) in. */
export async function logIn(edgePort: number, community: Community, count: number): Promise<LoadSession[]> {
  const step = Math.max(1, Math.floor(community.members.length / count));
  const chosen: LoadMember[] = [];
  for (let i = 0; i < community.members.length && chosen.length < count; i += step) chosen.push(community.members[i]!);
  const sessions: LoadSession[] = [];
  await forEachLimit(chosen, 4, async (member) => {
    const visitor = new Visitor(edgePort, LOAD_HOST, RICH_UA);
    const home = await visitor.submit('/login', '/login', { username: member.username, password: LOAD_PASSWORD });
    const form = hiddenFields(home.body, '/posts');
    if (home.status !== 200 || !form?._csrf)
      throw new Error(`login of ${member.username} did not reach a home page with a post form (${home.status})`);
    sessions.push({
      memberId: member.id.toString(),
      username: member.username,
      cookie: visitor.cookieHeader(),
      csrf: form._csrf,
      friendsOnline: [],
    });
  });
  const byId = new Map(sessions.map((s) => [s.memberId, s]));
  for (const s of sessions) {
    for (const friend of community.friendsOf.get(s.memberId) ?? []) {
      const online = byId.get(friend);
      if (online) s.friendsOnline.push(online);
    }
  }
  return sessions;
}
