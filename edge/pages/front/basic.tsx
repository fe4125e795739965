import { StreamList } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import type { FrontModel } from './model.js';

export function FrontBasic(model: FrontModel, chrome: Chrome) {
  return (
    <>
      <h1>{model.tenantName}</h1>
      <p>
        <a href="/login">Log in</a>
        {model.signupOpen && (
          <>
            {' | '}
            <a href="/signup">Sign up</a>
          </>
        )}
      </p>
      {model.publicPages && <StreamList entries={model.entries} olderHref={model.olderHref} chrome={chrome} />}
    </>
  );
}
