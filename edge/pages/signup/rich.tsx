import type { Chrome } from '../../ui/chrome.js';
import { CsrfField, FieldError } from '../../ui/rich/components.js';
import type { SignupModel } from './model.js';

export function SignupRich(model: SignupModel, chrome: Chrome) {
  if (!model.open) {
    return (
      <section class="card">
        <h1>Sign-up is closed</h1>
        <p>This community is not taking new members right now.</p>
      </section>
    );
  }
  return (
    <section class="card">
      <h1>Join {chrome.tenantName}</h1>
      <FieldError message={model.errors.form} />
      <form method="post" action="/signup">
        <CsrfField token={chrome.csrf ?? ''} />
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          value={model.username}
          autocomplete="username"
          autocapitalize="none"
          required
        />
        <FieldError message={model.errors.username} />
        <label for="displayName">Your name</label>
        <input id="displayName" name="displayName" value={model.displayName} autocomplete="name" required />
        <FieldError message={model.errors.displayName} />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="new-password" required />
        <FieldError message={model.errors.password} />
        <button type="submit" class="primary">
          Sign up
        </button>
      </form>
      <p>
        Already a member? <a href="/login">Log in</a>
      </p>
    </section>
  );
}
