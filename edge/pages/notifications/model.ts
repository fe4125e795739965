// Notifications: friend requests and acceptances, likes, comments and e-cards, newest first.
// Likes and comments on the same item arrive aggregated from the origin ("Ann and 2 others
// liked your photo"). Opening the list marks everything seen (the badge clears); each unread
// one can be marked read.
import { type Notification, NotificationPage } from '../../../shared/api.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { MAX_LIST_ENTRIES } from '../../ui/budget.js';
import type { ActionButton } from '../../ui/chrome.js';
import { actorsPhrase, type Inline, nounOf, QUOTE_LENGTH, shorten } from '../../ui/entries.js';
import { formatTime, olderHref } from '../../ui/format.js';

export interface NotificationsModel {
  entries: Notification[];
  olderHref: string | null;
  /** Not seen before this visit (the badge count as the page was loaded). */
  unseen: number;
  unread: number;
  /** True on later pages (older=...). */
  paged: boolean;
}

/** One notification as both tiers show it. */
export interface NotificationView {
  id: string;
  headline: Inline[];
  /** What it is about (your post's text), shortened. */
  quote: string | null;
  /** Where to act on it, e.g. answer a friend request. */
  next: { text: string; href: string } | null;
  time: string;
  /** New since the last visit. */
  fresh: boolean;
  markRead: ActionButton | null;
}

export async function buildNotificationsModel(
  origin: OriginClient,
  older?: string,
  limit = MAX_LIST_ENTRIES,
): Promise<NotificationsModel> {
  const page = await origin.get('/v1/notifications', NotificationPage, { older, limit });
  return {
    entries: page.entries,
    olderHref: olderHref('/notifications', page.older),
    unseen: page.unseen,
    unread: page.unread,
    paged: Boolean(older),
  };
}

export function describeNotification(n: Notification): NotificationView {
  const who = actorsPhrase(n.actor, n.others, n.actorCount);
  const yours = n.item ? `your ${nounOf(n.item.type)}` : 'your post';
  let headline: Inline[];
  let next: NotificationView['next'] = null;
  switch (n.kind) {
    case 'friend-request':
      headline = [...who, ' sent you a friend request'];
      next = { text: 'Answer', href: '/friends' };
      break;
    case 'friend-accepted':
      headline = [...who, ' accepted your friend request'];
      break;
    case 'like':
      headline = [...who, ` liked ${yours}`];
      break;
    case 'comment':
      headline = [...who, ` commented on ${yours}`];
      break;
    case 'ecard':
      headline = [...who, ' sent you an e-card'];
      break;
  }
  return {
    id: n.id,
    headline,
    quote: n.item?.text ? shorten(n.item.text, QUOTE_LENGTH) : null,
    next,
    time: formatTime(n.createdAt),
    fresh: !n.seen,
    markRead: n.read ? null : { label: 'Mark read', action: `/notifications/${n.id}/read` },
  };
}
