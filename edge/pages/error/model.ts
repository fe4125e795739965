// Friendly error pages: what went wrong in words a visitor understands, and where to go next.
export type ErrorKind =
  | 'bad-request'
  | 'forbidden'
  | 'csrf'
  | 'not-found'
  | 'unknown-host'
  | 'too-large'
  | 'rate-limited'
  | 'unavailable'
  | 'not-configured'
  | 'internal';

export type ErrorStatus = 400 | 403 | 404 | 413 | 429 | 500 | 503;

export interface ErrorModel {
  status: ErrorStatus;
  heading: string;
  message: string;
  /** Extra detail from the origin, e.g. "sign-up is switched off". */
  detail: string | null;
  link: { href: string; label: string };
}

const HOME = { href: '/', label: 'Go to the front page' };

const PAGES: Record<ErrorKind, Omit<ErrorModel, 'detail'>> = {
  'bad-request': {
    status: 400,
    heading: 'That did not work',
    message: 'Something in that request was not quite right. Please go back and try again.',
    link: HOME,
  },
  forbidden: {
    status: 403,
    heading: 'Not allowed',
    message: 'You cannot do that here.',
    link: HOME,
  },
  csrf: {
    status: 403,
    heading: 'Please try that again',
    message:
      'This form was old or did not come from this site, so nothing was changed. Reload the page and send it again.',
    link: HOME,
  },
  'not-found': {
    status: 404,
    heading: 'Page not found',
    message: 'There is nothing at this address.',
    link: HOME,
  },
  'unknown-host': {
    status: 404,
    heading: 'No community lives at this address',
    message: 'Check the address, or ask whoever sent you the link.',
    link: { href: 'https://chorus.dev/', label: 'About Chorus' },
  },
  'too-large': {
    status: 413,
    heading: 'That was too much',
    message: 'What you sent is too large. Please send something shorter.',
    link: HOME,
  },
  'rate-limited': {
    status: 429,
    heading: 'Slow down a little',
    message: 'You are doing that too often. Wait a minute and try again.',
    link: HOME,
  },
  unavailable: {
    status: 503,
    heading: 'We will be right back',
    message: 'This community is not reachable at the moment. Please try again in a minute.',
    link: HOME,
  },
  'not-configured': {
    status: 503,
    heading: 'Not open yet',
    message: 'This site is still being set up. Please come back later.',
    link: HOME,
  },
  internal: {
    status: 500,
    heading: 'Something went wrong',
    message: 'We could not show this page. Please try again.',
    link: HOME,
  },
};

/** Longest detail shown (it comes from elsewhere, e.g. an origin problem document). */
export const MAX_DETAIL_LENGTH = 300;

/** "30 seconds", "2 minutes": a wait in words. */
export function waitInWords(seconds: number): string {
  if (seconds <= 1) return 'a second';
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/**
 * The 429 page for a wait of `retryAfterSeconds`; `formPage` is where a form post came from
 * (null for a page view): what was sent was not saved, and the link goes back to the form.
 */
export function rateLimitedModel(retryAfterSeconds: number, formPage: string | null): ErrorModel {
  const wait = waitInWords(retryAfterSeconds);
  const base = errorModel('rate-limited');
  if (formPage === null) return { ...base, message: `You are doing that too often. Wait ${wait} and try again.` };
  return {
    ...base,
    message: `You are doing that too often, so what you sent was not saved. Wait ${wait}, then go back and send it again.`,
    link: { href: formPage, label: 'Go back' },
  };
}

export function errorModel(kind: ErrorKind, detail: string | null = null): ErrorModel {
  // Cut between characters, never inside a surrogate pair.
  const short =
    detail && detail.length > MAX_DETAIL_LENGTH
      ? `${detail.slice(0, MAX_DETAIL_LENGTH - 1).replace(/[\uD800-\uDBFF]$/, '')}…`
      : detail;
  return { ...PAGES[kind], detail: short };
}
