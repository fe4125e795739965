// Reads an HTML form post as plain strings. Anything that is not a form (JSON, garbage
// multipart, files) is bad input: a 400 page, never an exception that becomes a 500.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';

export type FormFields = Record<string, string>;

const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
const parsed = new WeakMap<Request, Promise<FormFields>>();

async function parse(c: Context): Promise<FormFields> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) throw new HTTPException(400, { message: 'expected a form post' });
  let body: Record<string, string | File | (string | File)[]>;
  try {
    body = await c.req.parseBody({ all: true });
  } catch {
    throw new HTTPException(400, { message: 'the form could not be read' });
  }
  const fields: FormFields = {};
  for (const [name, value] of Object.entries(body)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string') fields[name] = first;
  }
  return fields;
}

/** The posted form, parsed once per request (the CSRF check and the handler both read it). */
export function readForm(c: Context): Promise<FormFields> {
  let fields = parsed.get(c.req.raw);
  if (!fields) {
    fields = parse(c);
    parsed.set(c.req.raw, fields);
  }
  return fields;
}

/** A same-site path to go back to after a POST; anything else falls back to `fallback`. */
export function safeBackPath(value: string | undefined, fallback: string): string {
  if (!value || value.length > 500 || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) {
    return fallback;
  }
  return /^[\x21-\x7e]+$/.test(value) ? value : fallback;
}
