// Member-typed text, checked once where every input enters (the zod schemas of shared/api.ts):
// no character that Postgres refuses (NUL), that XML 1.0 forbids (the basic tier is XHTML-MP and
// must stay well-formed whatever a member typed), or that only hides or reorders what a reader
// sees (other C0/C1 controls, DEL, lone surrogates, U+FFFE/U+FFFF). Line breaks and tabs stay
// where the text is multi-line (a post, a bio); one-line fields (names, titles) take none.
import { z } from 'zod';

// With the u flag, \p{Cs} matches only a lone surrogate (a pair reads as one code point).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_LINE = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/u;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN_ANYWHERE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|\p{Cs}/gu;

/** Whether a text holds characters no member text may hold (see the module comment). */
export function hasForbiddenCharacters(text: string, multiline: boolean): boolean {
  return (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN_LINE).test(text);
}

/** Removes what no text may hold: for rendering text that was stored before the check existed. */
export function withoutForbiddenCharacters(text: string): string {
  return text.replace(FORBIDDEN_ANYWHERE, '');
}

const MESSAGE = 'remove control characters and other invisible characters';

/** A one-line text field (a name, a title): trimmed, no control characters at all. */
export const lineText = () =>
  z
    .string()
    .trim()
    .refine((s) => !hasForbiddenCharacters(s, false), { message: MESSAGE });

/** A multi-line text field (a post, a bio): trimmed; line breaks and tabs allowed. */
export const multilineText = () =>
  z
    .string()
    .trim()
    .refine((s) => !hasForbiddenCharacters(s, true), { message: MESSAGE });
