// Log-in form: what it shows, and what submitting it does (ask the origin to check the password).
import { LoginInput, SessionStart } from '../../../shared/api.js';
import { type FieldErrors, originFieldErrors, zodFieldErrors } from '../../forms/field-errors.js';
import type { FormFields } from '../../forms/read-form.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { OriginProblem } from '../../origin-client/origin-errors.js';

export interface LoginModel {
  username: string;
  errors: FieldErrors;
  signupOpen: boolean;
}

export function loginModel(signupOpen: boolean, username = '', errors: FieldErrors = {}): LoginModel {
  return { username, errors, signupOpen };
}

export type LoginOutcome = { ok: true; member: SessionStart } | { ok: false; status: 400 | 401; model: LoginModel };

export async function submitLogin(origin: OriginClient, signupOpen: boolean, form: FormFields): Promise<LoginOutcome> {
  const username = (form.username ?? '').slice(0, 100);
  const input = LoginInput.safeParse({ username, password: form.password ?? '' });
  if (!input.success)
    return { ok: false, status: 400, model: loginModel(signupOpen, username, zodFieldErrors(input.error)) };
  try {
    const member = await origin.post('/v1/sessions', input.data, SessionStart);
    return { ok: true, member: member! };
  } catch (err) {
    if (err instanceof OriginProblem && err.status === 401) {
      return {
        ok: false,
        status: 401,
        model: loginModel(signupOpen, username, { form: 'Wrong username or password.' }),
      };
    }
    const errors = originFieldErrors(err);
    if (errors) return { ok: false, status: 400, model: loginModel(signupOpen, username, errors) };
    throw err;
  }
}
