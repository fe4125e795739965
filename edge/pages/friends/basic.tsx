import type { Member } from '../../../shared/api.js';
import { ActionForm } from '../../ui/basic/components.js';
import type { ActionButton, Chrome } from '../../ui/chrome.js';
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
  if (people.length === 0) return <p>{empty}</p>;
  return (
    <>
      {people.map((member) => (
        <>
          <p>
            <a href={`/u/${member.username}`}>{member.displayName}</a>
          </p>
          {chrome.csrf &&
            buttons(member).map((button) => <ActionForm csrf={chrome.csrf!} button={button} back="/friends" />)}
        </>
      ))}
    </>
  );
}

export function FriendsBasic(model: FriendsModel, chrome: Chrome) {
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
      <p>
        <b>Requests</b>
      </p>
      <People people={model.incoming} empty="None waiting." buttons={answer} chrome={chrome} />
      <p>
        <b>Sent</b>
      </p>
      <People people={model.outgoing} empty="None pending." buttons={() => []} chrome={chrome} />
      <p>
        <b>Friends</b>
      </p>
      <People people={model.friends} empty="No friends yet." buttons={remove} chrome={chrome} />
    </>
  );
}
