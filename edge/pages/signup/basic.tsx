import { CsrfField, FieldError } from '../../ui/basic/components.js';
import type { Chrome } from '../../ui/chrome.js';
import type { SignupModel } from './model.js';

export function SignupBasic(model: SignupModel, chrome: Chrome) {
  if (!model.open) {
    return (
      <>
        <h1>Sign-up is closed</h1>
        <p>This community is not taking new members right now.</p>
      </>
    );
  }
  return (
    <>
      <h1>Sign up</h1>
      <form method="post" action="/signup">
        <p>
          <CsrfField token={chrome.csrf ?? ''} />
          <FieldError message={model.errors.form} />
          Username:
          <br />
          <input name="username" value={model.username} />
          <br />
          <FieldError message={model.errors.username} />
          Your name:
          <br />
          <input name="displayName" value={model.displayName} />
          <br />
          <FieldError message={model.errors.displayName} />
          Password:
          <br />
          <input name="password" type="password" />
          <br />
          <FieldError message={model.errors.password} />
          <input type="submit" value="Sign up" />
        </p>
      </form>
    </>
  );
}
