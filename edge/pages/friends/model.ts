// Friends: requests waiting for the member's answer, requests they sent, and their friends.
import { FriendRequests, type Member, MemberList, type Tenant } from '../../../shared/api.js';
import { isId } from '../../../shared/ids.js';
import type { OriginClient } from '../../origin-client/origin-client.js';

export interface FriendsModel {
  incoming: Member[];
  outgoing: Member[];
  friends: Member[];
  friendingOpen: boolean;
}

export async function buildFriendsModel(origin: OriginClient, tenant: Tenant, memberId: string): Promise<FriendsModel> {
  const [requests, friends] = await Promise.all([
    origin.get('/v1/friend-requests', FriendRequests),
    origin.get(`/v1/members/${memberId}/friends`, MemberList),
  ]);
  return {
    incoming: requests.incoming,
    outgoing: requests.outgoing,
    friends: friends.members,
    friendingOpen: tenant.switches.friending,
  };
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
