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

describe('front page', () => {
  it('shows the tenant name and public stream to a smartphone in the rich tier', async () => {
    const alice = origin.addMember('alice', 'Alice');
    origin.addPost(alice, 'hello <world> & friends');
    const { response, html } = await new Browser(origin.host, UA.smartphone).get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<body class="tier-rich">');
    expect(html).toContain('<meta name="chorus-tier" content="rich"');
    expect(html).toContain('name="viewport"');
    expect(html).toContain(origin.tenant.name);
    expect(html).toContain('hello &lt;world&gt; &amp; friends');
    expect(html).toContain('href="/login"');
    expect(html).toContain('href="/signup"');
  });

  it('gives a feature phone the basic tier: XHTML-MP doctype, no scripts, access keys', async () => {
    const { response, html } = await new Browser(origin.host, UA.feature, XHTML_ACCEPT).get('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/xhtml\+xml/);
    expect(html.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(html).toContain('<!DOCTYPE html PUBLIC "-//WAPFORUM//DTD XHTML Mobile 1.2//EN"');
    expect(html).toContain('<body class="tier-basic">');
    expect(html).toContain('<meta name="chorus-tier" content="basic"');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('accesskey="1"');
  });

  it('serves basic markup as text/html to a phone that does not accept XHTML', async () => {
    const { response, html } = await new Browser(origin.host, UA.feature, 'text/html,*/*').get('/');
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html).toContain('tier-basic');
  });

  it('asks for client hints and varies on what detection reads', async () => {
    const { response } = await new Browser(origin.host).get('/');
    expect(response.headers.get('accept-ch')).toContain('Sec-CH-UA-Mobile');
    expect(response.headers.get('vary')).toMatch(/User-Agent/);
    expect(response.headers.get('vary')).toMatch(/Sec-CH-UA-Mobile/);
  });
});
