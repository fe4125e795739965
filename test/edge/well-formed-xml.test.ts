// Basic-tier pages are XHTML-MP: XML, which a phone's parser may refuse whole over one character
// XML 1.0 forbids. Members' text stored before the origin started refusing such characters
// still exists, and what a visitor types comes back in a form that did not pass, so the renderer
// drops them from the page. Each page is checked with saxes, a strict XML 1.0 parser (it reports
// every disallowed character; fast-xml-parser's validator lets NUL and U+FFFE through), and as
// the bytes on the wire: valid UTF-8 with no replacement character where a lone surrogate was.
import { SaxesParser } from 'saxes';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Browser, UA, XHTML_ACCEPT } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

let origin: FakeOrigin;
beforeEach(() => {
  origin = new FakeOrigin().install();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** NUL, other C0 controls, DEL, a C1 control, lone surrogates (both halves), U+FFFE and U+FFFF. */
const NASTY = 'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\u007Fh\u0085i\uD800j\uDC00k\uFFFEl\uFFFFm';
const CLEAN = 'abcdefghijklm';

/** XML 1.0 well-formedness errors of a document (none: []). */
function xmlErrors(xml: string): string[] {
  const errors: string[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('error', (err) => errors.push(err.message));
  try {
    parser.write(xml).close();
  } catch (err) {
    errors.push(String(err));
  }
  return errors;
}

/**
 * The page as sent, decoded strictly, after checking it is one well-formed XML document (and,
 * unless the request itself carried one, that no U+FFFD stands where a lone surrogate was).
 */
async function wellFormedPage(response: Response, replacementSent = false): Promise<string> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  expect(text).toContain('tier-basic');
  expect(xmlErrors(text)).toEqual([]);
  if (!replacementSent) expect(text).not.toContain('\uFFFD');
  return text;
}

describe('basic-tier pages stay well-formed XML whatever a member typed', () => {
  it('a parser-checked sample: the checker itself catches what it must', () => {
    expect(xmlErrors('<p>fine &amp; dandy</p>')).toEqual([]);
    for (const bad of ['\u0000', '\u0001', '\uFFFE', '\uFFFF']) expect(xmlErrors(`<p>a${bad}b</p>`)).not.toEqual([]);
    expect(xmlErrors('<p title="a\u0002b">x</p>')).not.toEqual([]);
  });

  it('entries, names and bios holding forbidden characters: front page, profile, member home', async () => {
    const nasty = origin.addMember('nasty', `Name ${NASTY}`);
    origin.addPost(nasty, `Post ${NASTY} #tag${NASTY}`);
    origin.addEvent(nasty, 'checkin', { place: `Place ${NASTY}`, audience: 'public' });
    origin.addEvent(nasty, 'link', { url: 'https://example.org/', title: `Title ${NASTY}`, audience: 'public' });
    origin.addEvent(nasty, 'photo', {
      text: `Caption ${NASTY}`,
      audience: 'public',
      images: [{ url: 'https://img.example.net/p-160.jpeg', width: 160, format: 'jpeg' }],
    });
    for (const accept of [XHTML_ACCEPT, 'text/html']) {
      const visitor = new Browser(origin.host, UA.feature, accept);
      for (const path of ['/', '/u/nasty']) {
        const response = await visitor.fetch(path);
        expect(response.status, path).toBe(200);
        const page = await wellFormedPage(response);
        expect(page, path).toContain(`Post ${CLEAN}`);
        expect(page, path).toContain(`Place ${CLEAN}`);
      }
      const profile = await wellFormedPage(await visitor.fetch('/u/nasty'));
      expect(profile).toContain(`Name ${CLEAN}`);
      expect(profile).toContain(`Title ${CLEAN}`);
      expect(profile).toContain(`alt="Caption ${CLEAN}"`);
    }
    const member = new Browser(origin.host, UA.feature, XHTML_ACCEPT);
    await member.logIn('nasty');
    const home = await wellFormedPage(await member.fetch('/home'));
    expect(home).toContain(`Name ${CLEAN}`);
  });

  it('what a visitor typed, echoed in a form that did not pass', async () => {
    const phone = new Browser(origin.host, UA.feature, XHTML_ACCEPT);
    await phone.get('/signup');
    const response = await phone.post('/signup', { username: `u${NASTY}`, displayName: NASTY, password: 'x' });
    expect(response.status).toBe(400);
    // A form post is text: the client already sent each lone surrogate as U+FFFD.
    const page = await wellFormedPage(response, true);
    expect(page).toContain('value="abcdefghi\uFFFDj\uFFFDklm"');
  });
});
