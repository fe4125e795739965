// Errors leave the origin as RFC 9457 problem+json. Domain code throws ApiError; anything else
// becomes a 500 that is logged with the request id (and a test treats it as a bug).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import type { Problem } from '../../shared/api.js';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Problem['errors'],
  ) {
    super(detail ? `${title}: ${detail}` : title);
  }
}

export const badRequest = (detail: string, errors?: Problem['errors']) =>
  new ApiError(400, 'Bad request', detail, errors);
export const notFound = (detail: string) => new ApiError(404, 'Not found', detail);
export const unauthorized = (detail: string) => new ApiError(401, 'Unauthorized', detail);
export const forbidden = (detail: string) => new ApiError(403, 'Forbidden', detail);
export const conflict = (detail: string) => new ApiError(409, 'Conflict', detail);
export const unprocessable = (detail: string, errors?: Problem['errors']) =>
  new ApiError(422, 'Unprocessable content', detail, errors);
export const unavailable = (detail: string) => new ApiError(503, 'Service unavailable', detail);

export function zodProblem(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ApiError {
  return badRequest(
    'the request did not pass validation',
    error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export function problemResponse(c: Context, err: ApiError): Response {
  const body: Problem = {
    type: `https://chorus.dev/problems/${err.status}`,
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
  };
  return c.body(JSON.stringify(body), err.status, { 'content-type': 'application/problem+json' });
}

export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return zodProblem(err);
  if (err instanceof HTTPException && err.status < 500) {
    return new ApiError(err.status as ContentfulStatusCode, 'Bad request', err.message);
  }
  return null;
}
