// One stream entry of every event type, filled in the way the origin fills them: used by the
// entry rendering tests, the page budget tests (with long texts) and the fake origin's streams.
import { type ImageVariant, type Member, StreamEntry } from '../../shared/api.js';
import { EVENT_TYPES, type EventType, hashtagsOf } from '../../shared/events.js';

/** Renditions of one photo: three widths in JPEG, two in WebP, one AVIF. */
export function renditions(name: string): ImageVariant[] {
  const url = (w: number, f: string) => `https://img.chorus.test/${name}-${w}.${f}`;
  return [
    { url: url(160, 'jpeg'), width: 160, format: 'jpeg' },
    { url: url(320, 'jpeg'), width: 320, format: 'jpeg' },
    { url: url(1080, 'jpeg'), width: 1080, format: 'jpeg' },
    { url: url(320, 'webp'), width: 320, format: 'webp' },
    { url: url(1080, 'webp'), width: 1080, format: 'webp' },
    { url: url(2048, 'avif'), width: 2048, format: 'avif' },
  ];
}

/** An entry with the API's defaults for every field not given (as the origin would send it). */
export function entryOf(
  fields: Pick<StreamEntry, 'id' | 'type' | 'actor' | 'createdAt'> & Partial<StreamEntry>,
): StreamEntry {
  const text = fields.text ?? '';
  return StreamEntry.parse({ text, audience: 'public', tags: hashtagsOf(text), ...fields });
}

export interface AllTypesOptions {
  /** The entries' texts (a status, a caption, a comment...); short ones by default. */
  text?: (type: EventType, i: number) => string;
  id?: (i: number) => string;
  createdAt?: (i: number) => string;
  audience?: StreamEntry['audience'];
}

/** The fields each type carries beyond the common ones. */
export function fieldsFor(type: EventType, other: Member, text: string): Partial<StreamEntry> {
  const about = (t: EventType) => ({
    id: '300000000000001',
    type: t,
    text: `About ${text}`.slice(0, 500),
    actor: other,
  });
  switch (type) {
    case 'photo':
      return { images: renditions('photo') };
    case 'album':
      return { title: 'Summer at the lake', images: renditions('album') };
    case 'comment':
      return { object: about('photo') };
    case 'like':
      return { object: about('status'), others: [other], actorCount: 4 };
    case 'friendship':
      return { target: other };
    case 'profile-photo':
      return { images: renditions('face') };
    case 'group-join':
      return { group: 'Riverside Gardeners' };
    case 'blog-post':
      return { title: 'How we built the raised beds', url: 'https://blog.chorus.test/raised-beds' };
    case 'video':
      return {
        title: 'Harvest day',
        url: 'https://video.chorus.test/watch?v=harvest&t=10',
        images: renditions('thumb'),
      };
    case 'link':
      return { title: 'Seed swap calendar', url: 'https://example.org/seeds?year=2026&region=north' };
    case 'game-score':
      return { game: { name: 'Tetris', score: 1200 } };
    case 'ecard':
      return { target: other, images: renditions('card') };
    case 'checkin':
      return { place: 'Café Luna' };
    default:
      return {};
  }
}

/** One entry per event type, newest first, in EVENT_TYPES order. */
export function entriesOfEveryType(actor: Member, other: Member, options: AllTypesOptions = {}): StreamEntry[] {
  return EVENT_TYPES.map((type, i): StreamEntry => {
    const text = options.text?.(type, i) ?? (type === 'like' ? '' : `${type} text #garden`);
    return entryOf({
      id: options.id?.(i) ?? String(400_000_000_000_000n + BigInt(i)),
      type,
      text,
      audience: options.audience ?? 'public',
      createdAt: options.createdAt?.(i) ?? new Date(Date.UTC(2026, 2, 3, 12, 59 - i)).toISOString(),
      actor,
      ...fieldsFor(type, other, text),
    });
  });
}
