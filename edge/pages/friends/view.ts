// The friends page as a Page (view model + both tiers' renderers), shared by the handler and tests.
import type { Page } from '../../ui/render.js';
import { FriendsBasic } from './basic.js';
import { type FriendLists, type FriendsModel, pageOfFriends, shownCount } from './model.js';
import { FriendsRich } from './rich.js';

/** The page of `lists` starting at `from` with at most `count` people; fewer when over budget. */
export function friendsView(
  lists: FriendLists,
  friendingOpen: boolean,
  from: number,
  count: number,
): Page<FriendsModel> {
  return {
    title: 'Friends',
    model: pageOfFriends(lists, friendingOpen, from, count),
    rich: FriendsRich,
    basic: FriendsBasic,
    list: { count: shownCount, shorten: (_model, fewer) => pageOfFriends(lists, friendingOpen, from, fewer) },
  };
}
