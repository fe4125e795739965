// Applies the community's device overrides (Tenant.deviceOverrides) to the profile the
// deviceContext middleware detected. Detection runs before the tenant is known, so this runs
// right after the tenant middleware; pages, the page cache (its key includes the tier) and the
// access log all see the overridden profile. Invalid override values are ignored
// (edge/device/overrides.ts); tenants without overrides cost nothing.
import type { MiddlewareHandler } from 'hono';
import { detectDevice } from '../device/detect.js';
import type { AppEnv } from '../env.js';

export const tenantDeviceOverrides: MiddlewareHandler<AppEnv> = async (c, next) => {
  const overrides = c.get('tenant')?.deviceOverrides;
  if (overrides !== undefined && overrides !== null && Object.keys(overrides).length > 0) {
    // Detection is cached per isolate, so running it again with the overrides is cheap.
    c.set('device', detectDevice(c.req.raw.headers, overrides));
  }
  await next();
};
