// Which of the friends page's three sections a page shows: those with people on this page, and
// on the first page also the empty ones (with their "none" line).
import type { Member } from '../../../shared/api.js';
import type { ActionButton } from '../../ui/chrome.js';
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

/** The buttons beside a member in a section: the same in both tiers, so decided once here. */
export function sectionActions(model: FriendsModel, key: SectionKey, member: Member): ActionButton[] {
  if (!model.friendingOpen) return [];
  if (key === 'incoming') {
    return [
      { label: 'Accept', action: `/friends/${member.id}/accept` },
      { label: 'Decline', action: `/friends/${member.id}/decline` },
    ];
  }
  return key === 'friends' ? [{ label: 'Unfriend', action: `/friends/${member.id}/remove` }] : [];
}
