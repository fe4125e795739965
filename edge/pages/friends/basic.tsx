import type { Member } from '../../../shared/api.js';
import { ActionForm } from '../../ui/basic/components.js';
import type { ActionButton, Chrome } from '../../ui/chrome.js';
import type { FriendsModel } from './model.js';
import { type SectionKey, sectionActions, visibleSections } from './sections.js';

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
  const SECTIONS: Record<SectionKey, { heading: string; empty: string; buttons: (m: Member) => ActionButton[] }> = {
    incoming: { heading: 'Requests', empty: 'None waiting.', buttons: (m) => sectionActions(model, 'incoming', m) },
    outgoing: { heading: 'Sent', empty: 'None pending.', buttons: (m) => sectionActions(model, 'outgoing', m) },
    friends: { heading: 'Friends', empty: 'No friends yet.', buttons: (m) => sectionActions(model, 'friends', m) },
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
