// Per-tenant device overrides, through the whole worker: the tenantDeviceOverrides middleware
// (edge/device-context/tenant-overrides.ts) runs right after the tenant middleware.
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { detectDevice } from '../../edge/device/detect.js';
import { applyDeviceOverrides, overrideKeys, validOverrides } from '../../edge/device/overrides.js';
import { profileById } from '../../edge/device/table.js';
import { deviceContext } from '../../edge/device-context/device-context.js';
import { tenantDeviceOverrides } from '../../edge/device-context/tenant-overrides.js';
import type { AppEnv } from '../../edge/env.js';
import type { Tenant } from '../../shared/api.js';
import { Browser, UA } from './browser.js';
import { FakeOrigin } from './fake-origin.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const PIXEL_8 = UA.android;
const headersFor = (ua: string) => new Headers({ 'User-Agent': ua });

describe('tenant device overrides in the worker', () => {
  it('a tenant that forces smartphones to the basic tier gets basic markup on a phone', async () => {
    const origin = new FakeOrigin({ deviceOverrides: { smartphone: { tier: 'basic', js: false } } }).install();
    origin.addPost(origin.addMember('alice', 'Alice'), 'hello from alice');
    const { response, html } = await new Browser(origin.host, UA.smartphone).get('/');
    expect(response.status).toBe(200);
    expect(html).toContain('<body class="tier-basic">');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('hello from alice');
  });

  it('leaves other communities and other classes alone', async () => {
    const strict = new FakeOrigin({ deviceOverrides: { smartphone: { tier: 'basic' } } });
    const plain = new FakeOrigin().install();
    expect((await new Browser(plain.host, UA.smartphone).get('/')).html).toContain('tier-rich');
    vi.restoreAllMocks();
    strict.install();
    expect((await new Browser(strict.host, UA.smartphone).get('/')).html).toContain('tier-basic');
  });

  it('a profile-id override beats the class override, and invalid values are ignored', async () => {
    const origin = new FakeOrigin({
      deviceOverrides: {
        smartphone: { tier: 'basic' },
        'pixel-8': { tier: 'rich', maxPageBytes: 'not a number', cookies: 'perhaps' },
      },
    }).install();
    expect((await new Browser(origin.host, PIXEL_8).get('/')).html).toContain('tier-rich');
    expect((await new Browser(origin.host, UA.smartphone).get('/')).html).toContain('tier-basic');
  });
});

describe('GET /_edge/device on a community host', () => {
  const report = async (host: string, ua: string) => {
    const response = await new Browser(host, ua).fetch('/_edge/device');
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown> & {
      matched: { tier: string; maxPageBytes: number };
      overrides: { tenant: string | null; applied: { key: string; set: Record<string, unknown> }[]; reason?: string };
    };
  };

  it("shows the profile after the community's overrides, and which entries applied", async () => {
    const origin = new FakeOrigin({
      deviceOverrides: {
        smartphone: { tier: 'basic', js: false },
        'pixel-8': { maxPageBytes: '131072', cookies: 'perhaps' },
        feature: { tier: 'rich' },
      },
    }).install();
    const device = await report(origin.host, PIXEL_8);
    expect(device).toMatchObject({ id: 'pixel-8', tier: 'basic', js: false, maxPageBytes: 131_072 });
    expect(device.matched.tier).toBe('rich');
    expect(device.overrides).toEqual({
      tenant: origin.tenant.id,
      applied: [
        { key: 'smartphone', set: { tier: 'basic', js: false } },
        { key: 'pixel-8', set: { maxPageBytes: 131_072 } },
      ],
    });
    // The report and the pages agree.
    expect((await new Browser(origin.host, PIXEL_8).get('/')).html).toContain('tier-basic');
  });

  it('says no override applied for a device none names', async () => {
    const origin = new FakeOrigin({ deviceOverrides: { tablet: { tier: 'basic' } } }).install();
    const device = await report(origin.host, PIXEL_8);
    expect(device).toMatchObject({ id: 'pixel-8', tier: 'rich' });
    expect(device.overrides).toEqual({ tenant: origin.tenant.id, applied: [] });
  });

  it('shows plain detection on a host with no community, or when the origin cannot say', async () => {
    new FakeOrigin({ deviceOverrides: { smartphone: { tier: 'basic' } } }).install();
    const elsewhere = await report('no-community-here.example', PIXEL_8);
    expect(elsewhere).toMatchObject({ id: 'pixel-8', tier: 'rich' });
    expect(elsewhere.overrides).toEqual({ tenant: null, applied: [], reason: 'no community at this host' });

    const down = new FakeOrigin({ deviceOverrides: { smartphone: { tier: 'basic' } } });
    vi.restoreAllMocks();
    down.install().mode = 'down';
    const unknown = await report(down.host, PIXEL_8);
    expect(unknown).toMatchObject({ id: 'pixel-8', tier: 'rich' });
    expect(unknown.overrides).toEqual({ tenant: null, applied: [], reason: 'community unknown: origin unavailable' });
  });
});

