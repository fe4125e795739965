import type { Member } from '../../../shared/api.js';
import { ActionForm } from '../../ui/basic/components.js';
import type { ActionButton, Chrome } from '../../ui/chrome.js';
import type { FriendsModel } from './model.js';
import { type SectionKey, visibleSections } from './sections.js';

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
  const SECTIONS: Record<SectionKey, { heading: string; empty: string; buttons: (m: Member) => ActionButton[] }> = {
    incoming: { heading: 'Requests', empty: 'None waiting.', buttons: answer },
    outgoing: { heading: 'Sent', empty: 'None pending.', buttons: () => [] },
    friends: { heading: 'Friends', empty: 'No friends yet.', buttons: remove },
  };
  return (
    <>
      <h1>Friends</h1>
      {visibleSections(model).map((section) => (
        <>
          <p>
            <b>{SECTIONS[section.key].heading}</b>
          </p>
          <People
            people={section.people}
            empty={SECTIONS[section.key].empty}
            buttons={SECTIONS[section.key].buttons}
            chrome={chrome}
          />
        </>
      ))}
      {(model.moreHref || model.from > 0) && (
        <p>
          {model.moreHref && (
            <a href={model.moreHref} accesskey="9">
              [9] More
            </a>
          )}
          {model.moreHref && model.from > 0 && ' | '}
          {model.from > 0 && <a href="/friends">First page</a>}
        </p>
      )}
    </>
  );
}
