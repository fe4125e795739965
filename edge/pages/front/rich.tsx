import type { Chrome } from '../../ui/chrome.js';
import { StreamList } from '../../ui/rich/components.js';
import type { FrontModel } from './model.js';

export function FrontRich(model: FrontModel, chrome: Chrome) {
  return (
    <>
      <section class="card">
        <h1>Welcome to {model.tenantName}</h1>
        {!chrome.lean && <p>Share what you are up to with your friends.</p>}
        <div class="actions">
          <a class="button" href="/login">
            Log in
          </a>
          {model.signupOpen && (
            <a class="button" href="/signup">
              Sign up
            </a>
          )}
        </div>
      </section>
      {model.publicPages && (
        <>
          <h2>Latest public updates</h2>
          <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />
        </>
      )}
    </>
  );
}
