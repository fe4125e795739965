// GET /_edge/device: the device profile this request gets, as JSON, for debugging and
// monitoring. It needs no tenant (it answers on any host, before the tenant middleware) and so
// shows detection without per-tenant overrides. It never fails: any input, however broken, gets
// a 200 with at worst the safe "unknown" profile.
import type { Context } from 'hono';
import { ACCEPT_CH, explainDevice } from '../device/detect.js';
import { hintHeaderReport } from '../device/hints.js';
import { PROFILES_VERSION } from '../device/table.js';
import { DEVICE_VARY } from '../device-context/device-context.js';

export function deviceReport(headers: Headers): Record<string, unknown> {
  const { profile, matched, hints, parsed, uaLength, uaTruncated, ok } = explainDevice(headers);
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
    /** The table entry before client hints narrowed it (same id). */
    matched,
    hints: { ...hintHeaders, values: hints },
    userAgent: { length: uaLength, truncated: uaTruncated, parsed },
    fallback: !ok,
    profilesVersion: PROFILES_VERSION,
  };
}

export function deviceDebug(c: Context): Response {
  let body: string;
  try {
    // "<" escaped too: a reflected client-hint value can never read as markup, whatever sniffs it.
    body = JSON.stringify(deviceReport(c.req.raw.headers)).replace(/</g, '\\u003c');
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
