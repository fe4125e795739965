// Field messages for re-rendering a form, from the edge's own zod check or the origin's 400.
import type { z } from 'zod';
import { OriginProblem } from '../origin-client/origin-errors.js';

export type FieldErrors = Record<string, string>;

export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) out[issue.path.map(String).join('.') || 'form'] ??= issue.message;
  return out;
}

/** Field errors when `err` is an origin validation problem (400 with errors[]), else null. */
export function originFieldErrors(err: unknown): FieldErrors | null {
  if (!(err instanceof OriginProblem) || err.status !== 400) return null;
  const errors = err.fieldErrors();
  if (Object.keys(errors).length === 0) errors.form = err.problem.detail ?? err.problem.title;
  return errors;
}
