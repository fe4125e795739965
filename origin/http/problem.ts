// Errors leave the origin as RFC 9457 problem+json. Domain code throws ApiError; anything else
// becomes a 500 that is logged with the request id (and a test treats it as a bug).
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ZodError } from 'zod';
import { PROBLEM_TYPES, type Problem } from '../../shared/api.js';

export class ApiError extends Error {
  /** Response headers the problem needs (Retry-After on a 429). */
  headers: Record<string, string> = {};

  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: Problem['errors'],
    /** A PROBLEM_TYPES entry where the edge must act on more than the status. */
    readonly type?: string,
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
/** The origin as a whole cannot serve: the edge's circuit breaker counts these. */
export const originUnavailable = (detail: string) =>
  new ApiError(503, 'Service unavailable', detail, undefined, PROBLEM_TYPES.originUnavailable);
export const signatureRejected = (detail: string) =>
  new ApiError(401, 'Unauthorized', detail, undefined, PROBLEM_TYPES.signature);
export const sessionEnded = (detail: string) =>
  new ApiError(401, 'Unauthorized', detail, undefined, PROBLEM_TYPES.sessionEnded);
export function tooManyRequests(detail: string, retryAfterSeconds: number): ApiError {
  const err = new ApiError(429, 'Too many requests', detail, undefined, PROBLEM_TYPES.rateLimited);
  err.headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return err;
}

export function zodProblem(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): ApiError {
  return badRequest(
    'the request did not pass validation',
    error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  );
}

export function problemResponse(c: Context, err: ApiError): Response {
  const body: Problem = {
    type: err.type ?? `https://chorus.dev/problems/${err.status}`,
    title: err.title,
    status: err.status,
    ...(err.detail ? { detail: err.detail } : {}),
    ...(err.errors ? { errors: err.errors } : {}),
  };
  return c.body(JSON.stringify(body), err.status, { ...err.headers, 'content-type': 'application/problem+json' });
}

export function toApiError(err: unknown): ApiError | null {
  if (err instanceof ApiError) return err;
  if (err instanceof ZodError) return zodProblem(err);
  if (err instanceof HTTPException && err.status < 500) {
    return new ApiError(err.status as ContentfulStatusCode, 'Bad request', err.message);
  }
  if (isDataException(err)) return badRequest('the request holds a value the database cannot store');
  return null;
}

/**
 * Postgres's class 22 (data exception: invalid text, a number out of range, a malformed value)
 * is caused by a value in the request that validation let through. The schemas should catch
 * these first; this keeps one that slips through a 400 instead of a 500.
 */
function isDataException(err: unknown): boolean {
  // drizzle wraps the driver's error; the SQLSTATE is on the cause.
  const code = (err as { code?: unknown })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /^22[0-9A-Z]{3}$/.test(code);
}
