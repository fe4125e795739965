// Front page: the community's name and its public stream, for anonymous visitors.
import { type StreamEntry, StreamPage, type Tenant } from '../../../shared/api.js';
import type { OriginClient } from '../../origin-client/origin-client.js';
import { olderHref } from '../../ui/format.js';

export interface FrontModel {
  tenantName: string;
  /** False when the tenant has switched public pages off: only the log-in links show. */
  publicPages: boolean;
  signupOpen: boolean;
  entries: StreamEntry[];
  olderHref: string | null;
}

export async function buildFrontModel(origin: OriginClient, tenant: Tenant, older?: string): Promise<FrontModel> {
  const base = {
    tenantName: tenant.name,
    publicPages: tenant.switches.publicPages,
    signupOpen: tenant.switches.signup,
  };
  if (!tenant.switches.publicPages) return { ...base, entries: [], olderHref: null };
  const page = await origin.get('/v1/streams/public', StreamPage, { older, limit: 20 });
  return { ...base, entries: page.entries, olderHref: olderHref('/', page.older) };
}
