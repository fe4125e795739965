// The `types` filter of stream pages (/home?types=photo,video): checked at the edge, so an
// unknown type is a friendly 400 page before anything is asked of the origin, and passed on
// to the origin as it expects it (comma-separated event type names).
import { EVENT_TYPES, type EventType, isEventType } from '../../shared/events.js';

export type TypeFilter = { ok: true; types: EventType[] | null } | { ok: false; detail: string };

/** Longest `types` value read (every type name once, with commas, fits easily). */
const MAX_TYPES_LENGTH = 300;

/** `raw` from the query: null types when absent or empty (everything). */
export function parseTypeFilter(raw: string | undefined): TypeFilter {
  if (raw === undefined || raw.trim() === '') return { ok: true, types: null };
  if (raw.length > MAX_TYPES_LENGTH) return { ok: false, detail: 'That list of kinds of updates is too long.' };
  const types: EventType[] = [];
  for (const name of raw.split(',').map((t) => t.trim().toLowerCase())) {
    if (name === '') continue;
    if (!isEventType(name)) {
      return {
        ok: false,
        detail: `There is no kind of update called “${name.slice(0, 40)}”. Try one of: ${EVENT_TYPES.join(', ')}.`,
      };
    }
    if (!types.includes(name)) types.push(name);
  }
  return { ok: true, types: types.length > 0 ? types : null };
}

/** The filter as the origin and our links take it: "photo,video". */
export function typesParam(types: readonly EventType[] | null): string | undefined {
  return types && types.length > 0 ? types.join(',') : undefined;
}

/** The filters offered on stream pages, in menu order. */
export const TYPE_CHOICES: readonly { label: string; types: string | null }[] = [
  { label: 'All', types: null },
  { label: 'Posts', types: 'status' },
  { label: 'Photos', types: 'photo,album,profile-photo' },
  { label: 'Videos', types: 'video' },
  { label: 'Links', types: 'link,blog-post' },
  { label: 'Check-ins', types: 'checkin' },
];
