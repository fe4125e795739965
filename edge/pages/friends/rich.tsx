import type { Member } from '../../../shared/api.js';
import type { ActionButton, Chrome } from '../../ui/chrome.js';
import { ActionForm } from '../../ui/rich/components.js';
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
  const SECTIONS: Record<SectionKey, { heading: string; empty: string; buttons: (m: Member) => ActionButton[] }> = {
    incoming: {
      heading: 'Friend requests',
      empty: 'No requests waiting.',
      buttons: (m) => sectionActions(model, 'incoming', m),
    },
    outgoing: {
      heading: 'Requests you sent',
      empty: 'None pending.',
      buttons: (m) => sectionActions(model, 'outgoing', m),
    },
    friends: {
      heading: 'Your friends',
      empty: chrome.lean ? 'No friends yet.' : 'No friends yet. Find people on their profile pages.',
      buttons: (m) => sectionActions(model, 'friends', m),
    },
  };
  return (
    <>
      <h1>Friends</h1>
      {visibleSections(model).map((section) => (
        <>
          <h2>{SECTIONS[section.key].heading}</h2>
          <People
            people={section.people}
            empty={SECTIONS[section.key].empty}
            buttons={SECTIONS[section.key].buttons}
            chrome={chrome}
          />
        </>
      ))}
      {model.from > 0 && (
        <a class="older" href="/friends">
          First page
        </a>
      )}
      {model.moreHref && (
        <a class="older" href={model.moreHref}>
          More people
        </a>
      )}
    </>
  );
}
