// The kinds of activity a member can produce. Every event is one row in the item store (verb =
// the type name) and one entry in each timeline it reaches; timelines store the type's one-letter
// code beside the id, so type filters run on the skeleton, before anything is hydrated.

export const EVENT_TYPES = [
  'status',
  'photo',
  'album',
  'comment',
  'like',
  'friendship',
  'profile-update',
  'profile-photo',
  'group-join',
  'blog-post',
  'video',
  'link',
  'game-score',
  'ecard',
  'birthday',
  'checkin',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Types the system writes itself (never accepted from clients). */
export const SYSTEM_EVENT_TYPES: readonly EventType[] = ['friendship', 'profile-update'];

/** Types that are about another item (`object` is that item's id): aggregated on read. */
export const ITEM_REACTIONS: readonly EventType[] = ['comment', 'like'];

/** One letter per type, stored in timeline members: `<id><code>`. Append only: codes are persisted. */
const CODES = 'abcdefghijklmnop';

export function typeCode(type: EventType): string {
  const i = EVENT_TYPES.indexOf(type);
  if (i < 0) throw new Error(`unknown event type ${type}`);
  return CODES[i]!;
}

export function typeOfCode(code: string): EventType | null {
  const i = CODES.indexOf(code);
  return i < 0 ? null : EVENT_TYPES[i]!;
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** Hashtags in a text: `#word` (letters, digits, underscore), lower-cased, unique, at most 10. */
export function hashtagsOf(text: string): string[] {
  const tags = new Set<string>();
  for (const m of text.matchAll(/(?:^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]{1,50})/gu)) {
    tags.add(m[1]!.toLowerCase());
    if (tags.size === 10) break;
  }
  return [...tags];
}

/** A place name as it appears in URLs and timeline keys: lower-case words joined by dashes. */
export function placeSlug(place: string): string {
  return place
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}