describe('tenantDeviceOverrides middleware', () => {
  function appWith(overrides: Tenant['deviceOverrides']) {
    const app = new Hono<AppEnv>();
    app.use(deviceContext, async (c, next) => {
      c.set('tenant', { deviceOverrides: overrides } as Tenant);
      await next();
    });
    app.use(tenantDeviceOverrides);
    app.get('/', (c) => c.json(c.var.device));
    return app;
  }

  it('replaces the detected profile with the overridden one, keeping client-hint adaptation', async () => {
    const app = appWith({ feature: { maxPageBytes: 6000 }, 'nokia-s40': { accessKeys: false } });
    const response = await app.request('/', { headers: { 'User-Agent': UA.feature, 'Save-Data': 'on' } }, env);
    const device = (await response.json()) as { id: string; maxPageBytes: number; accessKeys: boolean };
    expect(device).toMatchObject({ id: 'nokia-6300', maxPageBytes: 4096, accessKeys: false });
  });

  it('does nothing for a tenant without overrides', async () => {
    const response = await appWith({}).request('/', { headers: { 'User-Agent': UA.feature } }, env);
    expect(await response.json()).toEqual(detectDevice(headersFor(UA.feature)));
  });
});

describe('applyDeviceOverrides', () => {
  const s24 = profileById('galaxy-s24-ultra');

  it('applies class, then family, then the profile itself', () => {
    expect(overrideKeys(s24)).toEqual(['smartphone', 'galaxy', 'galaxy-s23', 'galaxy-s23-ultra', 'galaxy-s24-ultra']);
    const result = applyDeviceOverrides(s24, {
      smartphone: { maxPageBytes: 100_000, telLinks: false },
      galaxy: { maxPageBytes: 200_000 },
      'galaxy-s24-ultra': { maxPageBytes: 300_000 },
    });
    expect(result).toMatchObject({ id: 'galaxy-s24-ultra', maxPageBytes: 300_000, telLinks: false });
    expect(s24.maxPageBytes).not.toBe(300_000);
  });

  it('validates every value against the capability schema', () => {
    expect(
      validOverrides({
        tier: 'fancy',
        class: 'toaster',
        screenWidth: 10,
        maxImageWidth: '480',
        maxPageBytes: 1.5,
        cookies: 'false',
        js: 'no',
        cssLevel: 4,
        input: 'keypad',
        imageFormats: 'webp, jpeg',
        telLinks: true,
        id: 'hijack',
        __proto__: { tier: 'basic' },
      }),
    ).toEqual({ maxImageWidth: 480, cookies: false, input: 'keypad', imageFormats: ['webp', 'jpeg'], telLinks: true });
    expect(validOverrides({ imageFormats: 'webp, bmp' })).toEqual({});
  });

  it('returns the profile untouched without overrides', () => {
    expect(applyDeviceOverrides(s24, undefined)).toBe(s24);
    expect(applyDeviceOverrides(s24, {})).toBe(s24);
    expect(applyDeviceOverrides(s24, { smartphone: { tier: 'nope' } })).toBe(s24);
  });
});
