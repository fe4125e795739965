// The same stream pages as ActivityStreams 2.0 (https://www.w3.org/TR/activitystreams-core/) for
// third-party clients: an OrderedCollectionPage of activities, `next` linking to older entries
// and `prev` back to the newest page. Ids are URLs under the API path of the request.
import type { StreamEntry, StreamPage } from '../../shared/api.js';
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
  const base = `${self.origin}${self.pathname.replace(/\/(streams|members|tags|places)\/.*$/, '')}`;
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
    orderedItems: page.entries.map((e) => activityOf(e, base)),
  };
  if (page.older) out.next = withCursor(page.older);
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
