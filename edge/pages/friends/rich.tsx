import type { Member } from '../../../shared/api.js';
import type { ActionButton, Chrome } from '../../ui/chrome.js';
import { ActionForm } from '../../ui/rich/components.js';
import type { FriendsModel } from './model.js';

function People({
  people,
  empty,
  buttons,
  chrome,
}: {
  people: Member[];
  empty: string;
  buttons: (m: Member) => ActionButton[];
  chrome: Chrome;
}) {
  if (people.length === 0) return <p class="empty">{empty}</p>;
  return (
    <ul class="people card">
      {people.map((member) => (
        <li>
          <a href={`/u/${member.username}`}>{member.displayName}</a>
          <span class="actions">
            {chrome.csrf &&
              buttons(member).map((button, i) => (
                <ActionForm csrf={chrome.csrf!} button={button} back="/friends" secondary={i > 0} />
              ))}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function FriendsRich(model: FriendsModel, chrome: Chrome) {
  const answer = (m: Member): ActionButton[] =>
    model.friendingOpen
      ? [
          { label: 'Accept', action: `/friends/${m.id}/accept` },
          { label: 'Decline', action: `/friends/${m.id}/decline` },
        ]
      : [];
  const remove = (m: Member): ActionButton[] =>
    model.friendingOpen ? [{ label: 'Unfriend', action: `/friends/${m.id}/remove` }] : [];
  return (
    <>
      <h1>Friends</h1>
      <h2>Friend requests</h2>
      <People people={model.incoming} empty="No requests waiting." buttons={answer} chrome={chrome} />
      <h2>Requests you sent</h2>
      <People people={model.outgoing} empty="None pending." buttons={() => []} chrome={chrome} />
      <h2>Your friends</h2>
      <People
        people={model.friends}
        empty="No friends yet. Find people on their profile pages."
        buttons={remove}
        chrome={chrome}
      />
    </>
  );
}
