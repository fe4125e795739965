// Sign-up form: what it shows, and what submitting it does (create the member at the origin).
import { SessionStart, SignupInput } from '../../../shared/api.js';
import { type FieldErrors, originFieldErrors, zodFieldErrors } from '../../forms/field-errors.js';
import type { FormFields } from '../../forms/read-form.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { OriginProblem } from '../../origin-client/origin-errors.js';

export interface SignupModel {
  /** False when the tenant has switched sign-up off. */
  open: boolean;
  username: string;
  displayName: string;
  errors: FieldErrors;
}

export function signupModel(open: boolean, values: Partial<SignupModel> = {}): SignupModel {
  return { open, username: values.username ?? '', displayName: values.displayName ?? '', errors: values.errors ?? {} };
}

export type SignupOutcome =
  | { ok: true; member: SessionStart }
  | { ok: false; status: 400 | 403 | 409; model: SignupModel };

export async function submitSignup(origin: OriginClient, open: boolean, form: FormFields): Promise<SignupOutcome> {
  const username = (form.username ?? '').slice(0, 100);
  const displayName = (form.displayName ?? '').slice(0, 200);
  const values = { username, displayName };
  if (!open) return { ok: false, status: 403, model: signupModel(false, values) };
  const input = SignupInput.safeParse({ username, displayName, password: form.password ?? '' });
  if (!input.success) {
    return { ok: false, status: 400, model: signupModel(true, { ...values, errors: zodFieldErrors(input.error) }) };
  }
  try {
    const member = await origin.post('/v1/members', input.data, SessionStart);
    return { ok: true, member: member! };
  } catch (err) {
    if (err instanceof OriginProblem && err.status === 409) {
      const errors = { username: 'That username is taken. Try another one.' };
      return { ok: false, status: 409, model: signupModel(true, { ...values, errors }) };
    }
    if (err instanceof OriginProblem && err.status === 403) {
      return { ok: false, status: 403, model: signupModel(false, values) };
    }
    const errors = originFieldErrors(err);
    if (errors) return { ok: false, status: 400, model: signupModel(true, { ...values, errors }) };
    throw err;
  }
}
