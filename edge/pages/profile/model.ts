// A member's profile: who they are, how the viewer relates to them (and what they can do about
// it), and the posts of theirs the viewer may see (the origin enforces privacy).
import {
  type Profile,
  Profile as ProfileSchema,
  type StreamEntry,
  StreamPage,
  type Tenant,
  Username,
} from '../../../shared/api.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { OriginProblem } from '../../origin-client/origin-errors.js';
import { MAX_LIST_ENTRIES } from '../../ui/budget.js';
import type { ActionButton } from '../../ui/chrome.js';
import { olderHref } from '../../ui/format.js';

export interface ProfileModel {
  profile: Profile;
  /** Relation buttons for a logged-in viewer (add friend, accept, decline, unfriend). */
  actions: ActionButton[];
  /** A line about the relation, e.g. "Friend request sent". */
  note: string | null;
  /** Anonymous viewers get a link to log in instead of buttons. */
  loginToAct: boolean;
  entries: StreamEntry[];
  olderHref: string | null;
}

export function relationActions(profile: Profile, friending: boolean): Pick<ProfileModel, 'actions' | 'note'> {
  const id = profile.member.id;
  switch (profile.relation) {
    case 'self':
      return { actions: [], note: 'This is you.' };
    case 'friend':
      return {
        actions: friending ? [{ label: 'Unfriend', action: `/friends/${id}/remove` }] : [],
        note: 'You are friends.',
      };
    case 'request-sent':
      return { actions: [], note: 'Friend request sent.' };
    case 'request-received':
      return {
        actions: friending
          ? [
              { label: 'Accept friend request', action: `/friends/${id}/accept` },
              { label: 'Decline', action: `/friends/${id}/decline` },
            ]
          : [],
        note: `${profile.member.displayName} wants to be your friend.`,
      };
    default:
      return {
        actions: friending ? [{ label: 'Add friend', action: '/friends/request', fields: { to: id } }] : [],
        note: null,
      };
  }
}

/** The profile page's model, or null when there is no such member (a 404 page). */
export async function buildProfileModel(
  origin: OriginClient,
  tenant: Tenant,
  rawUsername: string,
  loggedIn: boolean,
  older?: string,
  limit = MAX_LIST_ENTRIES,
): Promise<ProfileModel | null> {
  const username = Username.safeParse(rawUsername);
  if (!username.success) return null;
  let profile: Profile;
  try {
    profile = await origin.get(`/v1/members/by-username/${encodeURIComponent(username.data)}`, ProfileSchema);
  } catch (err) {
    if (err instanceof OriginProblem && err.status === 404) return null;
    throw err;
  }
  const page = await origin.get(`/v1/members/${profile.member.id}/stream`, StreamPage, { older, limit });
  const relation = loggedIn ? relationActions(profile, tenant.switches.friending) : { actions: [], note: null };
  return {
    profile,
    ...relation,
    loginToAct: !loggedIn,
    entries: page.entries,
    olderHref: olderHref(`/u/${profile.member.username}`, page.older),
  };
}
