// Which of the friends page's three sections a page shows: those with people on this page, and
// on the first page also the empty ones (with their "none" line).
import type { Member } from '../../../shared/api.js';
import type { FriendsModel } from './model.js';

export type SectionKey = 'incoming' | 'outgoing' | 'friends';

export interface Section {
  key: SectionKey;
  people: Member[];
  /** True when the whole list is empty (show its "none" line). */
  empty: boolean;
}

export function visibleSections(model: FriendsModel): Section[] {
  const keys: SectionKey[] = ['incoming', 'outgoing', 'friends'];
  return keys
    .map((key) => ({ key, people: model[key], empty: model.totals[key] === 0 }))
    .filter((section) => section.people.length > 0 || (section.empty && model.from === 0));
}
