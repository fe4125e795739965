// Keeps the passwords in DATABASE_URL(S), DATABASE_REPLICA_URLS and REDIS_URL out of error
// messages and log lines. Drivers put a URL into an error where it suits them (Node's URL parser
// keeps the whole bad URL in `input`, our cluster URL parser names it in its message), so every
// log line and a fatal error's report pass through one redactor: it blanks the password part of
// any URL, and also the configured passwords themselves wherever they appear without their URL.
import { inspect } from 'node:util';

/** scheme://user:password@ — the password ends at the last @ before the host (it may hold a raw @). */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:@/"'<>]*):([^\s/"'<>]*)@/gi;
/** Shorter passwords are blanked only inside URLs: replacing them everywhere would garble logs. */
const MIN_LITERAL_LENGTH = 8;
const URL_VARIABLES = ['DATABASE_URL', 'DATABASE_URLS', 'DATABASE_REPLICA_URLS', 'REDIS_URL'];

/** `postgres://chorus:s3cret@db:5432/x` → `postgres://chorus:***@db:5432/x`, for every URL in `text`. */
export function redactUrls(text: string): string {
  return text.includes('://') ? text.replace(URL_CREDENTIALS, '$1$2:***@') : text;
}

/** The connection URLs configured in `env` (the variables may hold lists). */
export function envUrls(env: Record<string, string | undefined>): string[] {
  return URL_VARIABLES.flatMap((name) => (env[name] ?? '').split(/[\s,]+/)).filter(Boolean);
}

/** The passwords in these URLs, as written and percent-decoded. */
export function urlPasswords(urls: readonly (string | undefined)[]): string[] {
  const found = new Set<string>();
  for (const url of urls) {
    // As redactUrls: the password runs to the last @ before the host.
    const m = url && /^[a-z][a-z0-9+.-]*:\/\/[^:@/]*:([^/]*)@[^@/]*(\/.*)?$/i.exec(url);
    if (!m?.[1]) continue;
    found.add(m[1]);
    try {
      found.add(decodeURIComponent(m[1]));
    } catch {
      // not percent-encoded
    }
  }
  return [...found].filter((p) => p.length >= MIN_LITERAL_LENGTH);
}

export type Redactor = (text: string) => string;

/** Blanks URL credentials and each of `secrets` (also as they look inside a JSON string). */
export function redactor(secrets: string[]): Redactor {
  const literals = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))];
  return (text) => {
    let out = redactUrls(text);
    for (const secret of literals) if (out.includes(secret)) out = out.replaceAll(secret, '***');
    return out;
  };
}

/** The redactor for the origin's log lines: the configured URLs' passwords. */
export function configRedactor(config: {
  DATABASE_URL?: string;
  DATABASE_URLS?: string[];
  DATABASE_REPLICA_URLS?: string[];
  REDIS_URL?: string;
}): Redactor {
  const urls = [config.DATABASE_URL, ...(config.DATABASE_URLS ?? []), ...(config.DATABASE_REPLICA_URLS ?? [])];
  return redactor(urlPasswords([...urls, config.REDIS_URL]));
}

/** For an error that ends the process: its full report (stack, cause, properties), redacted. */
export function fatalReport(err: unknown, redact: Redactor): string {
  return redact(err instanceof Error ? inspect(err, { depth: 6 }) : String(err));
}
