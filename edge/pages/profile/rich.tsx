import type { Chrome } from '../../ui/chrome.js';
import { ActionForm, StreamList } from '../../ui/rich/components.js';
import type { ProfileModel } from './model.js';

export function ProfileRich(model: ProfileModel, chrome: Chrome) {
  const { member, friendCount } = model.profile;
  return (
    <>
      <section class="card">
        <h1>{member.displayName}</h1>
        <p class="meta">
          @{member.username} · {friendCount} {friendCount === 1 ? 'friend' : 'friends'}
        </p>
        {member.bio && !chrome.lean && <p class="text">{member.bio}</p>}
        {model.note && <p>{model.note}</p>}
        {chrome.csrf && model.actions.length > 0 && (
          <div class="actions">
            {model.actions.map((button, i) => (
              <ActionForm csrf={chrome.csrf!} button={button} back={chrome.path} secondary={i > 0} />
            ))}
          </div>
        )}
        {model.loginToAct && (
          <p>
            <a href="/login">Log in</a> to add {member.displayName} as a friend.
          </p>
        )}
      </section>
      <h2>Updates</h2>
      <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
    </>
  );
}
