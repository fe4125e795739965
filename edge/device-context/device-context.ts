// Puts the visitor's device profile on the context and tells clients and caches that the page
// depends on the device: Accept-CH asks Chromium browsers for client hints on later requests,
// Vary names every request header detection reads, plus Accept (it picks the basic tier's
// content type).
import type { MiddlewareHandler } from 'hono';
import { ACCEPT_CH, detectDevice, VARY } from '../device/detect.js';
import type { AppEnv } from '../env.js';
import { setResponseHeader } from '../response-headers.js';

export const DEVICE_VARY = `${VARY}, Accept`;

export const deviceContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('device', detectDevice(c.req.raw.headers));
  await next();
  setResponseHeader(c, 'Accept-CH', ACCEPT_CH);
  setResponseHeader(c, 'Vary', DEVICE_VARY, { append: true });
};
