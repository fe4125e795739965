// Topic pages: the public updates with one hashtag (/tags/:tag) or at one place (/places/:place).
// Public and anonymous-friendly like profiles; members see what the origin lets them see.
import { type StreamEntry, StreamPage } from '../../../shared/api.js';
import { placeSlug } from '../../../shared/events.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { MAX_LIST_ENTRIES } from '../../ui/budget.js';
import { olderHref } from '../../ui/format.js';

export type TopicKind = 'tag' | 'place';

export interface TopicModel {
  kind: TopicKind;
  /** The tag (lower case, no '#') or the place's slug. */
  key: string;
  /** "#picnic", or the place's name as its updates spell it. */
  heading: string;
  path: string;
  entries: StreamEntry[];
  olderHref: string | null;
}

const TAG = /^[\p{L}\p{N}_]{1,50}$/u;
/** Longest path segment read (a place slug is at most 60 characters, percent-encoded longer). */
const MAX_RAW_LENGTH = 400;

/**
 * The canonical key of a topic from its URL segment (already percent-decoded), or null when it
 * cannot be one: a hashtag is 1-50 letters, digits or underscores (a leading '#' is dropped,
 * case is folded); a place is whatever has letters or digits, as its slug.
 */
export function topicKey(kind: TopicKind, raw: string): string | null {
  // A '%' followed by hex digits survived decoding: the segment was not valid UTF-8.
  if (raw.length > MAX_RAW_LENGTH || /%[0-9a-f]{2}/i.test(raw)) return null;
  if (kind === 'tag') {
    const tag = raw.replace(/^#/, '').toLowerCase();
    return TAG.test(tag) ? tag : null;
  }
  const slug = placeSlug(raw);
  return slug === '' ? null : slug;
}

export function topicPath(kind: TopicKind, key: string): string {
  return `/${kind === 'tag' ? 'tags' : 'places'}/${encodeURIComponent(key)}`;
}

/** What a bad segment is told. */
export const TOPIC_PROBLEM: Record<TopicKind, string> = {
  tag: 'A hashtag is 1-50 letters, digits or underscores.',
  place: 'That does not look like the name of a place.',
};

function placeName(key: string, entries: StreamEntry[]): string {
  const named = entries.find((e) => e.place !== null && placeSlug(e.place) === key)?.place;
  if (named) return named;
  const words = key.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export async function buildTopicModel(
  origin: OriginClient,
  kind: TopicKind,
  key: string,
  older?: string,
  limit = MAX_LIST_ENTRIES,
): Promise<TopicModel> {
  const path = topicPath(kind, key);
  const page = await origin.get(`/v1${path}/stream`, StreamPage, { older, limit });
  return {
    kind,
    key,
    heading: kind === 'tag' ? `#${key}` : placeName(key, page.entries),
    path,
    entries: page.entries,
    olderHref: olderHref(path, page.older),
  };
}
