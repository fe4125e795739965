// The same stream pages as ActivityStreams 2.0 (https://www.w3.org/TR/activitystreams-core/) for
// third-party clients: an OrderedCollectionPage of activities, `next` linking to older entries
// and `prev` back to the newest page. Ids are URLs under the API path of the request.
import type { Notification, NotificationPage, StreamEntry, StreamPage } from '../../shared/api.js';
import type { EventType } from '../../shared/events.js';

export const AS2_CONTEXT = 'https://www.w3.org/ns/activitystreams';

export function wantsActivityStreams(accept: string | undefined, format: string | undefined): boolean {
  if (format === 'as2') return true;
  return /application\/(activity\+json|ld\+json[^,]*activitystreams)/.test(accept ?? '');
}

/** Activity type and object type for each event type. */
const AS2: Record<EventType, { activity: string; object: string }> = {
  status: { activity: 'Create', object: 'Note' },
  photo: { activity: 'Create', object: 'Image' },
  album: { activity: 'Create', object: 'Collection' },
  comment: { activity: 'Create', object: 'Note' },
  like: { activity: 'Like', object: 'Object' },
  friendship: { activity: 'Add', object: 'Relationship' },
  'profile-update': { activity: 'Update', object: 'Profile' },
  'profile-photo': { activity: 'Update', object: 'Image' },
  'group-join': { activity: 'Join', object: 'Group' },
  'blog-post': { activity: 'Create', object: 'Article' },
  video: { activity: 'Create', object: 'Video' },
  link: { activity: 'Create', object: 'Link' },
  'game-score': { activity: 'Create', object: 'Note' },
  ecard: { activity: 'Offer', object: 'Document' },
  birthday: { activity: 'Create', object: 'Event' },
  checkin: { activity: 'Arrive', object: 'Place' },
};

export function toOrderedCollectionPage(page: StreamPage, self: URL): Record<string, unknown> {
  const base = apiBase(self);
  return collectionPage(
    self,
    page.entries.map((e) => activityOf(e, base)),
    page.older,
  );
}

/** The API root of a request URL: ids of members, items and activities are under it. */
function apiBase(self: URL): string {
  return `${self.origin}${self.pathname.replace(/\/(streams|members|tags|places|notifications)(\/.*)?$/, '')}`;
}

/** An OrderedCollectionPage of `items`, `next` to the older page, `prev` back to the newest. */
function collectionPage(self: URL, items: Record<string, unknown>[], older: string | null): Record<string, unknown> {
  const collection = new URL(self);
  for (const k of ['older', 'format']) collection.searchParams.delete(k);
  const withCursor = (older: string | null) => {
    const u = new URL(collection);
    if (older) u.searchParams.set('older', older);
    if (self.searchParams.get('format') === 'as2') u.searchParams.set('format', 'as2');
    return u.toString();
  };
  const out: Record<string, unknown> = {
    '@context': AS2_CONTEXT,
    type: 'OrderedCollectionPage',
    id: self.toString(),
    partOf: collection.toString(),
    orderedItems: items,
  };
  if (older) out.next = withCursor(older);
  if (self.searchParams.get('older')) out.prev = withCursor(null);
  return out;
}

function actorOf(m: StreamEntry['actor'], base: string) {
  return { type: 'Person', id: `${base}/members/${m.id}`, preferredUsername: m.username, name: m.displayName };
}

function activityOf(e: StreamEntry, base: string): Record<string, unknown> {
  const kind = AS2[e.type];
  const object: Record<string, unknown> = e.object
    ? {
        type: AS2[e.object.type].object,
        id: `${base}/items/${e.object.id}`,
        content: e.object.text,
        attributedTo: actorOf(e.object.actor, base),
      }
    : {
        type: kind.object,
        id: `${base}/items/${e.id}`,
        ...(e.text ? { content: e.text } : {}),
        ...(e.title ? { name: e.title } : {}),
        ...(e.url ? { url: e.url } : {}),
        ...(e.images.length
          ? {
              image: e.images.map((i) => ({
                type: 'Image',
                url: i.url,
                width: i.width,
                mediaType: `image/${i.format}`,
              })),
            }
          : {}),
        ...(e.place ? { location: { type: 'Place', name: e.place } } : {}),
        ...(e.tags.length ? { tag: e.tags.map((t) => ({ type: 'Hashtag', name: `#${t}` })) } : {}),
      };
  if (e.type === 'comment') object.inReplyTo = `${base}/items/${e.object?.id}`;
  const activity: Record<string, unknown> = {
    type: kind.activity,
    id: `${base}/activities/${e.id}`,
    actor: actorOf(e.actor, base),
    object:
      e.type === 'comment'
        ? { type: 'Note', id: `${base}/items/${e.id}`, content: e.text, inReplyTo: object.id }
        : object,
    published: e.createdAt,
    'chorus:type': e.type,
    to: e.audience === 'public' ? ['https://www.w3.org/ns/activitystreams#Public'] : [],
  };
  if (e.target) activity.target = actorOf(e.target, base);
  if (e.others.length) activity['chorus:others'] = e.others.map((m) => actorOf(m, base));
  if (e.actorCount > 1) activity['chorus:actorCount'] = e.actorCount;
  return activity;
}

/** What each kind of notification is, as an activity addressed to the reader. */
const NOTIFICATION_AS2: Record<Notification['kind'], string> = {
  'friend-request': 'Offer',
  'friend-accepted': 'Accept',
  like: 'Like',
  comment: 'Create',
  ecard: 'Offer',
};

/** The notifications page as an OrderedCollectionPage, with the unseen and unread counts. */
export function notificationsToOrderedCollectionPage(page: NotificationPage, self: URL): Record<string, unknown> {
  const base = apiBase(self);
  const items = page.entries.map((n) => {
    const activity: Record<string, unknown> = {
      type: NOTIFICATION_AS2[n.kind],
      id: `${base}/notifications/${n.id}`,
      actor: actorOf(n.actor, base),
      published: n.createdAt,
      'chorus:kind': n.kind,
      'chorus:seen': n.seen,
      'chorus:read': n.read,
    };
    if (n.item)
      activity.object = { type: AS2[n.item.type].object, id: `${base}/items/${n.item.id}`, content: n.item.text };
    else if (n.kind === 'friend-request' || n.kind === 'friend-accepted')
      activity.object = { type: 'Relationship', subject: activity.actor, relationship: 'friend' };
    if (n.others.length) activity['chorus:others'] = n.others.map((m) => actorOf(m, base));
    if (n.actorCount > 1) activity['chorus:actorCount'] = n.actorCount;
    return activity;
  });
  return { ...collectionPage(self, items, page.older), 'chorus:unseen': page.unseen, 'chorus:unread': page.unread };
}
