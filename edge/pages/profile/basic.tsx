import { ActionForm, StreamList } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import type { ProfileModel } from './model.js';

export function ProfileBasic(model: ProfileModel, chrome: Chrome) {
  const { member, friendCount } = model.profile;
  return (
    <>
      <h1>{member.displayName}</h1>
      <p class="m">
        @{member.username}, {friendCount} {friendCount === 1 ? 'friend' : 'friends'}
      </p>
      {member.bio && !chrome.lean && <p>{member.bio}</p>}
      {model.note && <p>{model.note}</p>}
      {chrome.csrf &&
        model.actions.map((button) => <ActionForm csrf={chrome.csrf!} button={button} back={chrome.path} />)}
      {model.loginToAct && (
        <p>
          <a href="/login">Log in</a> to add a friend.
        </p>
      )}
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
    </>
  );
}
