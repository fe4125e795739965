// Friends: requests waiting for the member's answer, requests they sent, and their friends.
// The origin returns the whole lists; the edge pages through them (?from=N counts people across
// the three lists, in that order) so that each page fits the device's budget.
import { FriendRequests, type Member, MemberList, type Tenant } from '../../../shared/api.js';
import { isId } from '../../../shared/ids.js';
import type { OriginClient } from '../../origin-client/origin-client.js';

export interface FriendLists {
  incoming: Member[];
  outgoing: Member[];
  friends: Member[];
}

export interface FriendsModel extends FriendLists {
  /** How many people each whole list has (the model shows a slice of them). */
  totals: { incoming: number; outgoing: number; friends: number };
  /** Position of the first person shown, counted across the three lists. */
  from: number;
  /** The next page, or null on the last one. */
  moreHref: string | null;
  friendingOpen: boolean;
}

export async function fetchFriendLists(origin: OriginClient, memberId: string): Promise<FriendLists> {
  const [requests, friends] = await Promise.all([
    origin.get('/v1/friend-requests', FriendRequests),
    origin.get(`/v1/members/${memberId}/friends`, MemberList),
  ]);
  return { incoming: requests.incoming, outgoing: requests.outgoing, friends: friends.members };
}

/** Reads ?from=: a small non-negative integer, anything else is 0. */
export function parseFrom(raw: string | undefined): number {
  if (raw === undefined || !/^\d{1,6}$/.test(raw)) return 0;
  return Number(raw);
}

/** The page of the lists that starts at `from` and shows at most `count` people. */
export function pageOfFriends(lists: FriendLists, friendingOpen: boolean, from: number, count: number): FriendsModel {
  const total = lists.incoming.length + lists.outgoing.length + lists.friends.length;
  const start = Math.min(Math.max(0, from), Math.max(0, total - 1));
  const end = start + Math.max(1, count);
  let offset = 0;
  const slice = (people: Member[]) => {
    const part = people.slice(Math.max(0, start - offset), Math.max(0, end - offset));
    offset += people.length;
    return part;
  };
  return {
    incoming: slice(lists.incoming),
    outgoing: slice(lists.outgoing),
    friends: slice(lists.friends),
    totals: { incoming: lists.incoming.length, outgoing: lists.outgoing.length, friends: lists.friends.length },
    from: start,
    moreHref: end < total ? `/friends?from=${end}` : null,
    friendingOpen,
  };
}

export function shownCount(model: FriendsModel): number {
  return model.incoming.length + model.outgoing.length + model.friends.length;
}

export async function buildFriendsModel(
  origin: OriginClient,
  tenant: Tenant,
  memberId: string,
  from = 0,
  count = Number.MAX_SAFE_INTEGER,
): Promise<FriendsModel> {
  return pageOfFriends(await fetchFriendLists(origin, memberId), tenant.switches.friending, from, count);
}

export type FriendAction = 'request' | 'accept' | 'decline' | 'remove';

/** Carries out one friend action at the origin. Returns false when `otherId` is not an id. */
export async function performFriendAction(
  origin: OriginClient,
  action: FriendAction,
  otherId: string,
): Promise<boolean> {
  if (!isId(otherId)) return false;
  switch (action) {
    case 'request':
      await origin.post('/v1/friend-requests', { to: otherId });
      break;
    case 'accept':
      await origin.post(`/v1/friend-requests/${otherId}/accept`, {});
      break;
    case 'decline':
      await origin.post(`/v1/friend-requests/${otherId}/decline`, {});
      break;
    case 'remove':
      await origin.delete(`/v1/friends/${otherId}`);
      break;
  }
  return true;
}
