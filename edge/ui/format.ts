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

export function olderHref(path: string, cursor: string | null): string | null {
  return cursor ? `${path}?older=${encodeURIComponent(cursor)}` : null;
}
