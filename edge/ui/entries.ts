// How a stream entry reads, for both tiers: one view model per entry ("Ann and 3 others liked
// Bob's photo", the text with its hashtags linked, the photo in the rendition this device gets),
// which the rich and basic StreamLists only lay out. Every event type has its sentence here.
// Everything stays plain data (strings and links): the JSX renderers escape it.
import type { Member, StreamEntry } from '../../shared/api.js';
import { type EventType, placeSlug } from '../../shared/events.js';
import { audienceLabel, formatTime } from './format.js';
import { type ImageCaps, pickImage } from './images.js';

/** A run of text, or a link. `external` links leave the site (EXTERNAL_REL). */
export type Inline = string | { text: string; href: string; external?: boolean };

/**
 * rel of every link off our host: no ranking credit for what members post (nofollow ugc), and
 * the page left behind learns nothing: no Referer (whose URL may carry a session token) and no
 * window.opener (noreferrer implies noopener; old browsers know only one or the other).
 */
export const EXTERNAL_REL = 'nofollow ugc noreferrer noopener';

/** An image from another host is fetched without a Referer naming the page (and its token). */
export const OFFSITE_IMAGE_REFERRER_POLICY = 'no-referrer';

export interface EntryImage {
  src: string;
  width: number;
  alt: string;
  /** From another host: fetched with referrerpolicy="no-referrer". */
  offsite: boolean;
}

/** Whether a URL points off the page's host: any absolute or scheme-relative URL. */
export function isOffsite(url: string): boolean {
  return /^([a-z][a-z0-9+.-]*:|\/\/)/i.test(url.trim());
}

export interface EntryView {
  id: string;
  type: EventType;
  /** The sentence: who did what ("Ann and Bob liked your photo"). */
  headline: Inline[];
  /** True when the headline is only who (a status update): the text follows it directly. */
  plain: boolean;
  /** The entry's own text, hashtags linked; empty when it has none. */
  body: Inline[];
  /** What a like or comment is about, shortened; a secondary detail (left out when lean). */
  quote: string | null;
  /** A title, linked when the entry points somewhere (link, video, blog post). */
  titled: { text: string; href: string | null } | null;
  /** The photo in the rendition for this device, or null. */
  image: EntryImage | null;
  /** Said instead of the photo when the device can show none of its renditions. */
  imageNote: string | null;
  /** Hashtags of the entry that its text does not show (linked). */
  extraTags: Inline[];
  time: string;
  audience: string;
}

export interface EntryContext {
  /** The logged-in viewer (their own things read "your photo"); null when anonymous. */
  viewerId: string | null;
  images: ImageCaps;
}

/** Longest quote of the item a reaction is about. */
export const QUOTE_LENGTH = 80;
/** Longest URL shown as a link's text (the link itself keeps the whole URL). */
const SHOWN_URL_LENGTH = 60;

const NOUNS: Record<EventType, string> = {
  status: 'post',
  photo: 'photo',
  album: 'album',
  comment: 'comment',
  like: 'like',
  friendship: 'friendship',
  'profile-update': 'profile',
  'profile-photo': 'profile photo',
  'group-join': 'post',
  'blog-post': 'blog post',
  video: 'video',
  link: 'link',
  'game-score': 'score',
  ecard: 'e-card',
  birthday: 'post',
  checkin: 'check-in',
};

/** What an item of this type is called: "photo", "blog post", "check-in". */
export function nounOf(type: EventType): string {
  return NOUNS[type];
}

/** `text` cut to `max` characters (with an ellipsis), never inside a surrogate pair. */
export function shorten(text: string, max: number): string {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed;
  return `${trimmed
    .slice(0, max - 1)
    .replace(/[\uD800-\uDBFF]$/, '')
    .trimEnd()}…`;
}

export function memberHref(member: Pick<Member, 'username'>): string {
  return `/u/${encodeURIComponent(member.username)}`;
}

export function tagHref(tag: string): string {
  return `/tags/${encodeURIComponent(tag.toLowerCase())}`;
}

/** The page of a place, or null for a name with nothing to link (only punctuation). */
export function placeHref(place: string): string | null {
  const slug = placeSlug(place);
  return slug ? `/places/${encodeURIComponent(slug)}` : null;
}

/** An http(s) URL as given, or null for anything else (javascript:, garbage). */
export function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function shownUrl(url: string): string {
  return shorten(url.replace(/^https?:\/\/(www\.)?/i, ''), SHOWN_URL_LENGTH);
}

