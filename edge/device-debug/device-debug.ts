// GET /_edge/device: the device profile this request gets, as JSON, for debugging and
// monitoring. It answers on any host, before the middleware (no secrets, no community needed):
// when the host is a community's, the profile shown is after that community's device overrides,
// and `overrides` says which entries applied; otherwise (no community there, origin unreachable)
// it is plain detection and `overrides` says why. It never fails: any input, however broken,
// gets a 200 with at worst the safe "unknown" profile.
import type { Context } from 'hono';
import type { Tenant } from '../../shared/api.js';
import { HEADER } from '../../shared/headers.js';
import { ACCEPT_CH, explainDevice } from '../device/detect.js';
import { hintHeaderReport } from '../device/hints.js';
import { appliedOverrides } from '../device/overrides.js';
import { PROFILES_VERSION } from '../device/table.js';
import { DEVICE_VARY } from '../device-context/device-context.js';
import type { AppEnv } from '../env.js';
import { OriginClient } from '../origin-client/origin-client.js';
import { originIp, timeoutFrom } from '../origin-client/origin-context.js';
import { pickRequestId } from '../request-id/request-id.js';
import { lookupTenant } from '../tenant/tenant-lookup.js';
import { deferWork } from '../worker-context.js';

/** Whose overrides the report applied: the community's, or why there were none. */
export type OverrideSource =
  | { tenant: Pick<Tenant, 'id' | 'deviceOverrides'> }
  | { tenant: null; reason: 'no community at this host' | 'community unknown: origin unavailable' };

export function deviceReport(
  headers: Headers,
  source: OverrideSource = { tenant: null, reason: 'no community at this host' },
): Record<string, unknown> {
  const overrides = source.tenant?.deviceOverrides ?? undefined;
  const { profile, matched, hints, parsed, uaLength, uaTruncated, ok } = explainDevice(headers, overrides);
  let hintHeaders: { used: string[]; ignored: string[] } = { used: [], ignored: [] };
  try {
    hintHeaders = hintHeaderReport(headers);
  } catch {
    // Reported as no hints; detection above has already fallen back if headers are unreadable.
  }
  return {
    id: profile.id,
    class: profile.class,
    tier: profile.tier,
    screenWidth: profile.screenWidth,
    screenHeight: profile.screenHeight,
    maxImageWidth: profile.maxImageWidth,
    imageFormats: profile.imageFormats,
    maxPageBytes: profile.maxPageBytes,
    cookies: profile.cookies,
    js: profile.js,
    cssLevel: profile.cssLevel,
    input: profile.input,
    accessKeys: profile.accessKeys,
    telLinks: profile.telLinks,
    /** The table entry before the community's overrides and client hints changed it (same id). */
    matched,
    overrides: source.tenant
      ? { tenant: source.tenant.id, applied: ok ? appliedOverrides(matched, overrides) : [] }
      : { tenant: null, applied: [], reason: source.reason },
    hints: { ...hintHeaders, values: hints },
    userAgent: { length: uaLength, truncated: uaTruncated, parsed },
    fallback: !ok,
    profilesVersion: PROFILES_VERSION,
  };
}

/** The community at this request's host, looked up like the tenant middleware does; never throws. */
async function overrideSource(c: Context<AppEnv>): Promise<OverrideSource> {
  const secret = c.env.ORIGIN_SECRET;
  if (!secret || !c.env.ORIGIN_URL) return { tenant: null, reason: 'community unknown: origin unavailable' };
  try {
    const origin = new OriginClient({
      baseUrl: c.env.ORIGIN_URL,
      secret,
      timeoutMs: timeoutFrom(c.env.ORIGIN_TIMEOUT_MS),
      identity: {
        tenant: '',
        member: '',
        session: '',
        clientIp: originIp(c.req.raw.headers),
        requestId: pickRequestId(c.req.header(HEADER.requestId)),
      },
    });
    const tenant = await lookupTenant(origin, new URL(c.req.url).host, (work) => deferWork(c, work));
    return tenant ? { tenant } : { tenant: null, reason: 'no community at this host' };
  } catch {
    return { tenant: null, reason: 'community unknown: origin unavailable' };
  }
}

export async function deviceDebug(c: Context<AppEnv>): Promise<Response> {
  const source = await overrideSource(c);
  let body: string;
  try {
    // "<" escaped too: a reflected client-hint value can never read as markup, whatever sniffs it.
    body = JSON.stringify(deviceReport(c.req.raw.headers, source)).replace(/</g, '\\u003c');
  } catch {
    body = JSON.stringify({ id: 'unknown', fallback: true, profilesVersion: PROFILES_VERSION });
  }
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Accept-CH': ACCEPT_CH,
      Vary: DEVICE_VARY,
    },
  });
}
