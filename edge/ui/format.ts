// Plain-text formatting shared by both tiers.
import type { Audience } from '../../shared/api.js';

/** "2026-04-01 14:05 UTC": short, unambiguous and the same on every device. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const AUDIENCE_LABELS: Record<Audience, string> = {
  public: 'Public',
  friends: 'Friends',
  only_me: 'Only me',
  list: 'Some friends',
};

export function audienceLabel(audience: Audience): string {
  return AUDIENCE_LABELS[audience];
}

/** The link to the next (older) page; `params` (e.g. a type filter) are carried along. */
export function olderHref(
  path: string,
  cursor: string | null,
  params: Record<string, string | null | undefined> = {},
): string | null {
  if (!cursor) return null;
  const kept = Object.entries(params)
    .filter((pair): pair is [string, string] => Boolean(pair[1]))
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}&`)
    .join('');
  return `${path}?${kept}older=${encodeURIComponent(cursor)}`;
}