/** 1234567 -> "1,234,567". */
export function groupDigits(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// The same rule as shared/events.ts hashtagsOf: `#word` not glued to a word or an entity before it.
const HASHTAG = /(^|[^\p{L}\p{N}_&])#([\p{L}\p{N}_]{1,50})/gu;

/** Text with every hashtag linked to its tag page. */
export function linkHashtags(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const match of text.matchAll(HASHTAG)) {
    const start = match.index + match[1]!.length;
    const tag = match[2]!;
    if (start > last) out.push(text.slice(last, start));
    out.push({ text: `#${tag}`, href: tagHref(tag) });
    last = start + 1 + tag.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function person(member: Member): Inline {
  return { text: member.displayName, href: memberHref(member) };
}

/** "Ann", "Ann and Bob", "Ann, Bob and Cy", "Ann and 3 others". */
export function actorsPhrase(actor: Member, others: readonly Member[], actorCount: number): Inline[] {
  const count = Math.max(actorCount, 1 + others.length);
  if (count === 1) return [person(actor)];
  // Name everyone when all are known and there are at most three; else count the rest.
  if (count <= 3 && others.length === count - 1) {
    const names = [person(actor), ...others.map(person)];
    const out: Inline[] = [];
    names.forEach((name, i) => {
      if (i > 0) out.push(i === names.length - 1 ? ' and ' : ', ');
      out.push(name);
    });
    return out;
  }
  const rest = count - 1;
  return [person(actor), ` and ${rest} ${rest === 1 ? 'other' : 'others'}`];
}

/** "your photo", "their own post", "Bob's photo" (Bob linked). */
function whose(owner: Member, actor: Member, noun: string, viewerId: string | null): Inline[] {
  if (viewerId !== null && owner.id === viewerId) return [`your ${noun}`];
  if (owner.id === actor.id) return [`their own ${noun}`];
  return [person(owner), `'s ${noun}`];
}

/** "you" for the viewer, else the member linked. */
function someone(member: Member, viewerId: string | null): Inline {
  return viewerId !== null && member.id === viewerId ? 'you' : person(member);
}

function headlineOf(entry: StreamEntry, viewerId: string | null): { parts: Inline[]; plain: boolean } {
  const who = actorsPhrase(entry.actor, entry.others, entry.actorCount);
  const object = entry.object;
  const about = object ? whose(object.actor, entry.actor, NOUNS[object.type], viewerId) : null;
  const parts = (...rest: Inline[]) => ({ parts: [...who, ...rest], plain: false });
  switch (entry.type) {
    case 'status':
      return { parts: who, plain: true };
    case 'photo':
      return parts(' posted a photo');
    case 'album':
      return parts(' added an album');
    case 'comment':
      return about ? parts(' commented on ', ...about) : parts(' commented');
    case 'like':
      return about ? parts(' liked ', ...about) : parts(' liked a post');
    case 'friendship':
      return entry.target
        ? parts(' and ', someone(entry.target, viewerId), ' are now friends')
        : parts(' made a new friend');
    case 'profile-update':
      return parts(' updated their profile');
    case 'profile-photo':
      return parts(' changed their profile photo');
    case 'group-join':
      return entry.group ? parts(' joined the group ', entry.group) : parts(' joined a group');
    case 'blog-post':
      return parts(' wrote a blog post');
    case 'video':
      return parts(' shared a video');
    case 'link':
      return parts(' shared a link');
    case 'game-score':
      return entry.game
        ? parts(` scored ${groupDigits(entry.game.score)} in `, entry.game.name)
        : parts(' played a game');
    case 'ecard':
      return entry.target ? parts(' sent ', someone(entry.target, viewerId), ' an e-card') : parts(' sent an e-card');
    case 'birthday':
      return { parts: ["It's ", ...who, "'s birthday"], plain: false };
    case 'checkin': {
      if (!entry.place) return parts(' checked in');
      const href = placeHref(entry.place);
      return parts(' checked in at ', href ? { text: entry.place, href } : entry.place);
    }
  }
}

function titledOf(entry: StreamEntry): EntryView['titled'] {
  const url = safeUrl(entry.url);
  if (url) return { text: entry.title ?? shownUrl(url), href: url };
  return entry.title ? { text: entry.title, href: null } : null;
}

export function describeEntry(entry: StreamEntry, context: EntryContext): EntryView {
  const { parts, plain } = headlineOf(entry, context.viewerId);
  const noun = NOUNS[entry.type] === 'post' ? 'photo' : NOUNS[entry.type];
  const alt = entry.title ?? (entry.text ? shorten(entry.text, QUOTE_LENGTH) : `${noun} by ${entry.actor.displayName}`);
  const chosen = pickImage(entry.images, context.images);
  const inText = new Set(linkHashtagsOf(entry.text));
  const extraTags = entry.tags
    .filter((tag) => !inText.has(tag.toLowerCase()))
    .map((tag): Inline => ({ text: `#${tag}`, href: tagHref(tag) }));
  return {
    id: entry.id,
    type: entry.type,
    headline: parts,
    plain,
    body: entry.text ? linkHashtags(entry.text) : [],
    quote: entry.object?.text ? shorten(entry.object.text, QUOTE_LENGTH) : null,
    titled: titledOf(entry),
    image: chosen
      ? { src: chosen.url, width: Math.min(chosen.width, context.images.maxWidth), alt, offsite: isOffsite(chosen.url) }
      : null,
    imageNote: !chosen && entry.images.length > 0 ? `[${capitalise(noun)}: ${alt}]` : null,
    extraTags,
    time: formatTime(entry.createdAt),
    audience: audienceLabel(entry.audience),
  };
}

function linkHashtagsOf(text: string): string[] {
  return [...text.matchAll(HASHTAG)].map((m) => m[2]!.toLowerCase());
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
