import type { Chrome } from '../../ui/chrome.js';
import { CsrfField, FieldError } from '../../ui/rich/components.js';
import type { LoginModel } from './model.js';

export function LoginRich(model: LoginModel, chrome: Chrome) {
  return (
    <section class="card">
      <h1>Log in</h1>
      <FieldError message={model.errors.form} />
      <form method="post" action="/login">
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
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
        <FieldError message={model.errors.password} />
        <button type="submit" class="primary">
          Log in
        </button>
      </form>
      {model.signupOpen && (
        <p>
          New here? <a href="/signup">Sign up</a>
        </p>
      )}
    </section>
  );
}
