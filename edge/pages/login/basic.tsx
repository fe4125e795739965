import { CsrfField, FieldError } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import type { LoginModel } from './model.js';

export function LoginBasic(model: LoginModel, chrome: Chrome) {
  return (
    <>
      <h1>Log in</h1>
      <form method="post" action="/login">
        <p>
          <CsrfField token={chrome.csrf ?? ''} />
          <FieldError message={model.errors.form} />
          Username:
          <br />
          <input name="username" value={model.username} />
          <br />
          <FieldError message={model.errors.username} />
          Password:
          <br />
          <input name="password" type="password" />
          <br />
          <FieldError message={model.errors.password} />
          <input type="submit" value="Log in" />
        </p>
      </form>
    </>
  );
}
