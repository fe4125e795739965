import { StreamList } from '../../ui/rich/components.js';
import type { FrontModel } from './model.js';

export function FrontRich(model: FrontModel) {
  return (
    <>
      <section class="card">
        <h1>Welcome to {model.tenantName}</h1>
        <p>Share what you are up to with your friends.</p>
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
          <StreamList entries={model.entries} olderHref={model.olderHref} />
        </>
      )}
    </>
  );
}
